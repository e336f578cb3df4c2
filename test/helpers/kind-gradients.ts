/**
 * The check of one kind's hand backward against central finite differences of its own hand forward, in
 * float64: the independent source for every kind's gradient tests (test/layers/*-gradients.test.ts).
 *
 * Loss: L = sum_k <r_k, y_k> over the kind's outputs y_k (forwardAll's list, or forward's one), with r_k drawn
 * from a seeded NumPy stream, so dL/dy_k = r_k exactly and every output element is weighted differently.
 * For every weight entry and every float input entry (or a seeded sample of them, see `maxEntries`):
 *   fd = (L(v + h) - L(v - h)) / 2h,  h = 1e-6 * max(1, |v|)
 * Central differences have truncation error O(h^2 f''') ~ 1e-12 and rounding error ~ eps * |L| / h ~ 1e-10 * |L|
 * here; the default tolerance |g - fd| <= 1e-6 * (1 + |fd|) leaves 4 orders of margin for smooth functions
 * and still fails a gradient wrong by one term (measured: a dropped term moves g by >= 1e-3 in these tests).
 * Inputs must keep away from kinks (relu at 0, max-pooling ties): the caller's draws do.
 */
import type { HandTensor, LayerGradients, AnyLayerKind, WeightData } from '../../src/layers/kind';
import { NumpyRandomState } from '../../src/data/numpy-random';
import { arithmeticFor } from '../../src/hand/precision';

export interface KindGradientCase {
  readonly kind: AnyLayerKind;
  readonly config: unknown;
  /** Float64 weights, in weightShapes order. */
  readonly weights: readonly Float64Array[];
  /** Float64 data (integer ids for token inputs), with masks where the case has them. */
  readonly inputs: readonly HandTensor[];
  /** Inputs (by index) that take no gradient (token ids): backward must give null for them. */
  readonly nonDifferentiable?: readonly number[];
}

interface KindGradientOptions {
  /** Seed of the r_k draws (default 7). */
  readonly seed?: number;
  /** Checks at most this many entries per tensor, a seeded sample (default: all). */
  readonly maxEntries?: number;
  /** |g - fd| <= atol + rtol * |fd| (defaults 1e-6 and 1e-6). */
  readonly atol?: number;
  readonly rtol?: number;
}

interface GradientMismatch {
  readonly what: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

function outputsOf(c: KindGradientCase, weights: readonly WeightData[], inputs: readonly HandTensor[]): HandTensor[] {
  const arith = arithmeticFor('float64');
  return c.kind.forwardAll ? c.kind.forwardAll(c.config, weights, inputs, arith) : [c.kind.forward(c.config, weights, inputs, arith)];
}

function lossOf(outputs: readonly HandTensor[], r: readonly Float64Array[]): number {
  let sum = 0;
  outputs.forEach((y, k) => {
    for (let i = 0; i < y.data.length; i++) sum += r[k][i] * y.data[i];
  });
  return sum;
}

function sampleIndices(length: number, maxEntries: number | undefined, random: NumpyRandomState): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (maxEntries === undefined || length <= maxEntries) return all;
  const picked = new Set<number>();
  const draws = random.randint(0, length, 4 * maxEntries);
  for (const d of draws) {
    if (picked.size >= maxEntries) break;
    picked.add(d);
  }
  return [...picked];
}

/** The kind's backward for the case's loss, in `precision`. */
export function kindGradients(c: KindGradientCase, precision: 'float64' | 'float32' = 'float64', seed = 7): LayerGradients {
  const outputs = outputsOf(c, c.weights, c.inputs);
  const r = outputs.map((y, k) => new NumpyRandomState(seed + k).randn([y.data.length]));
  if (!c.kind.backward) throw new Error(`${c.kind.kind}: no backward`);
  return c.kind.backward(c.config, c.weights, c.inputs, r, arithmeticFor(precision));
}

/**
 * Every mismatch between the kind's backward (float64) and central differences; [] when they agree.
 * Also fails (as a mismatch with index -1) when backward returns the wrong count or length of arrays.
 */
export function kindGradientMismatches(c: KindGradientCase, options: KindGradientOptions = {}): GradientMismatch[] {
  const { seed = 7, maxEntries, atol = 1e-6, rtol = 1e-6 } = options;
  const outputs = outputsOf(c, c.weights, c.inputs);
  const r = outputs.map((y, k) => new NumpyRandomState(seed + k).randn([y.data.length]));
  const grads = kindGradients(c, 'float64', seed);
  const mismatches: GradientMismatch[] = [];
  const random = new NumpyRandomState(seed + 100);
  const compare = (what: string, values: Float64Array, analytic: ArrayLike<number> | null, evaluate: () => number): void => {
    if (analytic === null || analytic.length !== values.length) {
      mismatches.push({ what: `${what} (length ${analytic?.length ?? 'null'}, expected ${values.length})`, index: -1, analytic: NaN, numeric: NaN });
      return;
    }
    for (const i of sampleIndices(values.length, maxEntries, random)) {
      const v = values[i];
      const h = 1e-6 * Math.max(1, Math.abs(v));
      values[i] = v + h;
      const plus = evaluate();
      values[i] = v - h;
      const minus = evaluate();
      values[i] = v;
      const numeric = (plus - minus) / (2 * h);
      if (!(Math.abs(analytic[i] - numeric) <= atol + rtol * Math.abs(numeric))) mismatches.push({ what, index: i, analytic: analytic[i], numeric });
    }
  };
  if (grads.weights.length !== c.weights.length) {
    mismatches.push({ what: `weights (count ${grads.weights.length}, expected ${c.weights.length})`, index: -1, analytic: NaN, numeric: NaN });
  }
  if (grads.inputs.length !== c.inputs.length) {
    mismatches.push({ what: `inputs (count ${grads.inputs.length}, expected ${c.inputs.length})`, index: -1, analytic: NaN, numeric: NaN });
  }
  const weights = c.weights.map((w) => Float64Array.from(w));
  weights.forEach((w, k) => compare(`weight ${k}`, w, grads.weights[k] ?? null, () => lossOf(outputsOf(c, weights, c.inputs), r)));
  c.inputs.forEach((input, k) => {
    if (c.nonDifferentiable?.includes(k)) {
      if (grads.inputs[k] !== null) mismatches.push({ what: `input ${k} (expected null: not differentiable)`, index: -1, analytic: NaN, numeric: NaN });
      return;
    }
    const data = Float64Array.from(input.data);
    const inputs = c.inputs.map((x, j) => (j === k ? { ...x, data } : x));
    compare(`input ${k}`, data, grads.inputs[k] ?? null, () => lossOf(outputsOf(c, c.weights, inputs), r));
  });
  return mismatches;
}

/** Seeded float64 values: randn(size) * scale. */
export function seededValues(seed: number, size: number, scale = 1): Float64Array {
  return new NumpyRandomState(seed).randn([size]).map((v) => v * scale);
}

/** Largest |a - b| / max(|b|) over two gradients (the float32 mode check against float64). */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
