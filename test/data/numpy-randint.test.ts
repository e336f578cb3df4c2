/**
 * NumpyRandomState.randint and seededIntegers against NumPy's legacy np.random.randint.
 * Fixture: test/fixtures/numpy-random/randint.json, made by
 * `python3 scripts/make-numpy-randint-vectors.py` (which first checks that a replay of NumPy's
 * masked-rejection algorithm on raw MT19937 words equals np.random.randint for every draw).
 * Integers are decimal strings; every comparison below is exact, for every value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../src/errors';
import { NumpyRandomState, seededIntegers } from '../../src/data/numpy-random';

interface IntSeries {
  snippet: string;
  seed: number;
  low: string;
  high: string;
  values: string[];
}
interface RandintFixture {
  numpy: string;
  command: string;
  draws: IntSeries[];
  tails: (IntSeries & { count: number; offset: number })[];
  shaped: (IntSeries & { shape: number[] })[];
  mixed: {
    seed: number;
    calls: { call: 'randint' | 'randn'; low?: string; high?: string; count: number; values: string[] }[];
  };
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'numpy-random', 'randint.json'), 'utf8')) as RandintFixture;

/** Expects every value equal (Object.is; integers also as decimal text); on failure names the first differing index. */
function expectExact(actual: ArrayLike<number>, expected: readonly string[], what: string): void {
  let detail = 'ok';
  if (actual.length !== expected.length) detail = `${what}: length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; detail === 'ok' && i < expected.length; i++) {
    // Number() of a decimal integer string is exact up to 2**53; the string check catches any rounding.
    const integral = /^-?\d+$/.test(expected[i]!);
    if (!Object.is(actual[i], Number(expected[i])) || (integral && String(actual[i]) !== expected[i])) {
      detail = `${what}[${i}]: got ${String(actual[i])}, expected ${expected[i]}`;
    }
  }
  expect(detail).toBe('ok');
}

describe('fixture', () => {
  test('covers the ranges the brief names, with provenance', () => {
    expect(fixture.numpy).toMatch(/^\d+\.\d+/);
    expect(fixture.command).toBe('python3 scripts/make-numpy-randint-vectors.py');
    const highs = new Set(fixture.draws.map((d) => d.high));
    for (const h of ['2', '3', '10', '1000', '20000', String(2 ** 31 - 1), String(2 ** 32), String(2 ** 40)]) {
      expect(highs).toContain(h);
    }
    expect(fixture.draws.some((d) => d.low !== '0')).toBe(true);
    expect(new Set(fixture.draws.map((d) => d.seed)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('randint vs np.random.randint (legacy, int64)', () => {
  test('seed 42, randint(0, 10, 10) is 6 3 7 4 6 9 2 6 7 4', () => {
    // python3 -c "import numpy as np; np.random.seed(42); print(np.random.randint(0, 10, 10))"
    expect(Array.from(new NumpyRandomState(42).randint(0, 10, 10))).toEqual([6, 3, 7, 4, 6, 9, 2, 6, 7, 4]);
  });

  test.each(fixture.draws.map((d) => [d.snippet, d] as const))('%s', (_snippet, d) => {
    const values = new NumpyRandomState(d.seed).randint(Number(d.low), Number(d.high), d.values.length);
    expect(values).toBeInstanceOf(Float64Array);
    expectExact(values, d.values, d.snippet);
  });

  test.each(fixture.tails.map((d) => [d.snippet, d] as const))('%s', (_snippet, d) => {
    const values = new NumpyRandomState(d.seed).randint(Number(d.low), Number(d.high), d.count);
    expectExact(values.subarray(d.offset), d.values, d.snippet);
  });

  test.each(fixture.shaped.map((d) => [d.snippet, d] as const))('seededIntegers: %s', (_snippet, d) => {
    const nd = seededIntegers(d.seed, d.shape, Number(d.low), Number(d.high));
    expect(nd.shape).toEqual(d.shape);
    expect(nd.data).toBeInstanceOf(Float64Array);
    expectExact(nd.data, d.values, d.snippet);
  });

  test('successive calls continue the stream and leave the cached Gaussian alone', () => {
    const rs = new NumpyRandomState(fixture.mixed.seed);
    for (const [i, c] of fixture.mixed.calls.entries()) {
      const values = c.call === 'randint' ? rs.randint(Number(c.low), Number(c.high), c.count) : rs.randn([c.count]);
      expectExact(values, c.values, `call ${i} (${c.call})`);
    }
  });

  test('a single-value range draws nothing from the stream', () => {
    const a = new NumpyRandomState(3);
    expect(Array.from(a.randint(-4, -3, 5))).toEqual([-4, -4, -4, -4, -4]);
    expect(Array.from(a.randint(0, 1000, 20))).toEqual(Array.from(new NumpyRandomState(3).randint(0, 1000, 20)));
  });

  test('count 0 and shape with a zero give nothing; shape [] gives one value', () => {
    expect(new NumpyRandomState(1).randint(0, 5, 0).length).toBe(0);
    expect(seededIntegers(1, [2, 0, 3], 0, 5).data.length).toBe(0);
    const one = seededIntegers(42, [], 0, 10);
    expect(one.shape).toEqual([]);
    expect(Array.from(one.data)).toEqual([6]);
  });

  test('values stay in [low, high) at the exactness limit', () => {
    const values = new NumpyRandomState(9).randint(-(2 ** 52), 2 ** 52, 2000);
    for (const v of values) {
      expect(Number.isSafeInteger(v)).toBe(true);
      expect(v >= -(2 ** 52) && v < 2 ** 52).toBe(true);
    }
    for (const v of new NumpyRandomState(9).randint(2 ** 53 - 3, 2 ** 53, 100)) {
      expect([2 ** 53 - 3, 2 ** 53 - 2, 2 ** 53 - 1]).toContain(v);
    }
  });
});

describe('randint argument validation', () => {
  test.each([
    [5, 5, 1, 'randint: expected low < high, got low 5, high 5'],
    [5, 2, 1, 'randint: expected low < high, got low 5, high 2'],
    [0.5, 2, 1, 'randint low: expected an integer from -(2^53 - 1) to 2^53 - 1, got 0.5'],
    [NaN, 2, 1, 'randint low: expected an integer from -(2^53 - 1) to 2^53 - 1, got NaN'],
    [0, 2.5, 1, 'randint high: expected an integer up to 2^53, got 2.5'],
    [0, 2 ** 53 + 2, 1, 'randint high: expected an integer up to 2^53, got 9007199254740994'],
    [0, Infinity, 1, 'randint high: expected an integer up to 2^53, got Infinity'],
    [-(2 ** 52), 2 ** 52 + 1, 1, 'randint: expected high - low <= 2^53 (values exact as doubles)'],
    [0, 10, -1, 'randint count: expected a non-negative integer, got -1'],
    [0, 10, 1.5, 'randint count: expected a non-negative integer, got 1.5'],
  ])('randint(%p, %p, %p) is refused', (low, high, count, message) => {
    const rs = new NumpyRandomState(0);
    expect(() => rs.randint(low, high, count)).toThrow(ConfigError);
    expect(() => rs.randint(low, high, count)).toThrow(message);
  });

  test('seededIntegers checks seed and shape', () => {
    expect(() => seededIntegers(-1, [2], 0, 5)).toThrow('seed: expected an integer from 0 to 4294967295, got -1');
    expect(() => seededIntegers(0, [2, -1], 0, 5)).toThrow('shape: expected non-negative integer dimensions, got [2,-1]');
    expect(() => seededIntegers(0, [2], 3, 3)).toThrow(ConfigError);
  });
});
