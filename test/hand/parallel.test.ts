/**
 * forwardHandParallel: the batch split across worker threads gives the single-thread result bit for bit
 * (toEqual on the float64 data, no tolerance), for every cell, both precisions, sequences, goBackwards and
 * stacks; and small models stay on one thread.
 */
import { forwardHand } from '../../src/hand/forward';
import { closeWorkerPool, forwardFlops, forwardHandParallel, MIN_PARALLEL_FLOPS, planBatchSplit } from '../../src/hand/parallel';
import type { CellKind } from '../../src/spec';
import { ConfigError, ShapeError } from '../../src/errors';
import { denseHead, model, pseudoRandom, randomInput, randomLayer } from './build';

afterAll(closeWorkerPool);

// [batch 13, T 50, inputDim 16], units 128: 13*50*2*(16+128)*128 = 2.4e7 operations for SimpleRNN, above
// MIN_PARALLEL_FLOPS. 13 samples split 7 + 6 (2 threads) or 5 + 4 + 4 (3 threads): the blocks use the
// matmul's 4-row kernel and its leftover rows in different places than the whole batch does.
const BATCH = 13;
const TIME_STEPS = 50;
const INPUT_DIM = 16;
const UNITS = 128;
const input = randomInput(3, BATCH, TIME_STEPS, INPUT_DIM);
const head = denseHead(UNITS, 3, pseudoRandom(9, UNITS * 3), [0.125, -0.25, 0.5]);

const CASES: [string, CellKind, boolean][] = [
  ['simple', 'simple', false],
  ['lstm', 'lstm', false],
  ['gru (resetAfter false)', 'gru', false],
  ['gru (resetAfter true)', 'gru', true],
];

describe.each(CASES)('%s', (_name, cell, resetAfter) => {
  test.each<[boolean, number]>([
    [false, 2],
    [true, 3],
  ])('float64, returnSequences %s, %i threads: bit-identical to one thread', async (returnSequences, threads) => {
    const weights = model([randomLayer(20, cell, INPUT_DIM, UNITS, { resetAfter, returnSequences })], head);
    expect(forwardFlops(weights, BATCH, TIME_STEPS)).toBeGreaterThanOrEqual(MIN_PARALLEL_FLOPS);
    expect(planBatchSplit(weights, BATCH, TIME_STEPS, { threads })).toHaveLength(threads);

    const parallel = await forwardHandParallel(weights, input, 'float64', { threads });
    const single = forwardHand(weights, input, 'float64');
    expect(parallel.shape).toEqual(single.shape);
    expect(parallel.data).toEqual(single.data);
  });

  // float32 on a smaller model, split by minFlops 0: Math.fround runs about 50x slower inside jest's vm
  // context than in plain Node (measured 16.8 s against 0.3 s for the same loop), so the big model would
  // take minutes here.
  test.each([false, true])('float32, returnSequences %s: bit-identical to one thread', async (returnSequences) => {
    const small = randomInput(4, BATCH, 10, INPUT_DIM);
    const weights = model([randomLayer(21, cell, INPUT_DIM, 32, { resetAfter, returnSequences })], denseHead(32, 1, pseudoRandom(5, 32), [0.5]));
    const options = { threads: 2, minFlops: 0 };
    expect(planBatchSplit(weights, BATCH, 10, options)).toEqual([6, 7]);

    const parallel = await forwardHandParallel(weights, small, 'float32', options);
    expect(parallel.data).toEqual(forwardHand(weights, small, 'float32').data);
  });
});

test('two stacked layers, goBackwards: bit-identical to one thread', async () => {
  const weights = model([randomLayer(30, 'lstm', INPUT_DIM, UNITS, { goBackwards: true }), randomLayer(40, 'gru', UNITS, UNITS, { resetAfter: true })], head);
  const parallel = await forwardHandParallel(weights, input, 'float64', { threads: 2 });
  expect(parallel.data).toEqual(forwardHand(weights, input, 'float64').data);
});

describe('planBatchSplit', () => {
  const small = model([randomLayer(1, 'simple', 3, 5)], denseHead(5, 2, pseudoRandom(2, 10), [0, 0]));

  test("the notebook's model stays on one thread", () => {
    // 1*10*2*(3+5)*5 + 2*5*2 = 820 operations
    expect(forwardFlops(small, 1, 10)).toBe(820);
    expect(planBatchSplit(small, 1, 10, { threads: 2 })).toEqual([1]);
    expect(planBatchSplit(small, 64, 10, { threads: 2 })).toEqual([64]);
  });

  test('blocks are contiguous and differ by at most one sample', () => {
    expect(planBatchSplit(small, 13, 10, { threads: 3, minFlops: 0 })).toEqual([4, 4, 5]);
    expect(planBatchSplit(small, 2, 10, { threads: 8, minFlops: 0 })).toEqual([1, 1]);
  });

  test('threads must be a positive integer', () => {
    expect(() => planBatchSplit(small, 4, 10, { threads: 0 })).toThrow(ConfigError);
    expect(() => planBatchSplit(small, 4, 10, { threads: 0 })).toThrow('threads: expected a positive integer, got 0');
  });
});

test('bad input is refused on the calling thread with ShapeError', async () => {
  const weights = model([randomLayer(20, 'simple', INPUT_DIM, UNITS)], head);
  const wrong = randomInput(3, BATCH, TIME_STEPS, INPUT_DIM + 1);
  await expect(forwardHandParallel(weights, wrong, 'float64', { threads: 2 })).rejects.toThrow(ShapeError);
});
