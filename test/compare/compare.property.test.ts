/**
 * Properties of compareOutputs, checked with fast-check on random shapes (rank 0-4, dims 1-4) and values.
 * Values mix the common case (|x| <= 10, small perturbations) with the whole float64 range, so that
 * differences overflow and float32 storage rounds to Infinity now and then.
 * fast-check prints the seed and the shrunk counterexample on failure; rerun with { seed, path } to reproduce.
 */
import fc from 'fast-check';
import { compareOutputs, ParityReport, Tolerance } from '../../src/compare/compare';
import { NdArray, sizeOf } from '../../src/tensor';
import { ndArray, ndArray32 } from '../helpers/nd-array';

const RUNS = { numRuns: 300 };

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });

const finiteArb = fc.oneof(
  { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 4 },
  { arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
);

/** actual - expected: mostly equal or close, sometimes far. */
const perturbationArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
  fc.double({ min: -1, max: 1, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const toleranceValueArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e-5, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: 0, max: 1e300, noNaN: true }),
);
const toleranceArb: fc.Arbitrary<Tolerance> = fc.record({ atol: toleranceValueArb, rtol: toleranceValueArb });

const nonFiniteArb = fc.constantFrom(NaN, Infinity, -Infinity);

interface Pair {
  actual: NdArray;
  expected: NdArray;
}

/** Two arrays of one shape; actual is float32 (as tfjs returns it) half of the time. */
const pairArb: fc.Arbitrary<Pair> = shapeArb.chain((shape) => {
  const n = sizeOf(shape);
  const values = fc.array(finiteArb, { minLength: n, maxLength: n });
  const perturbations = fc.array(perturbationArb, { minLength: n, maxLength: n });
  return fc.tuple(values, perturbations, fc.boolean()).map(([b, p, float32]) => {
    const a = b.map((y, i) => (Number.isFinite(y + p[i]) ? y + p[i] : y));
    return { actual: (float32 ? ndArray32 : ndArray)(shape, a), expected: ndArray(shape, b) };
  });
});

/** A pair with NaN or ±Inf written into one element of one array. */
const pairWithNonFiniteArb = fc.tuple(pairArb, fc.nat(), nonFiniteArb, fc.boolean()).map(([pair, at, value, inActual]) => {
  const target = inActual ? pair.actual : pair.expected;
  const data = target.data.slice();
  data[at % data.length] = value;
  const changed = { shape: target.shape, data };
  return { pair: inActual ? { ...pair, actual: changed } : { ...pair, expected: changed }, inActual };
});

describe('compareOutputs properties', () => {
  test('NaN or ±Inf anywhere, in either array, never passes, whatever the tolerance', () => {
    fc.assert(
      fc.property(pairWithNonFiniteArb, toleranceArb, ({ pair, inActual }, tolerance) => {
        const report = compareOutputs(pair.actual, pair.expected, tolerance);
        expect(report.pass).toBe(false);
        expect(report.overTolerance).toBeGreaterThanOrEqual(1);
        expect(inActual ? report.nonFinite.actual : report.nonFinite.expected).toBeGreaterThanOrEqual(1);
      }),
      RUNS,
    );
  });

  test('a shape mismatch never passes, and is reported rather than thrown', () => {
    // Half the time the second shape is the first reversed: same element count, different shape.
    const shapesArb = fc
      .tuple(shapeArb, shapeArb, fc.boolean())
      .map(([s, t, reverse]) => [s, reverse ? [...s].reverse() : t] as const)
      .filter(([s, t]) => s.join(',') !== t.join(',') || s.length !== t.length);
    fc.assert(
      fc.property(shapesArb, toleranceArb, ([s, t], tolerance) => {
        const report = compareOutputs(ndArray(s, new Array<number>(sizeOf(s)).fill(1)), ndArray(t, new Array<number>(sizeOf(t)).fill(1)), tolerance);
        expect(report.shapeMatch).toBe(false);
        expect(report.pass).toBe(false);
        expect(report.worstIndex).toBeNull();
      }),
      RUNS,
    );
  });

  test('raising atol or rtol never turns PASS into FAIL, nor adds elements over', () => {
    fc.assert(
      fc.property(pairArb, toleranceArb, toleranceArb, ({ actual, expected }, tolerance, extra) => {
        const looser = { atol: tolerance.atol + extra.atol, rtol: tolerance.rtol + extra.rtol };
        const strict = compareOutputs(actual, expected, tolerance);
        const loose = compareOutputs(actual, expected, looser);
        expect(loose.overTolerance).toBeLessThanOrEqual(strict.overTolerance);
        if (strict.pass) expect(loose.pass).toBe(true);
      }),
      RUNS,
    );
  });

  test('compare(a, a) passes at atol = rtol = 0 for finite a', () => {
    const finitePairArb = pairArb.filter(({ actual }) => actual.data.every(Number.isFinite));
    fc.assert(
      fc.property(finitePairArb, ({ actual }) => {
        const report = compareOutputs(actual, actual, { atol: 0, rtol: 0 });
        expect(report.pass).toBe(true);
        expect(report.maxAbsError).toBe(0);
      }),
      RUNS,
    );
  });

  test('every field agrees with a brute-force re-implementation, worstIndex included', () => {
    const anyPairArb = fc.oneof(
      pairArb,
      pairWithNonFiniteArb.map(({ pair }) => pair),
    );
    fc.assert(
      fc.property(anyPairArb, toleranceArb, ({ actual, expected }, tolerance) => {
        const report = compareOutputs(actual, expected, tolerance);
        expect(report).toEqual(bruteForce(actual, expected, tolerance));
      }),
      RUNS,
    );
  });
});

