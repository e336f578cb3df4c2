/**
 * The hand path on several threads. The samples of a batch never meet: every matmul row, every gate and
 * the dense head work on one sample at a time. So forwardHandParallel cuts the batch into contiguous
 * blocks of samples, runs forwardHand on each block (the first on the calling thread, the others in
 * worker_threads), and joins the outputs in order.
 *
 * The result is bit-identical to forwardHand on the whole batch, not merely close: each matmul kernel
 * computes a row in the same order whatever the row's position or the batch size (linalg.ts), and the
 * elementwise gate math is per element. test/hand/parallel.test.ts checks it with toEqual.
 *
 * Workers are started on first use and kept (unref'd while idle, so they never hold the process open).
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../errors';
import type { NdArray } from '../tensor';
import { gateCount, type RnnWeights } from '../weights';
import { forwardHand } from './forward';
import { arithmeticFor, type Precision } from './precision';
import { validateForwardInputs } from './validate';

/**
 * Below this many floating-point operations a forward pass stays on one thread. Measured on 2 cores
 * (AMD EPYC, Node 20, quiet): a warm worker adds about 0.5 ms per call (the block copied in, the output
 * back, two messages), so 1.6e6 operations (~1 ms) gain nothing, 1.6e7 (~10 ms) run in 6-7.5 ms.
 * Starting the worker costs about 80 ms, once per process (a new isolate loads the hand path); a
 * one-shot caller with a pass under ~100 ms is better off with forwardHand.
 */
export const MIN_PARALLEL_FLOPS = 2e7;

/** How to split: missing fields take the defaults. */
export interface ParallelOptions {
  /** Threads in all, the calling one included; default os.availableParallelism(). */
  readonly threads?: number;
  /** Split only at or above this many operations (forwardFlops); default MIN_PARALLEL_FLOPS. */
  readonly minFlops?: number;
}

/** A block of samples sent to a worker; `input.data` is the block's own copy, transferred. */
export interface WorkerJob {
  readonly id: number;
  readonly weights: RnnWeights;
  readonly input: NdArray;
  readonly precision: Precision;
}

/** A worker's answer to job `id`: the block's output, or the error forwardHand threw. */
export type WorkerReply =
  { readonly id: number; readonly output: NdArray } | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

/**
 * Floating-point operations of the forward pass's matmuls: per sample and step, 2 * (inputDim + units) *
 * gates*units for each recurrent layer; plus 2 * units * denseUnits per output row of the head.
 * Elementwise work is left out (it is O(units), the matmuls O(units^2)).
 */
export function forwardFlops(weights: RnnWeights, batch: number, timeSteps: number): number {
  let perStep = 0;
  for (const layer of weights.recurrent) {
    perStep += 2 * (layer.inputDim + layer.units) * gateCount(layer.cell) * layer.units;
  }
  const last = weights.recurrent[weights.recurrent.length - 1];
  const headRows = last.returnSequences ? timeSteps : 1;
  return batch * (timeSteps * perStep + headRows * 2 * weights.dense.kernel.rows * weights.dense.kernel.cols);
}

/** The threads this process may use: os.availableParallelism() (Node 18.14+), else the CPU count. */
export function defaultThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * How forwardHandParallel cuts a batch: the number of samples in each contiguous block, first block first.
 * One block ([batch]) when there is one thread, one sample, or less work than options.minFlops.
 * Block sizes differ by at most one sample.
 * @throws ConfigError when options.threads is not a positive integer.
 */
export function planBatchSplit(weights: RnnWeights, batch: number, timeSteps: number, options: ParallelOptions = {}): number[] {
  const requested = options.threads ?? defaultThreads();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new ConfigError(`threads: expected a positive integer, got ${requested}`);
  }
  const blocks = Math.min(batch, requested);
  const minFlops = options.minFlops ?? MIN_PARALLEL_FLOPS;
  if (blocks < 2 || forwardFlops(weights, batch, timeSteps) < minFlops) return [batch];
  return Array.from({ length: blocks }, (_, k) => Math.floor(((k + 1) * batch) / blocks) - Math.floor((k * batch) / blocks));
}

