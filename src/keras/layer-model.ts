/**
 * The layer path for imported weights: the tfjs model buildModel(spec) makes, with the Keras weights
 * set into it in place of its seeded initial values.
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/build';
import { ShapeError } from '../errors';
import type { ModelSpec } from '../spec';
import { formatShape } from '../tensor';
import type { RecurrentLayerWeights, RnnWeights } from '../weights';

/** One weight as the tfjs layer will receive it: values and the shape they are given. */
interface WeightValue {
  readonly name: string;
  readonly shape: number[];
  readonly data: Float32Array;
}

/**
 * A recurrent layer's weights in the order and shapes tfjs's RNN layers hold them:
 * kernel [inputDim, gates*units], recurrentKernel [units, gates*units], and bias [gates*units], or
 * [2, gates*units] (rows: input bias, recurrent bias) for GRU reset_after, as Keras 3 and our
 * GRUResetAfter layer hold it. A layer holding another shape is refused by setLayerWeights.
 */
function recurrentValues(layer: RecurrentLayerWeights): WeightValue[] {
  const width = layer.bias.length;
  const kernel = { name: 'kernel', shape: [layer.kernel.rows, layer.kernel.cols], data: layer.kernel.data };
  const recurrentKernel = { name: 'recurrentKernel', shape: [layer.recurrentKernel.rows, layer.recurrentKernel.cols], data: layer.recurrentKernel.data };
  if (layer.recurrentBias !== undefined) {
    const rows = new Float32Array(2 * width);
    rows.set(layer.bias, 0);
    rows.set(layer.recurrentBias, width);
    // Parity note: the [2, 3*units] bias as Keras 3 stores it: row 0 input bias, row 1 recurrent bias.
    return [kernel, recurrentKernel, { name: 'bias', shape: [2, width], data: rows }];
  }
  return [kernel, recurrentKernel, { name: 'bias', shape: [width], data: layer.bias }];
}

/**
 * Sets one layer's weights after checking that each has the shape the layer holds.
 * @throws ShapeError naming the layer, the weight and both shapes.
 */
function setLayerWeights(layer: tf.layers.Layer, where: string, values: readonly WeightValue[]): void {
  const current = layer.getWeights();
  if (current.length !== values.length) {
    throw new ShapeError(`${where}: expected ${values.length} weights (${values.map((v) => v.name).join(', ')}), got a layer holding ${current.length}`);
  }
  values.forEach((value, i) => {
    if (formatShape(current[i].shape) !== formatShape(value.shape)) {
      throw new ShapeError(`${where} ${value.name}: expected the layer's shape ${formatShape(current[i].shape)}, got ${formatShape(value.shape)}`);
    }
  });
  const tensors = values.map((value) => tf.tensor(value.data, value.shape, 'float32'));
  try {
    layer.setWeights(tensors);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}

/**
 * Builds the layer path's model for `spec` on the active backend and sets `weights` into it.
 * The caller disposes the model.
 * @param weights recurrent layers bottom to top (kernel [inputDim, gates*units], recurrentKernel
 *   [units, gates*units], bias [gates*units] (+ recurrentBias for GRU reset_after)), dense kernel
 *   [units, denseUnits] and bias [denseUnits]
 * @throws ShapeError when a weight does not fit the layer built for it; ConfigError from buildModel.
 */
export function buildModelWithWeights(spec: ModelSpec, weights: RnnWeights): tf.Sequential {
  const model = buildModel(spec, 0);
  try {
    if (weights.recurrent.length !== spec.layers || model.layers.length !== spec.layers + 1) {
      throw new ShapeError(`model: expected ${spec.layers} recurrent layers + dense, got ${weights.recurrent.length} recurrent weight sets for ${model.layers.length} layers`);
    }
    weights.recurrent.forEach((layer, k) => {
      const tfjsLayer = model.layers[k];
      setLayerWeights(tfjsLayer, `layer ${k} (${tfjsLayer.getClassName()})`, recurrentValues(layer));
    });
    const { kernel, bias } = weights.dense;
    setLayerWeights(model.layers[spec.layers], 'dense', [
      { name: 'kernel', shape: [kernel.rows, kernel.cols], data: kernel.data },
      { name: 'bias', shape: [bias.length], data: bias },
    ]);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
