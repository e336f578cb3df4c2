/**
 * compareOutputs on hand-worked cases. Values are chosen to be exact in binary (powers of two, small integers)
 * wherever the verdict sits on the boundary, so the arithmetic in each comment is what the float64 code does.
 */
import { compareOutputs, formatIndex, Tolerance } from '../../src/compare/compare';
import { ConfigError, ShapeError } from '../../src/errors';
import { ndArray, ndArray32 } from '../helpers/nd-array';

const EXACT: Tolerance = { atol: 0, rtol: 0 };

describe('compareOutputs: the bound |a - b| <= atol + rtol*|b|', () => {
  test('exact equality passes at zero tolerance', () => {
    const x = ndArray([1, 3], [0.5, -1.25, 3]);
    const report = compareOutputs(x, ndArray([1, 3], [0.5, -1.25, 3]), EXACT);
    expect(report).toMatchObject({ pass: true, shapeMatch: true, elements: 3, maxAbsError: 0, maxRelError: 0 });
    expect(report.overTolerance).toBe(0);
    // All within, so the worst is the largest |a - b|: all are 0, the first wins.
    expect(report.worstIndex).toEqual([0, 0]);
    expect(report.perStepMaxAbsError).toBeUndefined(); // rank 2
  });

  test('a difference of exactly atol passes; atol*1.0000001 fails', () => {
    const tol = { atol: 1e-5, rtol: 1e-5 };
    // b = 0: |1e-5 - 0| = 1e-5 exactly, bound = 1e-5 + 1e-5*0 = 1e-5, and 1e-5 <= 1e-5.
    expect(compareOutputs(ndArray([2], [1e-5, -1e-5]), ndArray([2], [0, 0]), tol).pass).toBe(true);
    // node -e 'console.log(1e-5*1.0000001 - 1e-5)'  ->  1.0000000010863949e-12 over the bound.
    const over = compareOutputs(ndArray([1], [1e-5 * 1.0000001]), ndArray([1], [0]), tol);
    expect(over.pass).toBe(false);
    expect(over.overTolerance).toBe(1);
    expect(over.maxAbsError).toBeGreaterThan(1e-5);
  });

  test('the boundary holds where b != 0 too (2^-10 is exact in binary)', () => {
    const tol = { atol: 2 ** -10, rtol: 0 };
    // a = 1 + 2^-10 is a double, so |a - 1| = 2^-10 = atol exactly: passes.
    expect(compareOutputs(ndArray([1], [1 + 2 ** -10]), ndArray([1], [1]), tol).pass).toBe(true);
    // |a - 1| - 2^-10 = 9.77e-11 > 0 (node -e 'console.log((1+2**-10*1.0000001)-1-2**-10)'): fails.
    expect(compareOutputs(ndArray([1], [1 + 2 ** -10 * 1.0000001]), ndArray([1], [1]), tol).pass).toBe(false);
  });

  test('the test is asymmetric: expected is the reference b', () => {
    const tol = { atol: 0, rtol: 0.125 };
    // a = 8, b = 7: |8 - 7| = 1 > 0.125*7 = 0.875 -> FAIL.
    const forward = compareOutputs(ndArray([1], [8]), ndArray([1], [7]), tol);
    // a = 7, b = 8: |7 - 8| = 1 <= 0.125*8 = 1 -> PASS.
    const swapped = compareOutputs(ndArray([1], [7]), ndArray([1], [8]), tol);
    expect(forward.pass).toBe(false);
    expect(swapped.pass).toBe(true);
    // Relative error is measured against b as well: 1/7 vs 1/8.
    expect(forward.maxRelError).toBe(1 / 7);
    expect(swapped.maxRelError).toBe(0.125);
  });

  test('maxRelError is Infinity where b == 0 and a != b, and 0 where both are 0', () => {
    const report = compareOutputs(ndArray([2], [1e-9, 0]), ndArray([2], [0, 0]), { atol: 1e-8, rtol: 0 });
    expect(report.pass).toBe(true); // 1e-9 <= 1e-8
    expect(report.maxRelError).toBe(Infinity);
    expect(compareOutputs(ndArray([1], [0]), ndArray([1], [0]), EXACT).maxRelError).toBe(0);
  });

  test('-0 vs 0 passes at zero tolerance', () => {
    // |-0 - 0| = 0 <= 0.
    const report = compareOutputs(ndArray([2], [-0, 0]), ndArray([2], [0, -0]), EXACT);
    expect(report.pass).toBe(true);
    expect(report.maxAbsError).toBe(0);
    expect(report.maxRelError).toBe(0);
  });

  test('float32 actual against float64 reference: 0.1 differs by 1.49e-9', () => {
    // node -e 'console.log(Math.fround(0.1) - 0.1)'  ->  1.4901161138336505e-9
    const actual = ndArray32([1], [0.1]);
    const expected = ndArray([1], [0.1]);
    expect(compareOutputs(actual, expected, { atol: 1e-8, rtol: 0 }).maxAbsError).toBe(1.4901161138336505e-9);
    expect(compareOutputs(actual, expected, { atol: 1e-9, rtol: 0 }).pass).toBe(false);
  });
});

