/**
 * The comparator: one pass over two NdArrays -> a ParityReport.
 *
 * The test is numpy.allclose's asymmetric one, |a - b| <= atol + rtol * |b|, with `expected` as b:
 * the hand path's float64 recomputation is the reference, the layer path's output is judged against it.
 * Two rules are stricter than numpy's and tfjs's test helpers:
 *   - NaN or ±Inf in either array never passes, not even Inf against the same Inf
 *     (numpy's equal_nan and tfjs-core's expectArraysClose treat two non-finite values as equal);
 *   - a shape mismatch never passes, even when the element counts agree ([2,3] vs [3,2]).
 *     It is reported, not thrown: the caller asked "do these agree?" and the answer is no.
 * Zero-element arrays of equal shape pass with `elements: 0` (numpy.allclose([], []) is True too);
 * there is nothing to disagree about, and the shape itself has been checked.
 */
import { ConfigError, ShapeError } from '../errors';
import { formatShape, NdArray, sizeOf } from '../tensor';

// Hoisted out of the hot loop: inside a vm context (every jest test file runs in one) each global lookup
// such as `Math` goes through the context's interceptor, and 10M elements took 8 s instead of 0.15 s.
const abs = Math.abs;
const isFiniteNumber = Number.isFinite;

/** Allowed error: |actual - expected| <= atol + rtol * |expected|. Both finite and >= 0. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface ParityReport {
  /** Shapes equal, every pair finite and within tolerance. */
  pass: boolean;
  shapeMatch: boolean;
  actualShape: number[];
  expectedShape: number[];
  /** Elements compared: sizeOf(shape) when the shapes match, else 0. */
  elements: number;
  /** max |a - b| over pairs where both are finite; NaN if there are none. */
  maxAbsError: number;
  /** max |a - b| / |b| over finite pairs (Infinity where b == 0 and a != b); NaN if there are none. */
  maxRelError: number;
  /**
   * Multi-index of the worst element, e.g. [sample, step, unit] or [sample, unit]. When some element is over
   * tolerance: the one with the largest excess |a - b| - (atol + rtol*|b|), a non-finite pair counting as
   * excess Infinity. When all are within: the one with the largest |a - b|. First in row-major order on ties;
   * null when nothing was compared.
   */
  worstIndex: number[] | null;
  /** Values at worstIndex; NaN when worstIndex is null. */
  worstActual: number;
  worstExpected: number;
  /** Elements with |a - b| > atol + rtol*|b|, or with a non-finite value in either array. */
  overTolerance: number;
  /** NaN/±Inf counts in each array (counted even when the shapes differ). */
  nonFinite: { actual: number; expected: number };
  /**
   * Rank-3 outputs [batch, timeSteps, units] only: max |a - b| per time step over finite pairs,
   * length timeSteps; NaN for a step with no finite pair.
   */
  perStepMaxAbsError?: number[];
  tolerance: Tolerance;
}

/**
 * Compares the layer path's output against the reference, element by element, in one pass.
 * Values are read as float64 (a Float32Array's values widen exactly); no allocation grows with size
 * except perStepMaxAbsError.
 *
 * @param actual e.g. tfjs output [batch, denseUnits] or [batch, timeSteps, denseUnits], Float32Array data.
 * @param expected the reference (hand path, float64), b in |a - b| <= atol + rtol*|b|.
 * @throws ConfigError when atol or rtol is not a finite number >= 0.
 * @throws ShapeError when an array's data length differs from the size of its own shape.
 */
