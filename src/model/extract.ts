/** Reads a built tfjs model's weights into plain arrays (RnnWeights), the hand path's only input from tfjs. */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors';
import type { ModelSpec } from '../spec';
import { formatShape } from '../tensor';
import { gateCount, layerInputDim, recurrentLayerOf, type Matrix, type RecurrentLayerWeights, type RnnWeights } from '../weights';

function readMatrix(tensor: tf.Tensor, name: string, rows: number, cols: number): Matrix {
  if (tensor.shape.length !== 2 || tensor.shape[0] !== rows || tensor.shape[1] !== cols) {
    throw new ShapeError(`${name}: expected shape ${formatShape([rows, cols])}, got ${formatShape(tensor.shape)}`);
  }
  return { rows, cols, data: Float32Array.from(tensor.dataSync() as Float32Array) };
}

function readVector(tensor: tf.Tensor, name: string, length: number): Float32Array {
  if (tensor.shape.length !== 1 || tensor.shape[0] !== length) {
    throw new ShapeError(`${name}: expected shape ${formatShape([length])}, got ${formatShape(tensor.shape)}`);
  }
  return Float32Array.from(tensor.dataSync() as Float32Array);
}

/** GRU reset_after's bias [2, gates*units]: row 0 the input bias, row 1 the recurrent bias. */
function readBiasRows(tensor: tf.Tensor, name: string, width: number): { bias: Float32Array; recurrentBias: Float32Array } {
  const rows = readMatrix(tensor, name, 2, width);
  // Parity note: Keras 3's GRUCell (reset_after=True) unstacks its bias (2, 3*units) the same way.
  return { bias: rows.data.slice(0, width), recurrentBias: rows.data.slice(width) };
}

/**
 * Extracts every layer's weights, checking each shape against the spec:
 *   recurrent layer k: kernel [inputDim_k, gates*units], recurrentKernel [units, gates*units],
 *     bias [gates*units], or [2, gates*units] for GRU with resetAfter (-> bias and recurrentBias)
 *   dense: kernel [units, denseUnits], bias [denseUnits]
 * @throws ShapeError when a weight's shape is not what the spec implies.
 */
export function extractWeights(model: tf.LayersModel, spec: ModelSpec): RnnWeights {
  const expectedLayers = spec.layers + 1;
  if (model.layers.length !== expectedLayers) {
    throw new ShapeError(`model: expected ${expectedLayers} layers (${spec.layers} recurrent + dense), got ${model.layers.length}`);
  }
  const width = gateCount(spec.cell) * spec.units;
  const resetAfter = spec.cell === 'gru' && spec.resetAfter;
  const recurrent: RecurrentLayerWeights[] = [];
  for (let k = 0; k < spec.layers; k++) {
    const weights = model.layers[k].getWeights();
    const name = `layer ${k} (${model.layers[k].getClassName()})`;
    if (weights.length !== 3) {
      throw new ShapeError(`${name}: expected 3 weights (kernel, recurrentKernel, bias), got ${weights.length}`);
    }
    const [kernel, recurrentKernel, bias] = weights;
    recurrent.push(
      recurrentLayerOf(spec, k, {
        kernel: readMatrix(kernel, `${name} kernel`, layerInputDim(spec, k), width),
        recurrentKernel: readMatrix(recurrentKernel, `${name} recurrentKernel`, spec.units, width),
        ...(resetAfter ? readBiasRows(bias, `${name} bias`, width) : { bias: readVector(bias, `${name} bias`, width) }),
      }),
    );
  }
  const [denseKernel, denseBias] = model.layers[spec.layers].getWeights();
  return {
    recurrent,
    dense: {
      kernel: readMatrix(denseKernel, 'dense kernel', spec.units, spec.denseUnits),
      bias: readVector(denseBias, 'dense bias', spec.denseUnits),
    },
  };
}
