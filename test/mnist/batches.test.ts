/** Training budgets and the seeded shuffle (NumPy's legacy permutation, bit for bit). */
import { Mt19937 } from '../../src/data/mt19937';
import { BatchSampler, permutation, planBatchSizes } from '../../apps/mnist/batches';

test("seed 002's budget: 100,000 samples are 781 full batches of 128", () => {
  // while step * 128 < 100000 (step from 1): 781 steps, 99,968 samples
  const sizes = planBatchSizes({ kind: 'samples', samples: 100000 }, 60000, 128);
  expect(sizes.length).toBe(781);
  expect(new Set(sizes)).toEqual(new Set([128]));
});

test('--epochs 5 is 5 passes of 469 batches, the last of each 96 (60000 = 468*128 + 96), as Keras fit', () => {
  const sizes = planBatchSizes({ kind: 'epochs', epochs: 5 }, 60000, 128);
  expect(sizes.length).toBe(2345);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(300000);
  expect([sizes[467], sizes[468], sizes[469]]).toEqual([128, 96, 128]);
});

test('fewer samples than one batch is refused', () => {
  expect(() => planBatchSizes({ kind: 'samples', samples: 100 }, 60000, 128)).toThrow('--samples: expected at least one batch (128), got 100');
});

test('permutation is np.random.RandomState(seed).permutation(n), draw after draw', () => {
  // python3 -c "import numpy as np; r = np.random.RandomState(42); print(r.permutation(60000)[:8], r.permutation(60000)[:8],
  //             np.random.RandomState(0).permutation(10))"   (NumPy 2.4.6)
  // [12628 37730 39991  8525  8279 51012 14871 15127] [30014 20704 39358 59901 34204 33490 47212 42902] [2 8 4 9 1 6 7 3 0 5]
  const rng = new Mt19937(42);
  expect(Array.from(permutation(60000, rng).subarray(0, 8))).toEqual([12628, 37730, 39991, 8525, 8279, 51012, 14871, 15127]);
  expect(Array.from(permutation(60000, rng).subarray(0, 8))).toEqual([30014, 20704, 39358, 59901, 34204, 33490, 47212, 42902]);
  expect(Array.from(permutation(10, new Mt19937(0)))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
});

test('the sampler covers every image once per pass and carries a batch across the pass boundary', () => {
  const sampler = new BatchSampler(10, 3);
  const first = [...sampler.next(4), ...sampler.next(4)];
  const straddling = Array.from(sampler.next(4));
  expect(sampler.epoch).toBe(2);
  const firstPass = [...first, ...straddling.slice(0, 2)];
  expect([...firstPass].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const again = new BatchSampler(10, 3);
  expect([...again.next(4), ...again.next(4), ...again.next(4)]).toEqual([...first, ...straddling]);
});
