/**
 * What the bench times for one (workload, cell): each implementation as a "subject" that can be made for
 * any number of time steps. The full-length subject is measured; a short one (PROBE_FRACTION of the
 * steps) is timed first on big workloads to estimate the full time and skip what would blow the budget.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/backends';
import { runCheck } from '../../src/check';
import { forwardHand } from '../../src/hand/forward';
import { forwardHandParallel } from '../../src/hand/parallel';
import { setDefaultKernel, type KernelName } from '../../src/hand/precision';
import { buildModel } from '../../src/model/build';
import { predictLayers } from '../../src/model/predict';
import type { ModelSpec } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import type { RnnWeights } from '../../src/weights';
import { naiveForward, toNaiveInput, toNaiveModel } from './naive';
import { measureInterleaved, overBudget, type Budget, type Measurement, type Run } from './timing';

/** Runs timed together (interleaved), made for a given number of time steps. */
interface Subject {
  readonly runs: readonly Run[];
  /** The output of each run's latest call, when it has one (for the bench's agreement checks). */
  readonly outputs?: () => (NdArray | undefined)[];
  readonly dispose?: () => void;
}

export type SubjectFactory = (timeSteps: number) => Subject | Promise<Subject>;

/** A measurement plus, when a probe ran, its estimate of one full run. */
export type Estimated = Measurement & { readonly estimateMs?: number };

/** The probe runs this fraction of the time steps (at least 1). */
const PROBE_FRACTION = 1 / 20;

/** The first `timeSteps` steps of every sample: [batch, T, inputDim] -> [batch, timeSteps, inputDim]. */
function firstSteps(input: NdArray, timeSteps: number): NdArray {
  const [batch, fullSteps, inputDim] = input.shape;
  if (timeSteps === fullSteps) return input;
  const data = new Float32Array(batch * timeSteps * inputDim);
  for (let b = 0; b < batch; b++) {
    data.set(input.data.subarray(b * fullSteps * inputDim, (b * fullSteps + timeSteps) * inputDim), b * timeSteps * inputDim);
  }
  return { shape: [batch, timeSteps, inputDim], data };
}

/**
 * Measures a subject. With `probe`, first times one warm run of the short version and scales it by
 * T / T_probe; over the budget, every run is skipped with that estimate.
 */
export async function measureSubject(
  make: SubjectFactory,
  timeSteps: number,
  probe: boolean,
  budget: Budget,
): Promise<{ measurements: Estimated[]; outputs: (NdArray | undefined)[] }> {
  let estimates: number[] | undefined;
  if (probe) {
    const probeSteps = Math.max(1, Math.round(timeSteps * PROBE_FRACTION));
    const short = await make(probeSteps);
    try {
      estimates = [];
      for (const run of short.runs) {
        await run(); // cold
        const start = performance.now();
        await run();
        estimates.push(((performance.now() - start) * timeSteps) / probeSteps);
      }
    } finally {
      short.dispose?.();
    }
    // Warm-up + at least one sample must fit, all runs together.
    const total = estimates.reduce((a, b) => a + b, 0);
    if (total > budget.budgetMs) {
      return {
        measurements: estimates.map((estimateMs) => ({ ...overBudget(estimateMs, budget), estimateMs })),
        outputs: estimates.map(() => undefined),
      };
    }
  }
  const full = await make(timeSteps);
  try {
    const measurements = await measureInterleaved(full.runs, budget);
    return {
      measurements: measurements.map((m, k) => (estimates ? { ...m, estimateMs: estimates[k] } : m)),
      outputs: full.outputs?.() ?? full.runs.map(() => undefined),
    };
  } finally {
    full.dispose?.();
  }
}

// ---------------------------------------------------------------------------------------------
// The hand path and the naive baseline (no tfjs)

/** forwardHand in one precision, on one thread. */
export function handSubject(weights: RnnWeights, input: NdArray, precision: 'float64' | 'float32', kernel?: KernelName): SubjectFactory {
  return (timeSteps) => {
    const x = firstSteps(input, timeSteps);
    let output: NdArray | undefined;
    const run = () => {
      // The kernel for this run only (forwardHand takes none); the default is back afterwards.
      setDefaultKernel(kernel);
      try {
        output = forwardHand(weights, x, precision);
      } finally {
        setDefaultKernel(undefined);
      }
    };
    return { runs: [run], outputs: () => [output] };
  };
}