/**
 * The ParityReport rules written out directly: enumerate multi-indices in row-major order, address each
 * by strides, collect every excess, then take the first maximum.
 */
function bruteForce(actual: NdArray, expected: NdArray, tolerance: Tolerance): ParityReport {
  const shape = [...actual.shape];
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((p, d) => p * d, 1));
  const indices: number[][] = [];
  const visit = (prefix: number[]): void => {
    if (prefix.length === shape.length) indices.push(prefix);
    else for (let i = 0; i < shape[prefix.length]; i++) visit([...prefix, i]);
  };
  visit([]);

  const excess: number[] = []; // -Infinity for elements within tolerance
  const finiteDiffs: number[] = []; // -Infinity for non-finite pairs
  const relErrors: number[] = [];
  const perStep = shape.length === 3 ? new Array<number>(shape[1]).fill(NaN) : undefined;
  let nonFiniteActual = 0;
  let nonFiniteExpected = 0;
  for (const index of indices) {
    const offset = index.reduce((sum, i, axis) => sum + i * strides[axis], 0);
    const a = actual.data[offset];
    const b = expected.data[offset];
    if (!Number.isFinite(a)) nonFiniteActual++;
    if (!Number.isFinite(b)) nonFiniteExpected++;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      excess.push(Infinity);
      finiteDiffs.push(-Infinity);
      continue;
    }
    const diff = Math.abs(a - b);
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(b);
    excess.push(diff <= allowed ? -Infinity : diff - allowed);
    finiteDiffs.push(diff);
    relErrors.push(b === 0 ? (a === b ? 0 : Infinity) : diff / Math.abs(b));
    if (perStep !== undefined && !(diff <= perStep[index[1]])) perStep[index[1]] = diff;
  }

  const over = excess.filter((e) => e !== -Infinity).length;
  const pickFrom = over > 0 ? excess : finiteDiffs;
  const worstAt = indices.length === 0 ? -1 : pickFrom.indexOf(Math.max(...pickFrom));
  const worstIndex = worstAt >= 0 && pickFrom[worstAt] !== -Infinity ? indices[worstAt] : null;
  const worstOffset = worstIndex?.reduce((sum, i, axis) => sum + i * strides[axis], 0);
  const finiteMax = (xs: number[]): number => (xs.length === 0 ? NaN : Math.max(...xs));
  return {
    pass: over === 0,
    shapeMatch: true,
    actualShape: shape,
    expectedShape: [...expected.shape],
    elements: indices.length,
    maxAbsError: finiteMax(finiteDiffs.filter((d) => d !== -Infinity)),
    maxRelError: finiteMax(relErrors),
    worstIndex,
    worstActual: worstOffset === undefined ? NaN : actual.data[worstOffset],
    worstExpected: worstOffset === undefined ? NaN : expected.data[worstOffset],
    overTolerance: over,
    nonFinite: { actual: nonFiniteActual, expected: nonFiniteExpected },
    ...(perStep === undefined ? {} : { perStepMaxAbsError: perStep }),
    tolerance: { ...tolerance },
  };
}