describe('compareOutputs: non-finite values never pass', () => {
  const huge = { atol: 1e300, rtol: 1e300 };

  test('NaN in actual fails, whatever the tolerance', () => {
    const report = compareOutputs(ndArray([2], [NaN, 1]), ndArray([2], [1, 1]), huge);
    expect(report).toMatchObject({ pass: false, overTolerance: 1, nonFinite: { actual: 1, expected: 0 } });
    expect(report.worstIndex).toEqual([0]);
    expect(report.worstActual).toBeNaN();
    expect(report.maxAbsError).toBe(0); // over the one finite pair (1, 1)
  });

  test('NaN in expected fails', () => {
    const report = compareOutputs(ndArray([2], [1, 1]), ndArray([2], [1, NaN]), huge);
    expect(report).toMatchObject({ pass: false, overTolerance: 1, nonFinite: { actual: 0, expected: 1 } });
    expect(report.worstIndex).toEqual([1]);
    expect(report.worstExpected).toBeNaN();
  });

  test('NaN vs NaN fails (numpy equal_nan would pass it)', () => {
    const report = compareOutputs(ndArray([1], [NaN]), ndArray([1], [NaN]), huge);
    expect(report).toMatchObject({ pass: false, overTolerance: 1, nonFinite: { actual: 1, expected: 1 } });
  });

  test.each([
    ['Inf vs Inf', Infinity, Infinity],
    ['-Inf vs -Inf', -Infinity, -Infinity],
    ['Inf vs 1', Infinity, 1],
    ['1 vs -Inf', 1, -Infinity],
  ])('%s fails', (_title, a, b) => {
    const report = compareOutputs(ndArray([1], [a]), ndArray([1], [b]), huge);
    expect(report.pass).toBe(false);
    expect(report.overTolerance).toBe(1);
    expect(report.worstIndex).toEqual([0]);
    // No pair is finite, so there is no finite error to report.
    expect(report.maxAbsError).toBeNaN();
    expect(report.maxRelError).toBeNaN();
  });

  test('a finite difference that overflows (1e308 vs -1e308) is an Infinity error, over tolerance', () => {
    const report = compareOutputs(ndArray([1], [1e308]), ndArray([1], [-1e308]), { atol: 1, rtol: 1 });
    // |2e308| overflows to Infinity > 1 + 1*1e308.
    expect(report).toMatchObject({ pass: false, maxAbsError: Infinity, overTolerance: 1, worstIndex: [0] });
    expect(report.nonFinite).toEqual({ actual: 0, expected: 0 });
  });
});

