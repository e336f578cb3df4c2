/**
 * Shape checks at the edge of the hand path: the input and every weight, before anything is allocated.
 * After this the math trusts its inputs.
 */
import { ConfigError, ShapeError } from '../errors';
import { CELLS } from '../spec';
import { formatShape, NdArray, sizeOf } from '../tensor';
import { gateCount, Matrix, RecurrentLayerWeights, RnnWeights } from '../weights';
import { activationFunction, recurrentActivationFunction } from './activations';

/** The sizes forwardHand runs with, read from the input's shape. */
interface InputSizes {
  readonly batch: number;
  readonly timeSteps: number;
  readonly inputDim: number;
}

/**
 * Checks that `input` and `weights` fit together.
 *
 * @param input [batch, timeSteps, inputDim], data length batch*timeSteps*inputDim
 * @param weights layer 0's kernel [inputDim, gates*units]; layer k's kernel [units of layer k-1, gates*units];
 *   recurrentKernel [units, gates*units]; bias [gates*units]; recurrentBias [gates*units] for GRU with
 *   resetAfter only; dense kernel [units of the last layer, denseUnits], dense bias [denseUnits]
 * @throws ShapeError "<what>: expected X, got Y" naming the received shape, size or length.
 * @throws ConfigError for an unknown cell, activation or recurrentActivation name.
 */
export function validateForwardInputs(weights: RnnWeights, input: NdArray): InputSizes {
  const shape = input.shape;
  if (shape.length !== 3) {
    throw new ShapeError(`input: expected rank 3 [batch, timeSteps, inputDim], got rank ${shape.length} shape ${formatShape(shape)}`);
  }
  if (!shape.every(isPositiveInteger)) {
    throw new ShapeError(`input: expected positive integer sizes [batch, timeSteps, inputDim], got ${formatShape(shape)}`);
  }
  if (input.data.length !== sizeOf(shape)) {
    throw new ShapeError(`input: expected ${sizeOf(shape)} values for shape ${formatShape(shape)}, got ${input.data.length}`);
  }
  const [batch, timeSteps, inputDim] = shape;

  if (weights.recurrent.length === 0) {
    throw new ShapeError('weights.recurrent: expected at least 1 recurrent layer, got 0');
  }
  const kernelRows = weights.recurrent[0].kernel.rows;
  if (inputDim !== kernelRows) {
    throw new ShapeError(`input: expected inputDim ${kernelRows} (layer 0's kernel rows), got ${inputDim} in shape ${formatShape(shape)}`);
  }
  let layerInputDim = inputDim;
  weights.recurrent.forEach((layer, k) => {
    checkRecurrentLayer(layer, `layer ${k}`, layerInputDim, k === 0 ? 'the input' : `layer ${k - 1}'s units`);
    layerInputDim = layer.units;
  });

  const denseUnits = weights.dense.kernel.cols;
  if (!isPositiveInteger(denseUnits)) {
    throw new ShapeError(`dense kernel: expected a positive number of columns, got ${formatMatrixShape(weights.dense.kernel)}`);
  }
  checkMatrix('dense kernel', weights.dense.kernel, layerInputDim, denseUnits);
  checkVector('dense bias', weights.dense.bias, denseUnits);
  return { batch, timeSteps, inputDim };
}

function checkRecurrentLayer(layer: RecurrentLayerWeights, name: string, inputDim: number, inputDimSource: string): void {
  if (!(CELLS as readonly string[]).includes(layer.cell)) {
    throw new ConfigError(`${name} cell: expected one of ${CELLS.join(', ')}, got ${JSON.stringify(layer.cell)}`);
  }
  const label = `${name} (${layer.cell})`;
  activationFunction(layer.activation);
  recurrentActivationFunction(layer.recurrentActivation);
  const { units } = layer;
  if (!isPositiveInteger(units)) {
    throw new ShapeError(`${label} units: expected a positive integer, got ${units}`);
  }
  if (layer.inputDim !== inputDim) {
    throw new ShapeError(`${label} inputDim: expected ${inputDim} (${inputDimSource}), got ${layer.inputDim}`);
  }
  const width = gateCount(layer.cell) * units;
  checkMatrix(`${label} kernel`, layer.kernel, inputDim, width);
  checkMatrix(`${label} recurrentKernel`, layer.recurrentKernel, units, width);
  checkVector(`${label} bias`, layer.bias, width);
  const needsRecurrentBias = layer.cell === 'gru' && layer.resetAfter;
  if (needsRecurrentBias) {
    if (layer.recurrentBias === undefined) {
      throw new ShapeError(`${label} recurrentBias: expected [${width}] with resetAfter, got undefined`);
    }
    checkVector(`${label} recurrentBias`, layer.recurrentBias, width);
  } else if (layer.recurrentBias !== undefined) {
    throw new ShapeError(`${label} recurrentBias: expected none (only a GRU with resetAfter has one), got length ${layer.recurrentBias.length}`);
  }
}

function checkMatrix(name: string, matrix: Matrix, rows: number, cols: number): void {
  if (matrix.rows !== rows || matrix.cols !== cols) {
    throw new ShapeError(`${name}: expected ${formatShape([rows, cols])}, got ${formatMatrixShape(matrix)}`);
  }
  if (matrix.data.length !== rows * cols) {
    throw new ShapeError(`${name}: expected ${rows * cols} values for ${formatShape([rows, cols])}, got ${matrix.data.length}`);
  }
}

function checkVector(name: string, vector: Float32Array, length: number): void {
  if (vector.length !== length) {
    throw new ShapeError(`${name}: expected ${formatShape([length])}, got ${formatShape([vector.length])}`);
  }
}

function formatMatrixShape(matrix: Matrix): string {
  return formatShape([matrix.rows, matrix.cols]);
}

function isPositiveInteger(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}
