/**
 * Builders for hand-path tests: small weight sets written out as plain number arrays (row-major,
 * tfjs layout), inputs, and a deterministic generator for "realistic" weights.
 */
import type { Activation, CellKind, RecurrentActivation } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import type { DenseWeights, Matrix, RecurrentLayerWeights, RnnWeights } from '../../src/weights';
import { gateCount } from '../../src/weights';

/** Tight tolerance for float64 results against float64 arithmetic written in a test. */
export const FLOAT64_TIGHT = { atol: 1e-15, rtol: 1e-14 };

/** A row-major [rows, cols] matrix; throws if `values` has the wrong length (a typo in a test). */
export function matrix(rows: number, cols: number, values: readonly number[]): Matrix {
  if (values.length !== rows * cols) {
    throw new Error(`matrix: expected ${rows * cols} values for [${rows},${cols}], got ${values.length}`);
  }
  return { rows, cols, data: Float32Array.from(values) };
}

interface LayerValues {
  readonly cell: CellKind;
  readonly units: number;
  readonly inputDim: number;
  /** [inputDim, gates*units], row-major */
  readonly kernel: readonly number[];
  /** [units, gates*units], row-major */
  readonly recurrentKernel: readonly number[];
  /** [gates*units] */
  readonly bias: readonly number[];
  /** [gates*units], GRU with resetAfter only */
  readonly recurrentBias?: readonly number[];
  readonly activation?: Activation;
  readonly recurrentActivation?: RecurrentActivation;
  readonly returnSequences?: boolean;
  readonly goBackwards?: boolean;
  readonly resetAfter?: boolean;
}

/** A recurrent layer; unset flags take Keras's defaults except resetAfter (false, tfjs's only mode). */
export function recurrentLayer(values: LayerValues): RecurrentLayerWeights {
  const { cell, units, inputDim } = values;
  const width = gateCount(cell) * units;
  return {
    cell,
    units,
    inputDim,
    activation: values.activation ?? 'tanh',
    recurrentActivation: values.recurrentActivation ?? 'sigmoid',
    returnSequences: values.returnSequences ?? false,
    goBackwards: values.goBackwards ?? false,
    resetAfter: values.resetAfter ?? false,
    kernel: matrix(inputDim, width, values.kernel),
    recurrentKernel: matrix(units, width, values.recurrentKernel),
    bias: Float32Array.from(values.bias),
    ...(values.recurrentBias === undefined ? {} : { recurrentBias: Float32Array.from(values.recurrentBias) }),
  };
}

/** A dense head with the given [units, denseUnits] kernel and bias. */
export function denseHead(units: number, denseUnits: number, kernel: readonly number[], bias: readonly number[]): DenseWeights {
  return { kernel: matrix(units, denseUnits, kernel), bias: Float32Array.from(bias) };
}

/** The identity dense head [units, units] with zero bias, so the model's output is h itself. */
export function identityHead(units: number): DenseWeights {
  const kernel: number[] = [];
  for (let r = 0; r < units; r++) for (let c = 0; c < units; c++) kernel.push(r === c ? 1 : 0);
  return denseHead(units, units, kernel, new Array<number>(units).fill(0));
}

export function model(layers: RecurrentLayerWeights[], dense: DenseWeights): RnnWeights {
  return { recurrent: layers, dense };
}

/** An input [batch, timeSteps, inputDim] from nested arrays x[b][t][d], as Float64Array data. */
export function sequences(x: readonly (readonly (readonly number[])[])[]): NdArray {
  const batch = x.length;
  const timeSteps = x[0].length;
  const inputDim = x[0][0].length;
  return { shape: [batch, timeSteps, inputDim], data: Float64Array.from(x.flat(2)) };
}

/**
 * n values in [-scale, scale) from a 32-bit LCG (Numerical Recipes constants), each a float32 value, so
 * they can be weights or inputs and be read back unchanged. Deterministic per seed; not NumPy's stream.
 */
export function pseudoRandom(seed: number, n: number, scale = 0.5): number[] {
  let state = seed >>> 0;
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values.push(Math.fround((state / 2 ** 32 - 0.5) * 2 * scale));
  }
  return values;
}

/** A layer of `cell` with pseudo-random weights (scale 0.5) and the given flags. */
export function randomLayer(
  seed: number,
  cell: CellKind,
  inputDim: number,
  units: number,
  flags: Omit<Partial<LayerValues>, 'cell' | 'units' | 'inputDim'> = {},
): RecurrentLayerWeights {
  const width = gateCount(cell) * units;
  const resetAfter = flags.resetAfter ?? false;
  return recurrentLayer({
    cell,
    units,
    inputDim,
    kernel: pseudoRandom(seed, inputDim * width),
    recurrentKernel: pseudoRandom(seed + 1, units * width),
    bias: pseudoRandom(seed + 2, width, 0.25),
    ...(cell === 'gru' && resetAfter ? { recurrentBias: pseudoRandom(seed + 3, width, 0.25) } : {}),
    ...flags,
  });
}

/** An input [batch, timeSteps, inputDim] of pseudo-random values in [-1, 1). */
export function randomInput(seed: number, batch: number, timeSteps: number, inputDim: number): NdArray {
  return {
    shape: [batch, timeSteps, inputDim],
    data: Float64Array.from(pseudoRandom(seed, batch * timeSteps * inputDim, 1)),
  };
}

/** Row b of a [batch, ...] input as a batch-1 input [1, ...]. */
export function sampleOf(input: NdArray, b: number): NdArray {
  const rowSize = input.data.length / input.shape[0];
  return {
    shape: [1, ...input.shape.slice(1)],
    data: Float64Array.from(input.data.subarray(b * rowSize, (b + 1) * rowSize)),
  };
}

/** The input with its time axis reversed: [batch, timeSteps, inputDim] -> x[b][T-1-t]. */
export function reverseTime(input: NdArray): NdArray {
  const [batch, timeSteps, inputDim] = input.shape;
  const data = new Float64Array(input.data.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < timeSteps; t++) {
      const from = (b * timeSteps + t) * inputDim;
      const to = (b * timeSteps + (timeSteps - 1 - t)) * inputDim;
      for (let d = 0; d < inputDim; d++) data[to + d] = input.data[from + d];
    }
  }
  return { shape: [...input.shape], data };
}
