/**
 * How close a comparison came to its tolerance, as one number: the largest |a - b| / (atol + rtol*|b|)
 * over the elements. Below 1 passes, above 1 fails (compareOutputs' rule, |a - b| <= atol + rtol*|b|);
 * 0.25 means the worst element used a quarter of what it was allowed. A non-finite pair or a shape
 * mismatch counts as Infinity.
 */
import type { Tolerance } from '../../src/compare/compare';
import type { NdArray } from '../../src/tensor';

/**
 * @param actual the layer path's output, e.g. [batch, denseUnits]
 * @param expected the hand path's output (the reference b), the same shape
 */
export function toleranceRatio(actual: NdArray, expected: NdArray, tolerance: Tolerance): number {
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!sameShape || actual.data.length !== expected.data.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const a = actual.data[i];
    const b = expected.data[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
    const ratio = Math.abs(a - b) / (tolerance.atol + tolerance.rtol * Math.abs(b));
    if (ratio > worst) worst = ratio;
  }
  return worst;
}
