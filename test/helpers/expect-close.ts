/**
 * The one closeness assertion for tests (never bare toBeCloseTo: its default is 2 digits).
 * Shape first, like tfjs-core's expectArraysClose, then compareOutputs' rule:
 * |actual - expected| <= atol + rtol * |expected|, NaN/±Inf never close.
 */
import { compareOutputs, formatIndex, ParityReport, Tolerance } from '../../src/compare/compare';
import { formatError, formatTolerance } from '../../src/compare/summary';
import { formatShape, NdArray } from '../../src/tensor';

type Values = NdArray | ArrayLike<number>;

/**
 * Asserts two arrays agree within tolerance and returns the report (for further checks).
 * A flat ArrayLike (number[], Float32Array) takes the other argument's shape when that one is an NdArray
 * of the same element count, and shape [length] otherwise; so `expectClose(out, [0.1, 0.2], tol)` works for
 * an output of shape [1, 2], while two NdArrays must match exactly.
 *
 * @throws Error naming the shapes, or the worst index, both values, |diff|, the bound there and the tolerance.
 * @throws ConfigError when atol or rtol is not a finite number >= 0.
 */
export function expectClose(actual: Values, expected: Values, tolerance: Tolerance): ParityReport {
  const [a, b] = toNdArrays(actual, expected);
  if (formatShape(a.shape) !== formatShape(b.shape)) {
    fail(`expectClose: expected shape ${formatShape(b.shape)}, got ${formatShape(a.shape)}`);
  }
  const report = compareOutputs(a, b, tolerance);
  if (!report.pass) fail(describeFailure(report));
  return report;
}

function describeFailure(report: ParityReport): string {
  const { atol, rtol } = report.tolerance;
  const x = report.worstActual;
  const y = report.worstExpected;
  const where = report.worstIndex === null ? '' : ` at ${formatIndex(report.worstIndex)}`;
  const detail =
    Number.isFinite(x) && Number.isFinite(y)
      ? `|diff| ${formatError(Math.abs(x - y))} > allowed ${formatError(atol + rtol * Math.abs(y))}`
      : 'NaN/Inf is never close';
  const lines = [
    `expectClose: ${report.overTolerance} of ${report.elements} elements not within ${formatTolerance(report.tolerance)}`,
    `  worst${where}: actual ${x}, expected ${y}, ${detail}`,
    `  max|diff| ${formatError(report.maxAbsError)}, max rel ${formatError(report.maxRelError)}` +
      `, non-finite: actual ${report.nonFinite.actual}, expected ${report.nonFinite.expected}`,
  ];
  return lines.join('\n');
}

function toNdArrays(actual: Values, expected: Values): [NdArray, NdArray] {
  const a = isNdArray(actual) ? actual : flat(actual, isNdArray(expected) ? expected : null);
  const b = isNdArray(expected) ? expected : flat(expected, isNdArray(actual) ? actual : null);
  return [a, b];
}

function isNdArray(values: Values): values is NdArray {
  return typeof values === 'object' && values !== null && 'shape' in values && 'data' in values;
}

/** Wraps a flat array, borrowing `like`'s shape when the element counts agree. */
function flat(values: ArrayLike<number>, like: NdArray | null): NdArray {
  const data = Float64Array.from(values);
  const shape = like !== null && like.data.length === data.length ? [...like.shape] : [data.length];
  return { shape, data };
}

/** Throws with the stack starting at the caller's line, which jest then shows. */
function fail(message: string): never {
  const error = new Error(message);
  Error.captureStackTrace(error, expectClose);
  throw error;
}
