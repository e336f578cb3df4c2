/**
 * Timing with a budget. Every measurement is: a warm-up (the first run's time is kept as `coldMs`; short
 * runs repeat for WARMUP_MS, so JIT tiers settle), then timed samples until `maxSamples` or the budget
 * is spent; the result is the median.
 * Runs shorter than MIN_SAMPLE_MS are repeated inside a sample, so that a 10 µs forward pass is not
 * timed against the clock's resolution.
 *
 * A measurement that would not fit is never started: `estimateMs` (from a short probe, see bench.ts)
 * above the budget gives "skipped (est. ... > budget)". One that turns out longer than half the budget in
 * its warm-up keeps that single cold run and says so.
 */

export interface Timing {
  readonly status: 'ok';
  /** Median of the samples, in milliseconds per run. */
  readonly medianMs: number;
  readonly minMs: number;
  /** Samples taken after the warm-up (0: only the cold run, whose time is medianMs). */
  readonly samples: number;
  /** Runs per sample (> 1 for very short runs). */
  readonly repeats: number;
  /** The warm-up run. */
  readonly coldMs: number;
  /** Every sample in order (ms per run); with measureInterleaved, sample i of each run is from round i. */
  readonly samplesMs: readonly number[];
}

interface Skipped {
  readonly status: 'skipped' | 'failed';
  readonly reason: string;
}

export type Measurement = Timing | Skipped;

export interface Budget {
  /** Wall time one measurement may take, warm-up included. */
  readonly budgetMs: number;
  /** Most timed samples after the warm-up. */
  readonly maxSamples: number;
}

/** A run to time: synchronous, or returning a promise that the timing waits for. */
export type Run = () => unknown;

/** A sample shorter than this repeats the run inside the sample. */
const MIN_SAMPLE_MS = 5;
const MAX_REPEATS = 10000;
/** Runs repeat (untimed) for this long after the first, before sampling. */
const WARMUP_MS = 300;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Seconds, for messages: "95 s", "1.2 s", "0.4 s". */
function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? s.toFixed(0) : s.toFixed(1)} s`;
}

async function timeRuns(run: Run, repeats: number): Promise<number> {
  const start = performance.now();
  for (let r = 0; r < repeats; r++) {
    const result = run();
    if (result instanceof Promise) await result;
  }
  return (performance.now() - start) / repeats;
}

/** The reason string for a measurement not started because its estimate is over budget. */
export function overBudget(estimateMs: number, budget: Budget): Skipped {
  return { status: 'skipped', reason: `skipped (est. ${formatSeconds(estimateMs)} > ${formatSeconds(budget.budgetMs)} budget)` };
}

/**
 * Times several runs in turns (a, b, a, b, ...), so that a change in machine load hits all of them alike:
 * the way to compare two runs on a busy machine. The budget covers all of them together.
 */
export async function measureInterleaved(runs: readonly Run[], budget: Budget): Promise<Measurement[]> {
  const start = performance.now();
  const cold: number[] = [];
  try {
    for (const run of runs) cold.push(await timeRuns(run, 1));
  } catch (error) {
    return runs.map(() => ({ status: 'failed', reason: `failed: ${(error as Error).message.split('\n')[0]}` }));
  }
  const coldTotal = cold.reduce((a, b) => a + b, 0);
  if (coldTotal * 2 > budget.budgetMs) {
    return cold.map((ms) => ({ status: 'ok', medianMs: ms, minMs: ms, samples: 0, repeats: 1, coldMs: ms, samplesMs: [] }));
  }
  // Short runs keep warming up (JIT tiers, tfjs kernel caches) for WARMUP_MS; the fastest warm run of
  // each sets how many runs make one sample (the fastest: one preempted run must not set it).
  const warmUntil = performance.now() + Math.min(WARMUP_MS, budget.budgetMs / 10);
  const warm = runs.map(() => Infinity);
  do {
    for (let k = 0; k < runs.length; k++) warm[k] = Math.min(warm[k], await timeRuns(runs[k], 1));
  } while (performance.now() < warmUntil);
  const repeats = warm.map((ms) => Math.min(MAX_REPEATS, Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(ms, 1e-4)))));
  const samples: number[][] = runs.map(() => []);
  let last = warm.reduce((a, b) => a + b, 0);
  while (samples[0].length < budget.maxSamples && performance.now() - start + last < budget.budgetMs) {
    const roundStart = performance.now();
    for (let k = 0; k < runs.length; k++) samples[k].push(await timeRuns(runs[k], repeats[k]));
    last = performance.now() - roundStart;
  }
  return runs.map((_, k) =>
    samples[k].length === 0
      ? { status: 'ok', medianMs: warm[k], minMs: warm[k], samples: 1, repeats: 1, coldMs: cold[k], samplesMs: [warm[k]] }
      : {
          status: 'ok',
          medianMs: median(samples[k]),
          minMs: Math.min(...samples[k]),
          samples: samples[k].length,
          repeats: repeats[k],
          coldMs: cold[k],
          samplesMs: samples[k],
        },
  );
}
