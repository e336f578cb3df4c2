/**
 * The layer path of a graph: a tf.LayersModel built from the kinds' tfjs layers, wired as the graph is,
 * holding the graph's weights. Inputs accept any batch size (a saved batch size is no constraint).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedLayer } from '../fused';
import { layerKind } from '../layers/registry';
import { formatShape, type NdArray } from '../tensor';
import { ShapeError } from '../errors';
import { tensorRef, type GraphInput, type GraphModel } from './model';
import { inboundShapes, inferShapes } from './shapes';

/** How the layer path builds its recurrent layers. */
export interface TfjsModelOptions {
  /**
   * 'tfjs' (default): tfjs's own SimpleRNN/LSTM/GRU layers (and GRUResetAfter). 'fused': their fused twins
   * (src/fused/, docs/fused-layers.md), also inside Bidirectional and TimeDistributed: the same weights and
   * outputs, fewer ops per step and a hand-written backward.
   */
  readonly layerImpl?: 'tfjs' | 'fused';
}

/**
 * Builds the model on the active backend. The caller disposes it.
 * @throws ConfigError with layerImpl 'fused' for a recurrent layer the fused layers refuse (stateful, dropout).
 */
export function buildTfjsModel(model: GraphModel, options: TfjsModelOptions = {}): tf.LayersModel {
  const fused = options.layerImpl === 'fused';
  const shapes = inferShapes(model.inputs, model.layers);
  const built: { layer: tf.layers.Layer; weights: { shape: readonly number[]; data: Float32Array }[] }[] = [];
  const layersOf = (layer: GraphModel['layers'][number]): tf.layers.Layer[] => {
    const kind = layerKind(layer.kind);
    const stock = kind.tfjsLayer(layer.config, layer.name);
    const tfLayer = fused ? fusedLayer(stock) : stock;
    const weights = kind.tfjsWeights ? kind.tfjsWeights(layer.config, layer.weights, inboundShapes(layer, shapes)) : layer.weights;
    built.push({ layer: tfLayer, weights: weights.slice() });
    return [tfLayer, ...(kind.tfjsAfter ? kind.tfjsAfter(layer.config, layer.name) : [])];
  };
  let tfModel: tf.LayersModel;
  // Parity note: tfjs's LSTMCell with unitForgetBias leaks its bias initializer's temporaries; building
  // inside tidy releases them (the weights are Variables, which tidy keeps).
  tf.tidy(() => {
    tfModel = isChain(model) ? buildSequential(model, layersOf) : buildFunctional(model, layersOf);
  });
  for (const { layer, weights } of built) {
    const values = weights.map((w) => tf.tensor(w.data, w.shape.slice(), 'float32'));
    try {
      layer.setWeights(values);
    } finally {
      values.forEach((v) => v.dispose());
    }
  }
  return tfModel!;
}

/** A Sequential model: one input, one output, each layer reading the one before. */
function isChain(model: GraphModel): boolean {
  return (
    model.topology === 'Sequential' &&
    model.inputs.length === 1 &&
    model.outputs.length === 1 &&
    model.outputs[0] === model.layers[model.layers.length - 1]?.name &&
    model.layers.every((l, k) => l.inbound.length === 1 && l.inbound[0] === (k === 0 ? model.inputs[0].name : model.layers[k - 1].name))
  );
}

/** A chain as a tf.Sequential, so that it is saved as one (model.json then reads as the user's model did). */
function buildSequential(model: GraphModel, layersOf: (layer: GraphModel['layers'][number]) => tf.layers.Layer[]): tf.Sequential {
  const [input] = model.inputs;
  const sequential = tf.sequential({ name: 'sequential' });
  sequential.add(tf.layers.inputLayer({ batchInputShape: [null, ...input.shape.slice(1)], dtype: input.dtype ?? 'float32', name: input.name }));
  for (const layer of model.layers) for (const tfLayer of layersOf(layer)) sequential.add(tfLayer);
  return sequential;
}

/** Any graph as a tf.model: inputs, layers applied to their inbound tensors, outputs. */
function buildFunctional(model: GraphModel, layersOf: (layer: GraphModel['layers'][number]) => tf.layers.Layer[]): tf.LayersModel {
  const tensors = new Map<string, tf.SymbolicTensor>();
  const inputs = model.inputs.map((input) => {
    const symbolic = tf.input({ batchShape: [null, ...input.shape.slice(1)], name: input.name, dtype: input.dtype ?? 'float32' });
    tensors.set(input.name, symbolic);
    return symbolic;
  });
  for (const layer of model.layers) {
    const [tfLayer, ...after] = layersOf(layer);
    // Parity note: tfjs 4.22 disposes a tensor too early when one layer reads it twice (Add([x, x]), valid
    // in Keras) and another layer reads it too ("Cannot read properties of undefined (reading 'backend')"
    // in predict); a repeated input goes through a linear Activation, an exact copy, to keep them apart.
    const inbound = layer.inbound.map((from, k) => {
      const tensor = tensors.get(from) as tf.SymbolicTensor;
      return layer.inbound.indexOf(from) === k
        ? tensor
        : (tf.layers.activation({ activation: 'linear', name: `${layer.name}_copy_${k}` }).apply(tensor) as tf.SymbolicTensor);
    });
    const applied = tfLayer.apply(inbound.length === 1 ? inbound[0] : inbound) as tf.SymbolicTensor | tf.SymbolicTensor[];
    // Several outputs (return_state): the first is the layer's output, the others `layer:1`, `layer:2`, ...
    const [first, ...extra] = Array.isArray(applied) ? applied : [applied];
    const every = layerKind(layer.kind).tfjsAfterEveryOutput === true;
    extra.forEach((tensor, k) => {
      let out = tensor;
      // A weightless fix-up layer applies to each output in turn (one tfjs layer, one node per output).
      if (every) for (const next of after) out = next.apply(out) as tf.SymbolicTensor;
      tensors.set(tensorRef(layer.name, k + 1), out);
    });
    let output = first;
    for (const next of after) output = next.apply(output) as tf.SymbolicTensor;
    tensors.set(layer.name, output);
  }
  return tf.model({ inputs, outputs: model.outputs.map((name) => tensors.get(name) as tf.SymbolicTensor) });
}

/**
 * model.predict on host arrays -> host arrays, one per output. Leaves no tensor behind.
 * @throws ShapeError when an input's rank differs from the model's.
 */
export function predictGraph(tfModel: tf.LayersModel, inputs: readonly NdArray[], graphInputs: readonly GraphInput[]): NdArray[] {
  inputs.forEach((input, i) => {
    const rank = graphInputs[i].shape.length;
    if (input.shape.length !== rank) throw new ShapeError(`input ${i}: expected rank ${rank}, got ${formatShape(input.shape)}`);
  });
  const xs = inputs.map((input, i) =>
    graphInputs[i].dtype === 'int32'
      ? tf.tensor(Int32Array.from(input.data), input.shape.slice(), 'int32')
      : tf.tensor(Float32Array.from(input.data), input.shape.slice(), 'float32'),
  );
  try {
    const result = tfModel.predict(xs.length === 1 ? xs[0] : xs);
    const ys = Array.isArray(result) ? result : [result];
    try {
      return ys.map((y) => ({ shape: y.shape.slice(), data: Float32Array.from(y.dataSync() as Float32Array) }));
    } finally {
      ys.forEach((y) => y.dispose());
    }
  } finally {
    xs.forEach((x) => x.dispose());
  }
}
