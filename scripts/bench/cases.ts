/**
 * One (workload, cell) of the bench: the model built once, then every implementation timed on it in
 * turn (hand path, naive loop, each backend's layer path and whole check, then Python), each output
 * compared with the hand path's float64.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackendName } from '../../src/backends/types';
import { compareOutputs } from '../../src/compare/compare';
import { seededNormal } from '../../src/data/numpy-random';
import { planBatchSplit } from '../../src/hand/parallel';
import { buildModel } from '../../src/model/build';
import { extractWeights } from '../../src/model/extract';
import { inputShape, type CellKind } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import type { BenchOptions } from './args';
import { exportCase, PythonServer, readPythonOutput, type PythonAnswer, type PythonCase, type PythonInfo, type PythonMissing } from './python';
import type { ResultRow } from './results';
import {
  activate,
  checkSubject,
  handSubject,
  measureSubject,
  naiveSubject,
  parallelSubject,
  predictRunNames,
  predictSubject,
  type Estimated,
  type SubjectFactory,
} from './subjects';
import type { Budget } from './timing';
import { specFor, workloadFlops, type Workload } from './workloads';

/** Seeds the input (np.random.seed(42); randn) and the initializers, as `rnn-parity --seed 42`. */
const SEED = 42;

/** One progress line on stderr. */
export function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** "12.3 ms (10 samples x 4)" or the reason it was not timed. */
function describe(m: Estimated): string {
  if (m.status !== 'ok') return m.reason;
  return `${m.medianMs.toPrecision(3)} ms (${m.samples === 0 ? 'one cold run' : `${m.samples} samples x ${m.repeats}`})`;
}

/** max |output - reference|; NaN when the shapes differ; undefined when either is missing. */
function maxAbsDiff(output: NdArray | undefined, reference: NdArray | undefined): number | undefined {
  if (output === undefined || reference === undefined) return undefined;
  const report = compareOutputs(output, reference, { atol: 0, rtol: 0 });
  return report.shapeMatch ? report.maxAbsError : Number.NaN;
}

/** The big workloads get a probe before each measurement (see measureSubject). */
function needsProbe(workload: Workload, cell: CellKind): boolean {
  return workloadFlops(workload, cell) >= 1e8 || workload.timeSteps >= 1000;
}

interface CaseContext {
  readonly workload: Workload;
  readonly cell: CellKind;
  readonly budget: Budget;
  readonly rows: ResultRow[];
  /** The hand path's float64 output, the reference every other output is compared with. */
  reference?: NdArray;
}

/** Measures one subject and appends a row per run (ids in run order); `labels` names them in the progress line. */
async function record(context: CaseContext, ids: readonly string[], labels: string, factory: SubjectFactory): Promise<void> {
  const { workload, cell, budget } = context;
  const { measurements, outputs } = await measureSubject(factory, workload.timeSteps, needsProbe(workload, cell), budget);
  // The reference: hand f64 on one thread, or the threaded run (bit-identical) when that one was skipped.
  if ((ids[0] === 'hand-f64' || (ids[0] === 'hand-f64-threads' && !context.reference)) && outputs[0]) context.reference = outputs[0];
  measurements.forEach((measurement, k) => {
    context.rows.push({
      workload: workload.name,
      cell,
      impl: ids[k],
      flops: workloadFlops(workload, cell),
      measurement,
      maxAbsDiff: maxAbsDiff(outputs[k], context.reference),
    });
  });
  progress(`${workload.name} ${cell}: ${labels}: ${measurements.map(describe).join(' | ')}`);
}