export function compareOutputs(actual: NdArray, expected: NdArray, tolerance: Tolerance): ParityReport {
  checkTolerance('atol', tolerance.atol);
  checkTolerance('rtol', tolerance.rtol);
  checkDataLength('actual', actual);
  checkDataLength('expected', expected);

  const report: ParityReport = {
    pass: false,
    shapeMatch: sameShape(actual.shape, expected.shape),
    actualShape: [...actual.shape],
    expectedShape: [...expected.shape],
    elements: 0,
    maxAbsError: NaN,
    maxRelError: NaN,
    worstIndex: null,
    worstActual: NaN,
    worstExpected: NaN,
    overTolerance: 0,
    nonFinite: { actual: 0, expected: 0 },
    tolerance: { atol: tolerance.atol, rtol: tolerance.rtol },
  };
  if (!report.shapeMatch) {
    report.nonFinite = { actual: countNonFinite(actual.data), expected: countNonFinite(expected.data) };
    return report;
  }

  const { atol, rtol } = tolerance;
  const a = actual.data;
  const b = expected.data;
  const n = a.length;
  const rank = actual.shape.length;
  // Walk every shape as [outer, steps, inner]; only rank 3 ([batch, timeSteps, units]) has real steps.
  const steps = rank === 3 ? actual.shape[1] : 1;
  const inner = rank === 3 ? actual.shape[2] : n;
  const outer = rank === 3 ? actual.shape[0] : 1;
  // -1 marks "no finite pair yet"; every |a - b| is >= 0.
  const perStep = rank === 3 ? new Array<number>(steps).fill(-1) : null;

  let maxAbs = -1;
  let maxRel = -1;
  let over = 0;
  let nonFiniteA = 0;
  let nonFiniteB = 0;
  let worstOver = -1; // flat index of the largest excess among elements over tolerance
  let worstOverExcess = -Infinity;
  let worstWithin = -1; // flat index of the largest |a - b| among finite pairs
  let flat = 0;
  for (let s = 0; s < outer; s++) {
    for (let t = 0; t < steps; t++) {
      let stepMax = -1;
      for (let u = 0; u < inner; u++, flat++) {
        const x = a[flat];
        const y = b[flat];
        const xFinite = isFiniteNumber(x);
        const yFinite = isFiniteNumber(y);
        if (!xFinite || !yFinite) {
          if (!xFinite) nonFiniteA++;
          if (!yFinite) nonFiniteB++;
          over++;
          if (worstOverExcess < Infinity) {
            worstOverExcess = Infinity;
            worstOver = flat;
          }
          continue;
        }
        const diff = abs(x - y);
        const absY = abs(y);
        if (diff > maxAbs) {
          maxAbs = diff;
          worstWithin = flat;
        }
        if (diff > stepMax) stepMax = diff;
        const rel = absY === 0 ? (diff === 0 ? 0 : Infinity) : diff / absY;
        if (rel > maxRel) maxRel = rel;
        const bound = atol + rtol * absY;
        if (diff > bound) {
          over++;
          // diff > bound means bound is finite, so the excess is a number > 0 (Infinity if diff overflowed).
          const excess = diff - bound;
          if (excess > worstOverExcess) {
            worstOverExcess = excess;
            worstOver = flat;
          }
        }
      }
      if (perStep !== null && stepMax > perStep[t]) perStep[t] = stepMax;
    }
  }

  const worst = over > 0 ? worstOver : worstWithin;
  report.elements = n;
  report.pass = over === 0;
  report.maxAbsError = maxAbs < 0 ? NaN : maxAbs;
  report.maxRelError = maxRel < 0 ? NaN : maxRel;
  report.overTolerance = over;
  report.nonFinite = { actual: nonFiniteA, expected: nonFiniteB };
  if (worst >= 0) {
    report.worstIndex = unravelIndex(worst, actual.shape);
    report.worstActual = a[worst];
    report.worstExpected = b[worst];
  }
  if (perStep !== null) report.perStepMaxAbsError = perStep.map((m) => (m < 0 ? NaN : m));
  return report;
}

/**
 * Renders a multi-index in the words of the output's axes: rank 3 [batch, timeSteps, units] as
 * `(sample 0, step 3, unit 1)`, rank 2 [batch, units] as `(sample 0, unit 1)`, any other rank as `[i,j,...]`.
 */
export function formatIndex(index: readonly number[]): string {
  if (index.length === 3) return `(sample ${index[0]}, step ${index[1]}, unit ${index[2]})`;
  if (index.length === 2) return `(sample ${index[0]}, unit ${index[1]})`;
  return `[${index.join(',')}]`;
}

function checkTolerance(name: keyof Tolerance, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new ConfigError(`${name}: expected a finite number >= 0, got ${shown}`);
  }
}

function checkDataLength(name: string, array: NdArray): void {
  const size = sizeOf(array.shape);
  if (array.data.length !== size) {
    throw new ShapeError(`${name}: expected data of length ${size} for shape ${formatShape(array.shape)}, got ${array.data.length}`);
  }
}

function sameShape(x: readonly number[], y: readonly number[]): boolean {
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

function countNonFinite(data: Float32Array | Float64Array): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (!isFiniteNumber(data[i])) count++;
  return count;
}

/** Flat row-major offset -> multi-index, e.g. 7 in [2,3,2] -> [1,0,1]. */
function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return index;
}
