/**
 * Pure rewrites of weights and arrays that the fault catalogue composes: every one returns new arrays and
 * leaves its argument untouched (the same RnnWeights object is shared by every fault of a check).
 * Gate blocks follow src/hand/linalg.ts's layout: a row is [gate 0 | gate 1 | ...], each `units` wide.
 */
import type { NdArray } from '../../src/tensor';
import { gateCount, type Matrix, type RecurrentLayerWeights, type RnnWeights } from '../../src/weights';

/** Applies `rewrite` to every recurrent layer (k = 0 is the bottom one); the dense head is kept. */
export function mapLayers(weights: RnnWeights, rewrite: (layer: RecurrentLayerWeights, k: number) => RecurrentLayerWeights): RnnWeights {
  return { recurrent: weights.recurrent.map(rewrite), dense: weights.dense };
}

/** A vector's values mapped one by one, rounded back to float32 (the weights' storage type). */
export function mapValues(values: Float32Array, f: (x: number, index: number) => number): Float32Array {
  return Float32Array.from(values, f);
}

/**
 * Column blocks reordered: block g of the result is block order[g] of `values`.
 * A row of `rowLength` values holds gateCount blocks of `units` columns each.
 */
function reorderBlocks(values: Float32Array, rowLength: number, units: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length; row += rowLength) {
    order.forEach((from, to) => out.set(values.subarray(row + from * units, row + (from + 1) * units), row + to * units));
  }
  return out;
}

/**
 * The layer as read by hand code that expects another gate order: the hand code's gate g lives in the
 * weights' block order[g]. Swapping two gates is its own inverse (order [1, 0, 2, 3] swaps i and f).
 * Applies to kernel, recurrentKernel, bias and recurrentBias alike.
 */
export function reorderGates(layer: RecurrentLayerWeights, order: readonly number[]): RecurrentLayerWeights {
  const width = gateCount(layer.cell) * layer.units;
  const blocks = (m: Matrix): Matrix => ({ ...m, data: reorderBlocks(m.data, width, layer.units, order) });
  return {
    ...layer,
    kernel: blocks(layer.kernel),
    recurrentKernel: blocks(layer.recurrentKernel),
    bias: reorderBlocks(layer.bias, width, layer.units, order),
    ...(layer.recurrentBias ? { recurrentBias: reorderBlocks(layer.recurrentBias, width, layer.units, order) } : {}),
  };
}

/**
 * Every gate's column block negated in kernel, recurrentKernel, bias and recurrentBias: the gate's
 * pre-activation a becomes -a, exactly (negation rounds nothing).
 */
export function negateGate(layer: RecurrentLayerWeights, gate: number): RecurrentLayerWeights {
  const width = gateCount(layer.cell) * layer.units;
  const inGate = (index: number) => Math.floor((index % width) / layer.units) === gate;
  const negate = (values: Float32Array) => mapValues(values, (x, i) => (inGate(i) ? -x : x));
  return {
    ...layer,
    kernel: { ...layer.kernel, data: negate(layer.kernel.data) },
    recurrentKernel: { ...layer.recurrentKernel, data: negate(layer.recurrentKernel.data) },
    bias: negate(layer.bias),
    ...(layer.recurrentBias ? { recurrentBias: negate(layer.recurrentBias) } : {}),
  };
}

/**
 * Each [units, units] gate block of a [units, gates*units] matrix transposed in place of itself:
 * hand code that indexes U[j][i] where U[i][j] is meant.
 */
export function transposeGateBlocks(matrix: Matrix, units: number): Matrix {
  const { rows, cols, data } = matrix;
  const out = new Float32Array(data.length);
  for (let block = 0; block < cols; block += units) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < units; j++) out[j * cols + block + i] = data[i * cols + block + j];
    }
  }
  return { rows, cols, data: out };
}

/**
 * x rounded to the nearest IEEE half-precision value (ties to even), as float16 storage would hold it:
 * 11 significant bits, subnormals below 2^-14 (spacing 2^-24), ±Infinity from 65520 up.
 * Node 20 has no Math.f16round, hence this.
 */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Infinity;
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--; // log2 can round up just below a power of 2
  if (2 ** (exponent + 1) <= a) exponent++;
  const spacing = 2 ** (Math.max(exponent, -14) - 10);
  const q = a / spacing; // exact: division by a power of 2
  const floor = Math.floor(q);
  const fraction = q - floor;
  const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return sign * rounded * spacing;
}

/** Every weight of the model, recurrent and dense, mapped value by value (and stored as float32 again). */
export function mapWeightValues(weights: RnnWeights, f: (x: number) => number): RnnWeights {
  const values = (v: Float32Array) => mapValues(v, f);
  const matrix = (m: Matrix): Matrix => ({ ...m, data: values(m.data) });
  return {
    recurrent: weights.recurrent.map((layer) => ({
      ...layer,
      kernel: matrix(layer.kernel),
      recurrentKernel: matrix(layer.recurrentKernel),
      bias: values(layer.bias),
      ...(layer.recurrentBias ? { recurrentBias: values(layer.recurrentBias) } : {}),
    })),
    dense: { kernel: matrix(weights.dense.kernel), bias: values(weights.dense.bias) },
  };
}

/**
 * x as it comes back from text written with `digits` decimals ('%.4f', toFixed(4)): the nearest multiple
 * of 10^-digits (toFixed rounds the exact binary value), then parsed again.
 */
export function roundToDecimals(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/**
 * The matrix's buffer read column-major: element (r, c) taken from data[c * rows + r], as hand code does
 * with a Fortran-order or PyTorch-layout ([cols, rows]) array copied flat. A transposition when square.
 */
export function readColumnMajor(matrix: Matrix): Matrix {
  const { rows, cols, data } = matrix;
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[c * rows + r];
  }
  return { rows, cols, data: out };
}

/**
 * input [batch, timeSteps, inputDim] with every sequence moved one step later, step 0 zero:
 * what hand code reading x_{t-1} at step t sees (x_{-1} read as 0).
 */
export function delayOneStep(input: NdArray): NdArray {
  const [batch, timeSteps, inputDim] = input.shape;
  const out = new Float64Array(input.data.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 1; t < timeSteps; t++) {
      const from = (b * timeSteps + t - 1) * inputDim;
      out.set(input.data.subarray(from, from + inputDim), (b * timeSteps + t) * inputDim);
    }
  }
  return { shape: input.shape, data: out };
}

/**
 * The [batch, timeSteps, inputDim] buffer read as if it were time-major [timeSteps, batch, inputDim]:
 * hand code indexing (t*batch + b) where (b*timeSteps + t) is meant. The identity when batch = 1.
 */
export function readTimeMajor(input: NdArray): NdArray {
  const [batch, timeSteps, inputDim] = input.shape;
  const out = new Float64Array(input.data.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < timeSteps; t++) {
      const from = (t * batch + b) * inputDim;
      out.set(input.data.subarray(from, from + inputDim), (b * timeSteps + t) * inputDim);
    }
  }
  return { shape: input.shape, data: out };
}
