/**
 * Compares two gradients of one tensor: normwise and elementwise, scaled by the reference's size, so one
 * tolerance fits a recurrent kernel's gradient of 1e2 and a bias's of 1e-4 alike. Plain TypeScript.
 *
 *   relativeNormError  ||a - b||_2 / ||b||_2
 *   scaledMaxError     max_i |a_i - b_i| / max_i |b_i|          (pass: <= tolerance)
 *
 * As for outputs, NaN or Inf in either never passes; a reference that is all zeros compares against 1
 * (a gradient that should be zero must be zero to within the tolerance itself).
 */
import { ShapeError } from '../errors';

export interface GradientDifference {
  readonly relativeNormError: number;
  readonly scaledMaxError: number;
  readonly maxAbsError: number;
  /** Flat index of the largest |a - b| (the first non-finite pair, if any); -1 for empty tensors. */
  readonly worstIndex: number;
  readonly worstActual: number;
  readonly worstExpected: number;
  /** The reference's max |b| (the scale of scaledMaxError; 1 where b is all zeros). */
  readonly scale: number;
  /** Pairs with a NaN or Inf on either side. */
  readonly nonFinite: number;
  readonly tolerance: number;
  readonly pass: boolean;
}

/**
 * @param actual the gradient under test (e.g. tfjs's, float32)
 * @param expected the reference (the hand path's float64, or Keras's)
 * @throws ShapeError when the lengths differ (a wiring bug, not a numeric disagreement).
 */
export function compareGradients(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): GradientDifference {
  if (actual.length !== expected.length) throw new ShapeError(`gradient: expected ${expected.length} values, got ${actual.length}`);
  let diffSquares = 0;
  let refSquares = 0;
  let maxRef = 0;
  let maxAbsError = 0;
  let worstIndex = actual.length > 0 ? 0 : -1;
  let nonFinite = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (nonFinite === 0) worstIndex = i;
      nonFinite++;
      continue;
    }
    const d = Math.abs(a - b);
    diffSquares += d * d;
    refSquares += b * b;
    maxRef = Math.max(maxRef, Math.abs(b));
    if (d > maxAbsError && nonFinite === 0) {
      maxAbsError = d;
      worstIndex = i;
    } else if (d > maxAbsError) {
      maxAbsError = d;
    }
  }
  const scale = maxRef > 0 ? maxRef : 1;
  const relativeNormError = refSquares > 0 ? Math.sqrt(diffSquares / refSquares) : Math.sqrt(diffSquares);
  const scaledMaxError = nonFinite > 0 ? Infinity : maxAbsError / scale;
  return {
    relativeNormError: nonFinite > 0 ? Infinity : relativeNormError,
    scaledMaxError,
    maxAbsError,
    worstIndex,
    worstActual: worstIndex >= 0 ? actual[worstIndex] : NaN,
    worstExpected: worstIndex >= 0 ? expected[worstIndex] : NaN,
    scale,
    nonFinite,
    tolerance,
    pass: nonFinite === 0 && scaledMaxError <= tolerance,
  };
}

/** ||values||_2. */
export function norm2(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

/** max |values|, 0 for none. */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}