/** Everything timed for one (workload, cell), appended to `rows`; Python last, when it runs. */
export async function benchCase(
  workload: Workload,
  cell: CellKind,
  options: BenchOptions,
  backends: readonly BackendName[],
  rows: ResultRow[],
  python: PythonSide | PythonMissing,
  exportDir: string,
): Promise<void> {
  const spec = specFor(workload, cell);
  const input: NdArray = { shape: inputShape(spec), data: Float32Array.from(seededNormal(SEED, inputShape(spec)).data) };
  await activate(backends[0]);
  const model = buildModel(spec, SEED);
  const weights = extractWeights(model, spec);
  model.dispose();

  const context: CaseContext = { workload, cell, budget: { budgetMs: options.budgetMs, maxSamples: options.maxSamples }, rows };
  await record(context, ['hand-f64'], 'hand f64', handSubject(weights, input, 'float64', 'wasm'));
  await record(context, ['hand-f64-ts'], 'hand f64, TS kernel', handSubject(weights, input, 'float64', 'ts'));
  const split = planBatchSplit(weights, workload.batch, workload.timeSteps).length;
  await record(context, ['hand-f64-threads'], `hand f64 threads (split ${split})`, parallelSubject(weights, input));
  await record(context, ['hand-f32'], 'hand f32', handSubject(weights, input, 'float32'));
  await record(context, ['naive'], 'naive loop', naiveSubject(weights, input));
  for (const backend of backends) {
    const why = await activate(backend);
    if (why !== undefined) {
      for (const what of [...predictRunNames(spec), 'check']) {
        rows.push({
          workload: workload.name,
          cell,
          impl: `${backend}:${what}`,
          flops: workloadFlops(workload, cell),
          measurement: { status: 'failed', reason: why },
        });
      }
      continue;
    }
    const names = predictRunNames(spec);
    await record(
      context,
      names.map((n) => `${backend}:${n}`),
      `${backend} ${names.join(' | ')}`,
      predictSubject(spec, SEED, input),
    );
    await record(context, [`${backend}:check`], `${backend} runCheck`, checkSubject(spec, SEED, backend));
  }
  if ('servers' in python) {
    const pythonCase = exportCase(`${workload.name}/${cell}`, path.join(exportDir, workload.name, cell), weights, input);
    await benchPythonCase(python, pythonCase, workload, cell, context.budget, context.reference, rows);
  }
}

/** The two Python servers: Keras + NumPy with default BLAS threads, and NumPy with one BLAS thread. */
interface PythonSide {
  readonly servers: { impl: 'numpy' | 'numpy-1t'; server: PythonServer }[];
  readonly keras: boolean;
  readonly summary: Record<string, unknown>;
}

/** Starts both servers and waits for their imports; a failure leaves Python out, with the reason. */
export async function startPython(python: PythonInfo, script: string): Promise<PythonSide | PythonMissing> {
  if (!python.available) return python;
  const servers = [
    { impl: 'numpy' as const, server: new PythonServer(python, script, { numpyOnly: !python.keras, oneThread: false }) },
    { impl: 'numpy-1t' as const, server: new PythonServer(python, script, { numpyOnly: true, oneThread: true }) },
  ];
  try {
    const [main, oneThread] = await Promise.all(servers.map((s) => s.server.ready()));
    return {
      servers,
      keras: python.keras,
      summary: {
        available: true,
        executable: python.executable,
        keras: python.keras,
        versions: main.versions,
        threads: main.threads,
        oneThreadRun: oneThread.threads,
      },
    };
  } catch (error) {
    servers.forEach((s) => s.server.close());
    return { available: false, reason: `${python.executable} failed to start the helper: ${(error as Error).message}` };
  }
}

/** Times one exported case in Python, right after JavaScript did, and adds its rows. */
async function benchPythonCase(
  side: PythonSide,
  pythonCase: PythonCase,
  workload: Workload,
  cell: CellKind,
  budget: Budget,
  reference: NdArray | undefined,
  rows: ResultRow[],
): Promise<void> {
  const flops = workloadFlops(workload, cell);
  for (const { impl, server } of side.servers) {
    let answer: PythonAnswer;
    try {
      answer = await server.time(pythonCase, budget);
    } catch (error) {
      answer = {};
      progress(`python (${impl}): ${(error as Error).message}`);
    }
    const failed: Estimated = { status: 'failed', reason: 'failed: no answer from python_bench.py' };
    const add = (id: string, measurement: Estimated | undefined, output: 'numpy' | 'keras' | undefined) =>
      rows.push({
        workload: workload.name,
        cell,
        impl: id,
        flops,
        measurement: measurement ?? failed,
        maxAbsDiff: output ? maxAbsDiff(readPythonOutput(pythonCase.dir, output), reference) : undefined,
      });
    add(impl, answer.numpy, impl === 'numpy' ? 'numpy' : undefined);
    if (impl === 'numpy' && side.keras) add('keras', answer.keras, 'keras');
    const shown = [
      `${impl} ${answer.numpy ? describe(answer.numpy) : 'no answer'}`,
      ...(impl === 'numpy' && side.keras ? [`keras ${answer.keras ? describe(answer.keras) : 'no answer'}`] : []),
    ];
    progress(`${workload.name} ${cell}: ${shown.join(' | ')}`);
  }
  fs.rmSync(pythonCase.dir, { recursive: true, force: true }); // up to 40 MB of .npy per case
}