/** forwardHandParallel (float64): the batch split across threads when it is large enough. */
export function parallelSubject(weights: RnnWeights, input: NdArray): SubjectFactory {
  return (timeSteps) => {
    const x = firstSteps(input, timeSteps);
    let output: NdArray | undefined;
    return {
      runs: [async () => (output = await forwardHandParallel(weights, x, 'float64'))],
      outputs: () => [output],
    };
  };
}

/** The naive loop on nested arrays (conversion not timed). */
export function naiveSubject(weights: RnnWeights, input: NdArray): SubjectFactory {
  const model = toNaiveModel(weights);
  return (timeSteps) => {
    const x = toNaiveInput(firstSteps(input, timeSteps));
    let y: number[][] | undefined;
    return {
      runs: [() => (y = naiveForward(model, x))],
      outputs: () => [y ? { shape: [y.length, y[0].length], data: Float64Array.from(y.flat()) } : undefined],
    };
  };
}

// ---------------------------------------------------------------------------------------------
// The layer path (tfjs), on whichever backend is active

/** tfjs's model.predict splits its input into batches of this many samples unless told otherwise. */
const PREDICT_DEFAULT_BATCH_SIZE = 32;

/** The runs predictSubject times, in order: ids for the result rows. */
export function predictRunNames(spec: ModelSpec): string[] {
  return ['predict', 'predictLayers', 'inputCopy', ...(spec.batch > PREDICT_DEFAULT_BATCH_SIZE ? ['predictOneBatch'] : [])];
}

/**
 * Interleaved on the same model: model.predict called directly (the input already a tensor, the output
 * read with dataSync); the tool's predictLayers (host array in, host array out); predictLayers's extra
 * work alone (host input -> new tensor -> dispose); and, when the batch is larger than predict's default
 * batchSize (32), model.predict with batchSize = the whole batch (what predictLayers could pass).
 */
export function predictSubject(spec: ModelSpec, seed: number, input: NdArray): SubjectFactory {
  return (timeSteps) => {
    const model = buildModel({ ...spec, timeSteps }, seed);
    const x = firstSteps(input, timeSteps);
    const shape = x.shape as [number, number, number];
    const xTensor = tf.tensor3d(x.data as Float32Array, shape, 'float32');
    const outputs: (NdArray | undefined)[] = [];
    const predict = (k: number, options?: { batchSize: number }) => () => {
      const y = model.predict(xTensor, options) as tf.Tensor;
      outputs[k] = { shape: y.shape, data: y.dataSync() as Float32Array };
      y.dispose();
    };
    const runs: Run[] = [predict(0), () => (outputs[1] = predictLayers(model, x)), () => tf.tensor3d(Float32Array.from(x.data), shape, 'float32').dispose()];
    if (spec.batch > PREDICT_DEFAULT_BATCH_SIZE) runs.push(predict(3, { batchSize: spec.batch }));
    return {
      runs,
      outputs: () => runs.map((_, k) => outputs[k]),
      dispose: () => {
        xTensor.dispose();
        model.dispose();
      },
    };
  };
}

/** The whole check (runCheck): backend selection, model build, weights, seeded input, both paths, compare. */
export function checkSubject(spec: ModelSpec, seed: number, backend: BackendName): SubjectFactory {
  return (timeSteps) => {
    let output: NdArray | undefined;
    let pass = true;
    return {
      runs: [
        async () => {
          const result = await runCheck({ spec: { ...spec, timeSteps }, seed, backend, precision: 'float64' });
          output = result.layerOutput;
          pass = pass && result.report.pass;
          if (!pass) throw new Error(`runCheck on ${backend}: parity failed (max|diff| ${result.report.maxAbsError})`);
        },
      ],
      outputs: () => [output],
    };
  };
}

/** Activates `backend`; undefined when it loads, else why not. */
export async function activate(backend: BackendName): Promise<string | undefined> {
  try {
    await selectBackend(backend);
    return undefined;
  } catch (error) {
    return `unavailable: ${(error as Error).message.split('\n')[0]}`;
  }
}
