/**
 * The hand path over a whole graph: each layer's kind computes its forward pass in plain TypeScript, in
 * graph order, from the weights as stored. No tfjs anywhere below (the kinds' tfjs halves load lazily and
 * are never called here).
 */
import { ShapeError } from '../errors';
import type { HandTensor, WeightData } from '../layers/kind';
import { layerKind } from '../layers/registry';
import { checkWeights } from './assemble';
import { inboundShapes, inferShapes } from './shapes';
import { arithmeticFor, type Precision } from '../hand/precision';
import { formatShape, sizeOf, type NdArray } from '../tensor';
import { tensorRef, type GraphModel, type Shape, type TensorRef } from './model';

/** A concrete input fits a saved shape: same rank, every fixed size equal. */
export function checkInputShape(name: string, shape: readonly number[], saved: Shape): void {
  const fits = shape.length === saved.length && saved.every((d, i) => d === null || d === shape[i]);
  if (!fits) {
    const want = `[${saved.map((d) => d ?? 'any').join(', ')}]`;
    throw new ShapeError(`input "${name}": expected shape ${want}, got ${formatShape(shape)}`);
  }
}

/**
 * Runs the model on `inputs` (one per model input, in order, batch first).
 * @param precision 'float64' (the reference) or 'float32' (every operation rounded)
 * @returns one array per model output, in order (Float64Array data; float32 values in float32 mode)
 * @throws ShapeError when an input does not fit the model's input shapes, or a layer its inputs or weights.
 */
export function forwardGraph(model: GraphModel, inputs: readonly NdArray[], precision: Precision = 'float64'): NdArray[] {
  const values = forwardGraphValues(model, inputs, precision);
  return model.outputs.map((name) => {
    const out = values.get(name) as HandTensor;
    return { shape: out.shape.slice(), data: out.data instanceof Float64Array ? out.data : Float64Array.from(out.data) };
  });
}

/**
 * The hand path keeping every tensor: each layer's outputs (and masks) by tensor ref, the model inputs by
 * name. What the backward pass (./hand-backward.ts) reads.
 * @param weights each layer's weight values (default: the model's float32 ones); the gradient check's finite
 *   differences pass float64 copies here
 * @throws ShapeError as forwardGraph does
 */
export function forwardGraphValues(
  model: GraphModel,
  inputs: readonly NdArray[],
  precision: Precision = 'float64',
  weights: readonly (readonly WeightData[])[] = model.layers.map((layer) => layer.weights.map((w) => w.data)),
): Map<TensorRef, HandTensor> {
  const arith = arithmeticFor(precision);
  if (inputs.length !== model.inputs.length) {
    throw new ShapeError(`inputs: expected ${model.inputs.length} (${model.inputs.map((i) => i.name).join(', ')}), got ${inputs.length}`);
  }
  // A model built by hand (not by a reader) is checked here too: every layer's input shapes and weights.
  const shapes = inferShapes(model.inputs, model.layers);
  for (const layer of model.layers) {
    checkWeights(layer, layer.weights, layerKind(layer.kind).weightShapes(layer.config, inboundShapes(layer, shapes)), 'model');
  }
  const values = new Map<TensorRef, HandTensor>();
  model.inputs.forEach((input, i) => {
    checkInputShape(input.name, inputs[i].shape, input.shape);
    if (inputs[i].data.length !== sizeOf(inputs[i].shape)) {
      throw new ShapeError(
        `input "${input.name}": expected ${sizeOf(inputs[i].shape)} values for shape ${formatShape(inputs[i].shape)}, got ${inputs[i].data.length}`,
      );
    }
    // Integer ids stay exact; float inputs take this precision.
    values.set(input.name, { shape: inputs[i].shape, data: input.dtype === 'int32' ? Float64Array.from(inputs[i].data) : arith.load(inputs[i].data) });
  });
  model.layers.forEach((layer, l) => {
    const kind = layerKind(layer.kind);
    const layerInputs = layer.inbound.map((from) => values.get(from) as HandTensor);
    const [output, ...extra] = kind.forwardAll
      ? kind.forwardAll(layer.config, weights[l], layerInputs, arith)
      : [kind.forward(layer.config, weights[l], layerInputs, arith)];
    extra.forEach((tensor, k) => values.set(tensorRef(layer.name, k + 1), tensor));
    // Keras's mask propagation: made or changed by computeMask, carried by supportsMasking, else dropped.
    const mask = kind.computeMask ? kind.computeMask(layer.config, layerInputs) : kind.supportsMasking ? layerInputs[0]?.mask : undefined;
    values.set(layer.name, mask ? { shape: output.shape, data: output.data, mask } : { shape: output.shape, data: output.data });
  });
  return values;
}
