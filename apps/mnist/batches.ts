/**
 * Which training images each step sees: a stream of seeded shuffles of the training set, one per pass,
 * cut into batches. Budgets follow the seed and Keras:
 *   --samples S (seed 002: training_iters = 100000) -> floor(S / batch) full batches; a batch may run
 *     across the end of one pass into the next shuffle, as TF1's mnist.train.next_batch did;
 *   --epochs N -> N passes, each ceil(count / batch) batches, the last one short (60000 = 468*128 + 96),
 *     as Keras's model.fit(epochs=N, shuffle=True).
 */
import { ConfigError } from '../../src/errors';
import { Mt19937 } from '../../src/data/mt19937';

/** A training budget: a number of samples (full batches only) or of passes over the training set. */
export type TrainingBudget = { readonly kind: 'samples'; readonly samples: number } | { readonly kind: 'epochs'; readonly epochs: number };

/**
 * The size of every step's batch.
 * @throws ConfigError when the budget gives no step at all (fewer samples than one batch).
 */
export function planBatchSizes(budget: TrainingBudget, trainCount: number, batchSize: number): number[] {
  if (budget.kind === 'samples') {
    const steps = Math.floor(budget.samples / batchSize);
    if (steps < 1) throw new ConfigError(`--samples: expected at least one batch (${batchSize}), got ${budget.samples}`);
    return new Array<number>(steps).fill(batchSize);
  }
  const sizes: number[] = [];
  for (let epoch = 0; epoch < budget.epochs; epoch++) {
    for (let start = 0; start < trainCount; start += batchSize) sizes.push(Math.min(batchSize, trainCount - start));
  }
  return sizes;
}

/**
 * `np.random.RandomState(seed).permutation(n)`, drawn from `rng`.
 * Parity note: NumPy's legacy shuffle (mtrand.pyx _shuffle_raw): for i from n-1 down to 1, swap i with
 * j = random_interval(i), which masks 32-bit draws to the bit width of i and rejects values above i.
 */
export function permutation(n: number, rng: Mt19937): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    let mask = i;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let j: number;
    do j = (rng.nextUint32() & mask) >>> 0;
    while (j > i);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

/** Hands out training indices batch by batch from successive seeded shuffles of [0, count). */
export class BatchSampler {
  private readonly rng: Mt19937;
  private order: Int32Array;
  private position = 0;
  /** Passes started so far (1 after construction). */
  epoch = 1;

  /** @param seed integer in [0, 2**32 - 1] */
  constructor(
    private readonly count: number,
    seed: number,
  ) {
    this.rng = new Mt19937(seed);
    this.order = permutation(count, this.rng);
  }

  /** The next `size` indices; a new shuffle starts when the current one is used up. */
  next(size: number): Int32Array {
    const out = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      if (this.position === this.count) {
        this.order = permutation(this.count, this.rng);
        this.position = 0;
        this.epoch++;
      }
      out[k] = this.order[this.position++];
    }
    return out;
  }
}
