/**
 * src/data/correctly-rounded-log.ts: the double nearest ln(x).
 * Golden values: python3 -c "import mpmath; mpmath.mp.prec = 200; print(repr(float(mpmath.log(X))))"
 * (200-bit log rounded once). Wider evidence: scripts/ulp-study.ts compares it with mpmath on
 * 5,000,000 arguments of np.random.randn's log; see src/data/numpy-random.ts.
 */
import { correctlyRoundedLog, correctlyRoundedLogSlow } from '../../src/data/correctly-rounded-log';

describe('correctlyRoundedLog', () => {
  test.each([
    // [x, correctly rounded ln(x), what goes wrong elsewhere]
    [0.629525761359053, -0.4627885028099757, 'V8 Math.log gives -0.46278850280997574'],
    [0.3437536569274356, -1.0678299917235845, 'V8 Math.log gives -1.0678299917235847'],
    [0.07600615778693723, -2.5769409184657017, 'V8 Math.log gives -2.5769409184657013'],
    [0.8983774131025271, -0.10716501712225035, 'glibc 2.36 log gives -0.10716501712225036'],
    [0.628366954746784, -0.4646309603188614, 'glibc 2.36 log gives -0.4646309603188615'],
    [0.9245193184468341, -0.07848133227069923, 'glibc 2.36 log gives -0.07848133227069921'],
  ])('ln(%p) = %p (%s)', (x, expected) => {
    expect(Object.is(correctlyRoundedLog(x), expected)).toBe(true);
    expect(Object.is(correctlyRoundedLogSlow(x), expected)).toBe(true);
  });

  test('exact and edge values', () => {
    expect(Object.is(correctlyRoundedLog(1), 0)).toBe(true);
    expect(correctlyRoundedLog(2)).toBe(0.6931471805599453);
    expect(correctlyRoundedLog(0.5)).toBe(-0.6931471805599453);
    expect(correctlyRoundedLog(0)).toBe(-Infinity);
    expect(correctlyRoundedLog(-1)).toBeNaN();
    expect(correctlyRoundedLog(NaN)).toBeNaN();
    expect(correctlyRoundedLog(Infinity)).toBe(Infinity);
    // Subnormal and largest double: -744.4400719213812, 709.782712893384 (mpmath, as above).
    expect(correctlyRoundedLog(5e-324)).toBe(-744.4400719213812);
    expect(correctlyRoundedLog(1.7976931348623157e308)).toBe(709.782712893384);
  });

  test('fast path agrees with the slower atanh series on 50,000 arguments', () => {
    // A deterministic spread: (0, 1) like np.random.randn's r2, near 1, and wide exponents.
    let state = 12345;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    let differ = 0;
    for (let i = 0; i < 50000; i++) {
      const u = next();
      const x = i % 3 === 0 ? u : i % 3 === 1 ? 1 + (u - 0.5) * 2 ** -9 : u * 2 ** Math.floor(next() * 200 - 100);
      if (x > 0 && !Object.is(correctlyRoundedLog(x), correctlyRoundedLogSlow(x))) differ++;
    }
    expect(differ).toBe(0);
  });
});