describe('compareOutputs: shapes', () => {
  test('[2,3] vs [3,2] with the same six values fails with shapeMatch=false, without throwing', () => {
    const values = [1, 2, 3, 4, 5, 6];
    const report = compareOutputs(ndArray([2, 3], values), ndArray([3, 2], values), { atol: 1, rtol: 1 });
    expect(report).toMatchObject({
      pass: false,
      shapeMatch: false,
      actualShape: [2, 3],
      expectedShape: [3, 2],
      elements: 0,
      overTolerance: 0,
      worstIndex: null,
    });
    expect(report.maxAbsError).toBeNaN();
  });

  test('a rank mismatch ([6] vs [1,6]) fails; non-finite counts are still reported', () => {
    const report = compareOutputs(ndArray([6], [1, 2, NaN, 4, 5, 6]), ndArray([1, 6], [1, 2, 3, 4, 5, 6]), EXACT);
    expect(report.shapeMatch).toBe(false);
    expect(report.pass).toBe(false);
    expect(report.nonFinite).toEqual({ actual: 1, expected: 0 });
  });

  test('zero-element arrays of equal shape pass with elements 0 and nothing to point at', () => {
    const report = compareOutputs(ndArray([0, 3], []), ndArray([0, 3], []), EXACT);
    expect(report).toMatchObject({ pass: true, shapeMatch: true, elements: 0, overTolerance: 0, worstIndex: null });
    expect(report.maxAbsError).toBeNaN();
    expect(report.worstActual).toBeNaN();
    // Rank 3 with no samples: four steps, none with a finite pair.
    const steps = compareOutputs(ndArray([0, 4, 2], []), ndArray([0, 4, 2], []), EXACT);
    expect(steps.perStepMaxAbsError).toEqual([NaN, NaN, NaN, NaN]);
  });

  test('zero-element arrays of different shapes ([0,3] vs [3,0]) fail', () => {
    expect(compareOutputs(ndArray([0, 3], []), ndArray([3, 0], []), EXACT).pass).toBe(false);
  });

  test('a scalar (shape []) is one element', () => {
    const report = compareOutputs(ndArray([], [1.5]), ndArray([], [1.25]), { atol: 0.25, rtol: 0 });
    expect(report).toMatchObject({ pass: true, elements: 1, maxAbsError: 0.25, worstIndex: [] });
  });

  test('data whose length disagrees with its own shape throws ShapeError', () => {
    const bad = { shape: [2, 3], data: new Float64Array(5) };
    const good = ndArray([2, 3], [0, 0, 0, 0, 0, 0]);
    expect(() => compareOutputs(bad, good, EXACT)).toThrow(ShapeError);
    expect(() => compareOutputs(bad, good, EXACT)).toThrow('actual: expected data of length 6 for shape [2,3], got 5');
    expect(() => compareOutputs(good, bad, EXACT)).toThrow('expected: expected data of length 6 for shape [2,3], got 5');
  });
});

describe('compareOutputs: where it is worst', () => {
  test('rank 2 [batch, units]: worstIndex names the one element over', () => {
    // atol 1e-3: (1,1) has |0.002 - 0| = 0.002 > 0.001 (excess 0.001); (1,2) has 0.001 <= 0.001 (within).
    const actual = ndArray([2, 3], [0, 0, 0, 0, 0.002, 0.001]);
    const expected = ndArray([2, 3], [0, 0, 0, 0, 0, 0]);
    const report = compareOutputs(actual, expected, { atol: 1e-3, rtol: 0 });
    expect(report).toMatchObject({ pass: false, overTolerance: 1, worstIndex: [1, 1] });
    expect(report.worstActual).toBe(0.002);
    expect(report.worstExpected).toBe(0);
    expect(formatIndex(report.worstIndex!)).toBe('(sample 1, unit 1)');
  });

  test('rank 3 [batch, timeSteps, units]: the worst is the largest excess, not the largest |diff|', () => {
    // Shape [2,3,2], all a = b = 1 except two elements, atol 0, rtol 0.5:
    //   [0,1,0] (flat 2):  a 16, b 10: |diff| 6, bound 0.5*10 = 5,  excess 1
    //   [1,2,1] (flat 11): a 3,  b 1:  |diff| 2, bound 0.5*1 = 0.5, excess 1.5  <- worst
    const a = new Array<number>(12).fill(1);
    const b = new Array<number>(12).fill(1);
    [a[2], b[2]] = [16, 10];
    [a[11], b[11]] = [3, 1];
    const report = compareOutputs(ndArray([2, 3, 2], a), ndArray([2, 3, 2], b), { atol: 0, rtol: 0.5 });
    expect(report).toMatchObject({ pass: false, overTolerance: 2, worstIndex: [1, 2, 1], worstActual: 3, worstExpected: 1 });
    expect(report.maxAbsError).toBe(6);
    expect(report.maxRelError).toBe(2); // max(6/10, 2/1)
    // Steps: t0 has no difference, t1 has 6 (sample 0), t2 has 2 (sample 1).
    expect(report.perStepMaxAbsError).toEqual([0, 6, 2]);
    expect(formatIndex(report.worstIndex!)).toBe('(sample 1, step 2, unit 1)');

    // With rtol 10 both are within, and the worst becomes the largest |diff|: [0,1,0].
    const within = compareOutputs(ndArray([2, 3, 2], a), ndArray([2, 3, 2], b), { atol: 0, rtol: 10 });
    expect(within).toMatchObject({ pass: true, overTolerance: 0, worstIndex: [0, 1, 0], worstActual: 16 });
  });

  test('perStepMaxAbsError takes the max over samples and units of each step', () => {
    // Shape [2,3,1]:
    //   sample 0: a [1, 2,   3    ], b [1,    2.5,  3.125]  -> |diff| [0,    0.5,  0.125]
    //   sample 1: a [0, 0,   0    ], b [0.25, 0.25, -0.5 ]  -> |diff| [0.25, 0.25, 0.5  ]
    //   per step max: [0.25, 0.5, 0.5]
    const actual = ndArray([2, 3, 1], [1, 2, 3, 0, 0, 0]);
    const expected = ndArray([2, 3, 1], [1, 2.5, 3.125, 0.25, 0.25, -0.5]);
    const report = compareOutputs(actual, expected, EXACT);
    expect(report.perStepMaxAbsError).toEqual([0.25, 0.5, 0.5]);
    expect(report.overTolerance).toBe(5); // every element but [0,0,0]
  });

  test('a step whose every pair is non-finite reports NaN for that step', () => {
    // Shape [1,2,2]: step 0 differs by 0.5 at unit 1, step 1 is all NaN.
    const report = compareOutputs(ndArray([1, 2, 2], [0, 0.5, NaN, NaN]), ndArray([1, 2, 2], [0, 0, 0, 0]), EXACT);
    expect(report.perStepMaxAbsError).toEqual([0.5, NaN]);
    expect(report.worstIndex).toEqual([0, 1, 0]); // the first non-finite pair: excess Infinity
  });

  test('overTolerance counts the elements over, and a non-finite one is the worst', () => {
    // atol 0.1, b = 0: |diff| [0, 0.1, 0.2, 0.05, 0.3, NaN]
    //   0.1 <= 0.1 within; 0.2 and 0.3 over; NaN over -> 3 over, worst at the NaN (excess Infinity > 0.2).
    const actual = ndArray([6], [0, 0.1, -0.2, 0.05, 0.3, NaN]);
    const report = compareOutputs(actual, ndArray([6], [0, 0, 0, 0, 0, 0]), { atol: 0.1, rtol: 0 });
    expect(report).toMatchObject({ pass: false, overTolerance: 3, worstIndex: [5], maxAbsError: 0.3 });
  });
});

