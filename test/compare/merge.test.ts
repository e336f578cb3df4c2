/**
 * mergeReports: the reports of consecutive chunks merge into exactly compareOutputs' report of the whole
 * arrays (the independent reference is compareOutputs itself, run once over everything), whatever the
 * chunking, with NaN/Inf, ties and over-tolerance elements in any chunk.
 */
import fc from 'fast-check';
import { compareOutputs, type Tolerance } from '../../src/compare/compare';
import { mergeReports } from '../../src/compare/merge';
import type { NdArray } from '../../src/tensor';

function rows(array: NdArray, start: number, count: number): NdArray {
  const per = array.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: [count, ...array.shape.slice(1)], data: array.data.slice(start * per, (start + count) * per) };
}

function chunked(actual: NdArray, expected: NdArray, tolerance: Tolerance, sizes: readonly number[]) {
  const parts = [];
  let start = 0;
  for (const size of sizes) {
    parts.push({ report: compareOutputs(rows(actual, start, size), rows(expected, start, size), tolerance), firstSample: start });
    start += size;
  }
  return mergeReports(parts);
}

/** Splits n samples into chunks of the given sizes (cycled), the last one shorter. */
function chunkSizes(n: number, pattern: readonly number[]): number[] {
  const sizes: number[] = [];
  for (let done = 0, k = 0; done < n; k++) {
    const size = Math.min(pattern[k % pattern.length], n - done);
    sizes.push(size);
    done += size;
  }
  return sizes;
}

const VALUE = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 20 }).map((k) => k / 8) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, 1e308, -1e308) },
);

test('merged chunk reports = the report of the whole arrays (rank 2 and 3, any chunking)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 9 }),
      fc.constantFrom([], [3], [2, 2]),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      fc.constantFrom({ atol: 0.1, rtol: 0 }, { atol: 0, rtol: 0.5 }, { atol: 1, rtol: 1 }),
      fc.infiniteStream(VALUE),
      fc.infiniteStream(VALUE),
      (samples, inner, pattern, tolerance, aValues, bValues) => {
        const shape = [samples, ...inner];
        const size = shape.reduce((a, b) => a * b, 1);
        const a = { shape, data: Float64Array.from(aValues.take(size)) };
        const b = { shape, data: Float64Array.from(bValues.take(size)) };
        expect(chunked(a, b, tolerance, chunkSizes(samples, pattern))).toEqual(compareOutputs(a, b, tolerance));
      },
    ),
    { numRuns: 400, seed: 7 },
  );
});

test('a tie across chunks goes to the earlier chunk, as the first in row-major order', () => {
  const a = { shape: [4, 1], data: Float64Array.from([0, 1, 0, 1]) };
  const b = { shape: [4, 1], data: Float64Array.from([0, 0, 0, 0]) };
  const tolerance = { atol: 0.5, rtol: 0 };
  const merged = chunked(a, b, tolerance, [2, 2]);
  expect(merged.worstIndex).toEqual([1, 0]);
  expect(merged).toEqual(compareOutputs(a, b, tolerance));
});

test('a shape mismatch in one chunk fails the whole, counting non-finite values everywhere', () => {
  const ok = compareOutputs({ shape: [1, 2], data: Float64Array.from([NaN, 0]) }, { shape: [1, 2], data: Float64Array.from([0, 0]) }, { atol: 1, rtol: 0 });
  const bad = compareOutputs(
    { shape: [1, 2], data: Float64Array.from([0, 0]) },
    { shape: [2, 1], data: Float64Array.from([Infinity, 0]) },
    { atol: 1, rtol: 0 },
  );
  expect(() =>
    mergeReports([
      { report: ok, firstSample: 0 },
      { report: bad, firstSample: 1 },
    ]),
  ).toThrow(/same shape after the first axis/);
  expect(() => mergeReports([])).toThrow('mergeReports: expected at least one chunk, got none');
});