/**
 * forwardHand with the batch split across threads (see planBatchSplit); same arguments, same result,
 * bit for bit.
 *
 * @param input [batch, timeSteps, inputDim]
 * @returns [batch, denseUnits], or [batch, timeSteps, denseUnits] when the last layer returns sequences
 * @throws ShapeError, ConfigError as forwardHand (checked on the calling thread before anything is sent);
 *   ConfigError for a bad options.threads; Error when a worker dies.
 */
export async function forwardHandParallel(
  weights: RnnWeights,
  input: NdArray,
  precision: Precision = 'float64',
  options: ParallelOptions = {},
): Promise<NdArray> {
  arithmeticFor(precision);
  const { batch, timeSteps, inputDim } = validateForwardInputs(weights, input);
  const blocks = planBatchSplit(weights, batch, timeSteps, options);
  if (blocks.length === 1) return forwardHand(weights, input, precision);

  const sampleSize = timeSteps * inputDim;
  const starts = blocks.map((_, k) => blocks.slice(0, k).reduce((sum, n) => sum + n, 0));
  const block = (k: number): NdArray => ({
    shape: [blocks[k], timeSteps, inputDim],
    data: input.data.subarray(starts[k] * sampleSize, (starts[k] + blocks[k]) * sampleSize),
  });
  // Blocks 1.. go out first, so the workers run while this thread computes block 0.
  const pool = workerPool(blocks.length - 1);
  const pending = blocks.slice(1).map((_, w) => pool[w].run(weights, block(w + 1), precision));
  let first: NdArray;
  try {
    first = forwardHand(weights, block(0), precision);
  } catch (error) {
    await Promise.allSettled(pending); // no rejection left unhandled
    throw error;
  }
  const outputs = [first, ...(await Promise.all(pending))];

  const shape = [batch, ...outputs[0].shape.slice(1)];
  const data = new Float64Array(outputs.reduce((sum, o) => sum + o.data.length, 0));
  let offset = 0;
  for (const output of outputs) {
    data.set(output.data, offset);
    offset += output.data.length;
  }
  return { shape, data };
}

/** Stops every worker; the next forwardHandParallel starts new ones. For tests and tools that exit cleanly. */
export async function closeWorkerPool(): Promise<void> {
  const workers = pool.splice(0);
  await Promise.all(workers.map((w) => w.close()));
}

// ---------------------------------------------------------------------------------------------

/** One worker thread and the jobs it has not answered yet. */
class PoolWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (o: NdArray) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(onDeath: (w: PoolWorker) => void) {
    this.worker = startWorker();
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    const fail = (error: Error) => {
      onDeath(this);
      for (const job of this.waiting.values()) job.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`hand-path worker exited with code ${code}`)));
  }

  run(weights: RnnWeights, input: NdArray, precision: Precision): Promise<NdArray> {
    const id = this.nextId++;
    // A copy of the block with a buffer of its own, moved (not cloned) into the worker.
    const data = input.data.slice();
    const job: WorkerJob = { id, weights, input: { shape: input.shape, data }, precision };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref(); // keep the process alive until the answer arrives
      this.worker.postMessage(job, [data.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const job = this.waiting.get(reply.id);
    if (job === undefined) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('output' in reply) {
      job.resolve(reply.output);
    } else {
      const error = new Error(reply.error.message);
      error.name = reply.error.name;
      job.reject(error);
    }
  }
}

const pool: PoolWorker[] = [];

/** The first `size` workers of the pool, starting the missing ones. */
function workerPool(size: number): PoolWorker[] {
  while (pool.length < size) {
    pool.push(
      new PoolWorker((dead) => {
        const index = pool.indexOf(dead);
        if (index >= 0) pool.splice(index, 1);
      }),
    );
  }
  return pool.slice(0, size);
}

/** How a worker thread starts from its entry file: the built parallel-worker.js as it is, by default. */
let workerStarter: (entry: string) => Worker = (entry) => new Worker(entry);

/**
 * Replaces how worker threads start, for a host that runs the TypeScript sources: under jest this file is the
 * .ts source with no .js beside it, and test/helpers/typescript-workers.ts (a jest setup file) starts each
 * worker through a loader that transpiles .ts. Workers already running keep going.
 */
export function setWorkerStarter(start: (entry: string) => Worker): void {
  workerStarter = start;
}

/** Starts parallel-worker next to this file (.js when built, .ts under jest). */
function startWorker(): Worker {
  return workerStarter(path.join(__dirname, `parallel-worker${path.extname(__filename)}`));
}
