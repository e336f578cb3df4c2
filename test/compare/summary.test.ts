import { compareOutputs } from '../../src/compare/compare';
import { formatError, formatTolerance, summarizeReport } from '../../src/compare/summary';
import { ndArray } from '../helpers/nd-array';

const TOL = { atol: 1e-5, rtol: 1e-5 };

describe('summarizeReport', () => {
  test('PASS names the largest error and where it is', () => {
    // |0.25 + 2^-25 - 0.25| = 2^-25 = 2.98e-8; rel 2^-25 / 0.25 = 2^-23 = 1.19e-7.
    const report = compareOutputs(ndArray([1, 2], [0.5, 0.25 + 2 ** -25]), ndArray([1, 2], [0.5, 0.25]), TOL);
    expect(summarizeReport(report)).toBe('PASS  max|diff| 2.98e-8 (rel 1.19e-7) at (sample 0, unit 1); 0 of 2 over atol 1e-5 + rtol 1e-5*|ref|');
  });

  test('FAIL names the count over and the worst element with both values', () => {
    // node -e 'console.log(0.52 - 0.51, (0.52 - 0.51) / 0.51)'  ->  0.010000000000000009 0.01960784313725492
    const report = compareOutputs(ndArray([1, 2], [0.5, 0.52]), ndArray([1, 2], [0.5, 0.51]), TOL);
    expect(summarizeReport(report)).toBe(
      'FAIL  1 of 2 over atol 1e-5 + rtol 1e-5*|ref|; worst at (sample 0, unit 1): actual 0.52, ref 0.51, |diff| 1.00e-2 (rel 1.96e-2)',
    );
  });

  test('FAIL on a non-finite value counts them', () => {
    const report = compareOutputs(ndArray([1, 2, 1], [0, NaN]), ndArray([1, 2, 1], [0, 0]), TOL);
    expect(summarizeReport(report)).toBe(
      'FAIL  1 of 2 over atol 1e-5 + rtol 1e-5*|ref|; worst at (sample 0, step 1, unit 0): actual NaN, ref 0; non-finite: actual 1, ref 0',
    );
  });

  test('a shape mismatch and an empty comparison say so', () => {
    const values = [1, 2, 3, 4, 5, 6];
    expect(summarizeReport(compareOutputs(ndArray([2, 3], values), ndArray([3, 2], values), TOL))).toBe('FAIL  shape mismatch: actual [2,3], expected [3,2]');
    expect(summarizeReport(compareOutputs(ndArray([0, 3], []), ndArray([0, 3], []), TOL))).toBe('PASS  0 elements in shape [0,3]; nothing to compare');
  });
});

describe('formatError and formatTolerance', () => {
  test.each([
    [0, '0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [2 ** -25, '2.98e-8'],
    [1234.5, '1.23e+3'],
  ])('formatError(%p) -> %s', (x, text) => {
    expect(formatError(x)).toBe(text);
  });

  test('tolerances print as written: powers of ten in exponent form, 0 and 0.01 plainly', () => {
    expect(formatTolerance({ atol: 1e-5, rtol: 5e-7 })).toBe('atol 1e-5 + rtol 5e-7*|ref|');
    expect(formatTolerance({ atol: 0, rtol: 0.01 })).toBe('atol 0 + rtol 0.01*|ref|');
  });
});