describe('compareOutputs: tolerance validation', () => {
  const x = ndArray([1], [0]);

  test.each([
    ['atol -1', { atol: -1, rtol: 0 }, 'atol: expected a finite number >= 0, got -1'],
    ['rtol -1e-5', { atol: 0, rtol: -1e-5 }, 'rtol: expected a finite number >= 0, got -0.00001'],
    ['atol NaN', { atol: NaN, rtol: 0 }, 'atol: expected a finite number >= 0, got NaN'],
    ['rtol Infinity', { atol: 0, rtol: Infinity }, 'rtol: expected a finite number >= 0, got Infinity'],
    ['atol "1e-5"', { atol: '1e-5' as unknown as number, rtol: 0 }, 'atol: expected a finite number >= 0, got "1e-5"'],
  ])('%s throws ConfigError', (_title, tolerance, message) => {
    expect(() => compareOutputs(x, x, tolerance)).toThrow(ConfigError);
    expect(() => compareOutputs(x, x, tolerance)).toThrow(message);
  });

  test('zero tolerances are valid and are reported back', () => {
    expect(compareOutputs(x, x, { atol: 0, rtol: 0 }).tolerance).toEqual({ atol: 0, rtol: 0 });
  });
});

describe('formatIndex', () => {
  test.each([
    [[0, 3, 1], '(sample 0, step 3, unit 1)'],
    [[0, 1], '(sample 0, unit 1)'],
    [[4], '[4]'],
    [[1, 2, 3, 4], '[1,2,3,4]'],
    [[], '[]'],
  ])('%j -> %s', (index, text) => {
    expect(formatIndex(index)).toBe(text);
  });
});

describe('compareOutputs: size', () => {
  test('10M float32 elements [1000, 100, 100] in one pass', () => {
    const shape = [1000, 100, 100];
    const n = 1000 * 100 * 100;
    const actual = new Float32Array(n);
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      expected[i] = (i % 997) / 997;
      actual[i] = expected[i]; // rounds to float32: |diff| <= 2^-25 for 0 <= x < 1
    }
    const start = performance.now();
    const report = compareOutputs({ shape, data: actual }, { shape, data: expected }, { atol: 1e-7, rtol: 0 });
    const ms = performance.now() - start;
    expect(report.pass).toBe(true);
    expect(report.maxAbsError).toBeLessThanOrEqual(2 ** -25);
    expect(report.perStepMaxAbsError).toHaveLength(100);
    // 150-450 ms measured under jest on the dev container; plain node takes about 150 ms. The bound catches
    // a per-element allocation or global lookup in the loop (a global lookup made it 8 s under jest).
    expect(ms).toBeLessThan(3000);
  });
});
