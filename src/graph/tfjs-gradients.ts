/**
 * The layer path's gradients: tfjs's own autodiff through the tfjs model (buildTfjsModel), of the same loss
 * written with tfjs ops, with respect to every float input and every weight, mapped back to the graph's
 * (Keras's) weight order. This is what a tfjs user's model.fit() would use.
 */
import * as tf from '@tensorflow/tfjs';
import { ensureGradientFixes } from '../backends/gradient-fixes';
import type { UnpackGradientState } from '../backends/unpack-gradient-fix';
import type { LossName } from '../gradients/losses';
import { layerKind } from '../layers/registry';
import type { NdArray } from '../tensor';
import type { GraphGradients } from './hand-backward';
import type { GraphModel } from './model';
import { inboundShapes, inferShapes } from './shapes';

/** The loss of one output with tfjs ops, as src/gradients/losses.ts defines it. */
function tfjsLoss(loss: LossName, y: tf.Tensor, targets: tf.Tensor | undefined): tf.Scalar {
  switch (loss) {
    case 'sum-squares':
      return tf.sum(tf.square(y));
    case 'mse':
      return tf.mean(tf.squaredDifference(y, targets!));
    case 'softmax-crossentropy': {
      const classes = y.shape[y.shape.length - 1];
      const oneHot = tf.oneHot(tf.cast(targets!, 'int32'), classes);
      return tf.mean(tf.sub(tf.logSumExp(y, -1), tf.sum(tf.mul(y, oneHot), -1)));
    }
    case 'binary-crossentropy':
      // max(y, 0) - y t + log(1 + exp(-|y|))
      return tf.mean(tf.add(tf.sub(tf.relu(y), tf.mul(y, targets!)), tf.log1p(tf.exp(tf.neg(tf.abs(y))))));
  }
}

/** For each graph layer, its weights' tfjs variables in the graph's order. */
export function graphVariables(tfModel: tf.LayersModel, model: GraphModel): tf.Variable[][] {
  const shapes = inferShapes(model.inputs, model.layers);
  return model.layers.map((layer) => {
    if (layer.weights.length === 0) return [];
    const kind = layerKind(layer.kind);
    // tfjsWeights keeps the graph's own WeightArray objects and adds new ones where tfjs holds more (a zero bias).
    const tfjsList = kind.tfjsWeights ? kind.tfjsWeights(layer.config, layer.weights, inboundShapes(layer, shapes)) : layer.weights;
    const variables = tfModel.getLayer(layer.name).weights;
    return layer.weights.map((w) => {
      const index = tfjsList.indexOf(w);
      return variables[index].read() as tf.Variable;
    });
  });
}

interface LayerPathGradients {
  readonly loss: number;
  /** float32, as tfjs computes them. */
  readonly gradients: GraphGradients;
  /** Whether tfjs as shipped needed the one-time-step gradient fix (../backends/unpack-gradient-fix.ts). */
  readonly unpackGradient: UnpackGradientState;
  /** Kernels whose gradients tfjs lacks and rnn-parity registered (../backends/missing-gradients-fix.ts). */
  readonly addedGradients: readonly string[];
  /** Why the inputs' gradients are missing (null in gradients.inputs) where tfjs gave only the weights'. */
  readonly inputsError?: string;
}

/** tfjs could not differentiate the model at all (a kernel without a gradient on this backend, an unsupported option). */
class LayerPathGradientError extends Error {
  override name = 'LayerPathGradientError';
}

/**
 * tfjs's gradients of the loss on `inputs` (training=false: dropouts are identities, as on both other paths).
 * Every weight is differentiated, trainable or not (BatchNormalization's moving statistics enter the inference
 * formula, and Keras's GradientTape gives their gradients too).
 */
export function layerPathGradients(
  tfModel: tf.LayersModel,
  model: GraphModel,
  inputs: readonly NdArray[],
  loss: LossName,
  targets: readonly (NdArray | undefined)[],
): LayerPathGradients {
  const variables = graphVariables(tfModel, model);
  // tfjs 4.22's gradient bugs, fixed before the first differentiation (src/backends/gradient-fixes.ts).
  const { unpackGradient, addedGradients } = ensureGradientFixes(tf);
  let result: LayerPathGradients | undefined;
  tf.tidy(() => {
    const xs = inputs.map((input, i) =>
      model.inputs[i].dtype === 'int32'
        ? tf.tensor(Int32Array.from(input.data), input.shape.slice(), 'int32')
        : tf.tensor(Float32Array.from(input.data), input.shape.slice(), 'float32'),
    );
    const ts = targets.map((t) => (t === undefined ? undefined : tf.tensor(Float32Array.from(t.data), t.shape.slice(), 'float32')));
    const floatInputs = xs.filter((_, i) => model.inputs[i].dtype !== 'int32');
    const flat = variables.flat();
    const f = (): tf.Scalar => {
      const applied = tfModel.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor | tf.Tensor[];
      const ys = Array.isArray(applied) ? applied : [applied];
      return ys.map((y, k) => tfjsLoss(loss, y, ts[k])).reduce((a, b) => tf.add(a, b) as tf.Scalar);
    };
    // tf.variableGrads would drop non-trainable variables; the engine's gradients takes any tensors.
    type Gradients = { value: tf.Scalar; grads: (tf.Tensor | null)[] };
    const differentiate = (wrt: tf.Tensor[]): { ok?: Gradients; error?: string } => {
      try {
        return { ok: tf.engine().gradients(f, wrt, undefined, true) };
      } catch (error) {
        return { error: (error as Error).message.split('\n')[0] };
      }
    };
    let attempt = differentiate([...floatInputs, ...flat]);
    let inputsError: string | undefined;
    if (attempt.error !== undefined && floatInputs.length > 0) {
      // What training needs is the weights' gradients: where tfjs can give only those, say why not the inputs'.
      const weightsOnly = differentiate(flat);
      if (weightsOnly.ok) {
        inputsError = attempt.error;
        attempt = { ok: { value: weightsOnly.ok.value, grads: [...floatInputs.map(() => null), ...weightsOnly.ok.grads] } };
      }
    }
    if (attempt.ok === undefined) throw new LayerPathGradientError(`tfjs cannot differentiate this model on ${tf.getBackend()}: ${attempt.error}`);
    const { value, grads } = attempt.ok;
    const download = (g: tf.Tensor | null | undefined, size: number): Float32Array =>
      g ? Float32Array.from(g.dataSync() as Float32Array) : new Float32Array(size);
    let next = 0;
    const inputGrads = model.inputs.map((input, i) => {
      if (input.dtype === 'int32') return null;
      const g = grads[next++];
      return inputsError !== undefined ? null : download(g, inputs[i].data.length);
    });
    const weightGrads = variables.map((list) => list.map((v) => download(grads[next++], v.size)));
    result = {
      loss: value.dataSync()[0],
      gradients: { inputs: inputGrads, weights: weightGrads },
      unpackGradient,
      addedGradients,
      ...(inputsError !== undefined ? { inputsError: `tfjs cannot differentiate with respect to the inputs on ${tf.getBackend()}: ${inputsError}` } : {}),
    };
  });
  return result!;
}
