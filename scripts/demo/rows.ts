/**
 * The demo's arrays: plain nested number arrays (`Rows` is [rows][cols]), as NumPy prints them, with the few
 * NumPy operations the seed notebooks use (dot, +, tanh) written as plain loops in float64.
 * No tfjs here: these compute the demo's "by hand" side.
 */
import type { NdArray } from '../../src/tensor';
import type { Matrix } from '../../src/weights';

/** A matrix as nested rows: element (r, c) is m[r][c]. */
export type Rows = number[][];

/** np.zeros((rows, cols)). */
export function zeros(rows: number, cols: number): Rows {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/** a.dot(b): [n, k] x [k, m] -> [n, m], summing over k in order. */
export function dot(a: Rows, b: Rows): Rows {
  const n = a.length;
  const k = b.length;
  const m = k === 0 ? 0 : b[0].length;
  const out = zeros(n, m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i][p] * b[p][j];
      out[i][j] = sum;
    }
  }
  return out;
}

/** a + b, element by element: [n, m] + [n, m] -> [n, m]. */
export function plus(a: Rows, b: Rows): Rows {
  return a.map((row, i) => row.map((v, j) => v + b[i][j]));
}

/** a + v with v broadcast over rows, as NumPy adds a bias: [n, m] + [m] -> [n, m]. */
export function plusRow(a: Rows, v: readonly number[]): Rows {
  return a.map((row) => row.map((x, j) => x + v[j]));
}

/** np.tanh, element by element. */
export function tanh(a: Rows): Rows {
  return a.map((row) => row.map(Math.tanh));
}

/** Every value rounded to the nearest float32, so tfjs (which computes in float32) and the hand path read the same inputs. */
export function float32(a: Rows): Rows {
  return a.map((row) => row.map(Math.fround));
}

/**
 * Time-major steps -> one batch-major sequence: steps[t][n] -> out[n][t].
 * E.g. seed 000's [X0, X1] (each [batch, inputs]) -> [batch, 2, inputs], the layout an RNN layer reads.
 */
export function stackSteps<T>(steps: readonly T[][]): T[][] {
  const batch = steps.length === 0 ? 0 : steps[0].length;
  return Array.from({ length: batch }, (_, n) => steps.map((step) => step[n]));
}

/** Nested arrays (rank 1 to 3, rectangular) -> NdArray with Float64Array data in C order. */
export function toNdArray(nested: number[] | Rows | number[][][]): NdArray {
  const shape: number[] = [];
  let level: unknown = nested;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flat = (nested as unknown[]).flat(shape.length - 1) as number[];
  return { shape, data: Float64Array.from(flat) };
}

/** A rank-2 NdArray -> Rows. */
export function toRows(array: NdArray): Rows {
  const [rows, cols] = array.shape;
  return Array.from({ length: rows }, (_, r) => Array.from(array.data.subarray(r * cols, (r + 1) * cols)));
}

/** Rows [n, t, units] of a rank-3 NdArray at one step t -> [n, units]. */
export function stepOf(array: NdArray, t: number): Rows {
  const [batch, timeSteps, units] = array.shape;
  return Array.from({ length: batch }, (_, n) => {
    const start = (n * timeSteps + t) * units;
    return Array.from(array.data.subarray(start, start + units));
  });
}

/** A rank-3 NdArray [n, t, d] -> nested [n][t][d], as NumPy's X[n][t] reads it. */
export function toRows3(array: NdArray): number[][][] {
  const [n, t, d] = array.shape;
  return Array.from({ length: n }, (_, i) => toRows({ shape: [t, d], data: array.data.subarray(i * t * d, (i + 1) * t * d) }));
}

/** A weight Matrix (row-major Float32Array, as extractWeights returns it) -> Rows of its exact values. */
export function fromMatrix(m: Matrix): Rows {
  return toRows({ shape: [m.rows, m.cols], data: m.data });
}
