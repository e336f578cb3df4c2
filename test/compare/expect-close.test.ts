import { ConfigError } from '../../src/errors';
import { expectClose } from '../helpers/expect-close';
import { ndArray, ndArray32 } from '../helpers/nd-array';

const TOL = { atol: 1e-5, rtol: 1e-5 };

/** The message expectClose throws for `run`, or a failure if it does not throw. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected expectClose to throw');
}

describe('expectClose', () => {
  test('passes within tolerance and returns the report', () => {
    // float32 rounding of 0.1 is 1.49e-9, far inside 1e-5 + 1e-5*0.1.
    const report = expectClose(ndArray32([1, 2], [0.1, 0.2]), ndArray([1, 2], [0.1, 0.2]), TOL);
    expect(report.pass).toBe(true);
    expect(report.elements).toBe(2);
  });

  test('takes flat arrays: a flat array borrows the NdArray shape beside it', () => {
    expect(expectClose([1, 2, 3], new Float64Array([1, 2, 3]), TOL).actualShape).toEqual([3]);
    expect(expectClose(ndArray([1, 2], [0.5, 0.25]), [0.5, 0.25], TOL).expectedShape).toEqual([1, 2]);
    expect(expectClose(new Float32Array([0.5, 0.25]), ndArray([2, 1], [0.5, 0.25]), TOL).actualShape).toEqual([2, 1]);
  });

  test('checks the shape first', () => {
    const values = [1, 2, 3, 4, 5, 6];
    expect(messageOf(() => expectClose(ndArray([2, 3], values), ndArray([3, 2], values), TOL))).toBe('expectClose: expected shape [3,2], got [2,3]');
    expect(messageOf(() => expectClose([1, 2, 3], ndArray([1, 2], [1, 2]), TOL))).toBe('expectClose: expected shape [1,2], got [3]');
  });

  test('names the worst index, both values, the error and the tolerance', () => {
    // Shape [1,2,1]; step 1: |0.52 - 0.51| = 1.00e-2 > 1e-5 + 1e-5*0.51 = 1.51e-5.
    const message = messageOf(() => expectClose(ndArray([1, 2, 1], [0.5, 0.52]), ndArray([1, 2, 1], [0.5, 0.51]), TOL));
    expect(message).toBe(
      [
        'expectClose: 1 of 2 elements not within atol 1e-5 + rtol 1e-5*|ref|',
        '  worst at (sample 0, step 1, unit 0): actual 0.52, expected 0.51, |diff| 1.00e-2 > allowed 1.51e-5',
        '  max|diff| 1.00e-2, max rel 1.96e-2, non-finite: actual 0, expected 0',
      ].join('\n'),
    );
  });

  test('NaN is never close, even to NaN', () => {
    const message = messageOf(() => expectClose([0, NaN], [0, NaN], TOL));
    expect(message).toContain('worst at [1]: actual NaN, expected NaN, NaN/Inf is never close');
    expect(message).toContain('non-finite: actual 1, expected 1');
  });

  test("the stack starts at the caller's line", () => {
    let stack = '';
    try {
      expectClose([1], [2], TOL);
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    const firstFrame = stack.split('\n').find((line) => line.trim().startsWith('at '));
    expect(firstFrame).toContain('expect-close.test.ts');
  });

  test('an invalid tolerance throws ConfigError', () => {
    expect(() => expectClose([1], [1], { atol: -1, rtol: 0 })).toThrow(ConfigError);
  });
});
