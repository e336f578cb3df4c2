/**
 * The performance bench (issue 8), a script, not a test:
 *
 *   npm run bench [-- --quick] [--workloads tiny,medium] [--cells simple] [--backends tensorflow,cpu] [--budget S]
 *
 * For every workload x cell (scripts/bench/workloads.ts) it times, on the same weights and input:
 *   - the hand path (src/manual) in float64 on one thread and split across threads, and in float32;
 *   - a naive JS loop (scripts/bench/naive.ts), the baseline;
 *   - on each backend: model.predict directly, the tool's predictLayers, and the whole runCheck;
 *   - when a Python with NumPy (and TensorFlow + Keras) exists: a NumPy float64 loop, the same with one
 *     BLAS thread, and Keras's tf.function(model) (scripts/bench/python_bench.py);
 * then whole processes for the quick start. Every output is checked against the hand path's float64.
 *
 * Output: the table on stdout, bench-results/bench.json, bench-results/bench.svg; progress on stderr.
 * Each measurement has a time budget (30 s, 3 s with --quick); big ones are probed on a twentieth of
 * the time steps first and "skipped (est. ... > budget)" when they would not fit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareOutputs } from '../src/compare/compare';
import { seededNormal } from '../src/data/numpy-random';
import { closeWorkerPool, defaultThreads, planBatchSplit } from '../src/manual/parallel';
import { buildModel } from '../src/model/build';
import { extractWeights } from '../src/model/extract';
import { inputShape, type CellKind } from '../src/spec';
import type { NdArray } from '../src/tensor';
import type { BackendName } from '../src/backends/types';
import { parseBenchArgs, type BenchOptions } from './bench/args';
import { exportCase, findPython, readPythonOutput, runPython, type PythonCase, type PythonInfo, type PythonRun } from './bench/python';
import { formatOverhead, formatResultsTable, formatStartup, formatTrace, overheadCases } from './bench/report';
import { implementations, PYTHON_IMPLEMENTATIONS, type ResultRow } from './bench/results';
import { measureStartup, startupCommands, traceRequires, type StartupResult } from './bench/startup';
import {
  activate,
  checkSubject,
  handSubject,
  measureSubject,
  naiveSubject,
  parallelSubject,
  predictSubject,
  type Estimated,
  type SubjectFactory,
} from './bench/subjects';
import { renderSvg } from './bench/svg';
import { formatTargets, judgeTargets } from './bench/targets';
import type { Budget } from './bench/timing';
import { workloadFlops, specFor, type Workload } from './bench/workloads';
import type { RequireRecord } from './bench/require-trace';

const SEED = 42;

function progress(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** The directory holding rnn-parity's package.json, from dist/scripts/ or scripts/. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== 'rnn-parity') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`bench: expected to run inside the rnn-parity repository, got ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function loadLine(): string {
  return `load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs`;
}

function describe(m: Estimated): string {
  if (m.status !== 'ok') return m.reason;
  return `${m.medianMs.toPrecision(3)} ms (${m.samples === 0 ? 'one cold run' : `${m.samples} samples x ${m.repeats}`})`;
}

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

async function record(context: CaseContext, ids: readonly string[], labels: string, factory: SubjectFactory): Promise<void> {
  const { workload, cell, budget } = context;
  const { measurements, outputs } = await measureSubject(factory, workload.timeSteps, needsProbe(workload, cell), budget);
  if (ids[0] === 'hand-f64' && outputs[0]) context.reference = outputs[0];
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

/** Everything JavaScript runs for one (workload, cell); returns the case exported for Python, if any. */
async function benchCase(
  workload: Workload,
  cell: CellKind,
  options: BenchOptions,
  backends: readonly BackendName[],
  rows: ResultRow[],
  python: PythonInfo,
  exportDir: string,
): Promise<{ pythonCase?: PythonCase; reference?: NdArray }> {
  const spec = specFor(workload, cell);
  const input: NdArray = { shape: inputShape(spec), data: Float32Array.from(seededNormal(SEED, inputShape(spec)).data) };
  await activate(backends[0]);
  const model = buildModel(spec, SEED);
  const weights = extractWeights(model, spec);
  model.dispose();

  const context: CaseContext = { workload, cell, budget: { budgetMs: options.budgetMs, maxSamples: options.maxSamples }, rows };
  await record(context, ['hand-f64'], 'hand f64', handSubject(weights, input, 'float64'));
  const split = planBatchSplit(weights, workload.batch, workload.timeSteps).length;
  await record(context, ['hand-f64-threads'], `hand f64 threads (split ${split})`, parallelSubject(weights, input));
  await record(context, ['hand-f32'], 'hand f32', handSubject(weights, input, 'float32'));
  await record(context, ['naive'], 'naive loop', naiveSubject(weights, input));
  for (const backend of backends) {
    const why = await activate(backend);
    if (why !== undefined) {
      for (const what of ['predict', 'predictLayers', 'inputCopy', 'check']) {
        rows.push({ workload: workload.name, cell, impl: `${backend}:${what}`, flops: workloadFlops(workload, cell), measurement: { status: 'failed', reason: why } });
      }
      continue;
    }
    await record(
      context,
      [`${backend}:predict`, `${backend}:predictLayers`, `${backend}:inputCopy`],
      `${backend} predict | predictLayers | input copy`,
      predictSubject(spec, SEED, input),
    );
    await record(context, [`${backend}:check`], `${backend} runCheck`, checkSubject(spec, SEED, backend));
  }
  const pythonCase = python.available ? exportCase(`${workload.name}/${cell}`, path.join(exportDir, workload.name, cell), weights, input) : undefined;
  return { pythonCase, reference: context.reference };
}

/** Runs Python on every exported case (Keras + NumPy, then NumPy with one BLAS thread) and adds its rows. */
function benchPython(
  python: PythonInfo,
  cases: readonly PythonCase[],
  references: Map<string, NdArray | undefined>,
  options: BenchOptions,
  rows: ResultRow[],
  scriptPath: string,
  jobDir: string,
): Record<string, unknown> {
  if (!python.available) return { available: false, reason: python.reason };
  const budget = { budgetMs: options.budgetMs, maxSamples: options.maxSamples };
  const runs: { impl: string; run: PythonRun | undefined; error?: string }[] = [];
  for (const oneThread of [false, true]) {
    progress(`python: ${oneThread ? 'NumPy with one BLAS thread' : python.keras ? 'Keras and NumPy' : 'NumPy (no TensorFlow/Keras here)'} on ${cases.length} cases`);
    try {
      runs.push({ impl: oneThread ? 'numpy-1t' : 'numpy', run: runPython(python, scriptPath, jobDir, cases, budget, { numpyOnly: oneThread || !python.keras, oneThread }) });
    } catch (error) {
      runs.push({ impl: oneThread ? 'numpy-1t' : 'numpy', run: undefined, error: (error as Error).message });
    }
  }
  for (const pythonCase of cases) {
    const [workloadName, cell] = pythonCase.id.split('/') as [string, CellKind];
    const flops = rows.find((r) => r.workload === workloadName && r.cell === cell)?.flops ?? 0;
    const reference = references.get(pythonCase.id);
    for (const { impl, run, error } of runs) {
      const result = run?.results[pythonCase.id];
      const failed: Estimated = { status: 'failed', reason: `failed: ${error ?? 'no result'}` };
      rows.push({
        workload: workloadName,
        cell,
        impl,
        flops,
        measurement: result?.numpy ?? failed,
        maxAbsDiff: impl === 'numpy' ? maxAbsDiff(readPythonOutput(pythonCase.dir, 'numpy'), reference) : undefined,
      });
      if (impl === 'numpy' && python.keras) {
        rows.push({
          workload: workloadName,
          cell,
          impl: 'keras',
          flops,
          measurement: result?.keras ?? failed,
          maxAbsDiff: maxAbsDiff(readPythonOutput(pythonCase.dir, 'keras'), reference),
        });
      }
    }
  }
  const main = runs[0].run;
  return { available: true, executable: python.executable, keras: python.keras, versions: main?.versions, threads: main?.threads, errors: runs.filter((r) => r.error).map((r) => r.error) };
}

/** Largest |output - hand f64| per implementation over every case: does each one compute the same model? */
function formatAgreement(rows: readonly ResultRow[], labels: Map<string, string>): string {
  const worst = new Map<string, number>();
  for (const r of rows) {
    if (r.maxAbsDiff === undefined || r.impl === 'hand-f64') continue;
    worst.set(r.impl, Math.max(worst.get(r.impl) ?? 0, Number.isNaN(r.maxAbsDiff) ? Infinity : r.maxAbsDiff));
  }
  const parts = [...worst].map(([impl, diff]) => `${(labels.get(impl) ?? impl).trim()} ${diff === 0 ? '0 (bit-identical)' : diff.toExponential(1)}`);
  return `Agreement: max |output - hand f64| over the measured cases: ${parts.join('; ')}`;
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseBenchArgs(argv);
  const root = repoRoot();
  const outDir = options.outDir ?? path.join(root, 'bench-results');
  const exportDir = path.join(outDir, 'cases');
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  progress(`${loadLine()}; budget ${options.budgetMs / 1000} s per measurement, at most ${options.maxSamples} samples`);

  const available: BackendName[] = [];
  const backendNotes: Record<string, string> = {};
  for (const backend of options.backends) {
    const why = await activate(backend);
    if (why === undefined) available.push(backend);
    else backendNotes[backend] = why;
    progress(`backend ${backend}: ${why ?? 'ok'}`);
  }
  if (available.length === 0) throw new Error(`bench: no backend loads (${Object.values(backendNotes).join('; ')})`);

  const python: PythonInfo = options.python ? findPython(root) : { available: false, reason: 'not run (--no-python)' };
  progress(python.available ? `python: ${python.executable}${python.keras ? ' (NumPy, TensorFlow, Keras)' : ' (NumPy only)'}` : `python: ${python.reason}`);

  const rows: ResultRow[] = [];
  const cases: PythonCase[] = [];
  const references = new Map<string, NdArray | undefined>();
  for (const workload of options.workloads) {
    for (const cell of options.cells) {
      const { pythonCase, reference } = await benchCase(workload, cell, options, available, rows, python, exportDir);
      references.set(`${workload.name}/${cell}`, reference);
      if (pythonCase) cases.push(pythonCase);
    }
  }
  await closeWorkerPool();
  const pythonSummary = benchPython(python, cases, references, options, rows, path.join(root, 'scripts', 'bench', 'python_bench.py'), outDir);

  let startup: StartupResult[] = [];
  let trace: RequireRecord[] = [];
  if (options.startup) {
    const withPython = python.available && python.keras && !options.quick ? python.executable : undefined;
    const commands = startupCommands(root, withPython);
    startup = measureStartup(commands, root, options.startupRuns, progress);
    trace = traceRequires(commands[0], root, path.join(__dirname, 'bench', 'require-trace.js'));
  }
  const loadAfter = os.loadavg();

  const threads = defaultThreads();
  const impls = implementations(options.backends, threads).filter((i) => python.available || !PYTHON_IMPLEMENTATIONS.includes(i));
  const labels = new Map(impls.map((i) => [i.id, i.id.includes(':') ? `tfjs ${i.id.replace(':', ' ')}` : i.label]));
  const targets = judgeTargets(rows, startup, overheadCases(rows, available));
  const header = [
    `rnn-parity bench, ${startedAt}, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}`,
    `load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}`,
    python.available ? `Python: ${python.executable} ${JSON.stringify(pythonSummary.versions ?? {})}` : `Python: not used: ${python.reason}. NumPy and Keras columns are empty.`,
    `hand f64 with threads: forwardManualParallel, ${threads} threads; it splits the batch only when batch >= 2 and the pass is >= 2e7 operations (so tiny and long run on one thread).`,
  ];
  const text = [
    ...header,
    '',
    formatResultsTable(rows, options.workloads, options.cells, impls),
    '',
    formatAgreement(rows, labels),
    '',
    formatOverhead(overheadCases(rows, available)),
    ...(startup.length > 0 ? ['', formatStartup(startup), '', formatTrace(trace, 15)] : []),
    '',
    formatTargets(targets),
  ].join('\n');
  process.stdout.write(`${text}\n`);

  fs.mkdirSync(outDir, { recursive: true });
  const json = {
    schemaVersion: 1,
    startedAt,
    machine: { node: process.version, cpu: os.cpus()[0]?.model, cpus: os.cpus().length, loadBefore, loadAfter, threads },
    options: { ...options, workloads: options.workloads.map((w) => w.name) },
    backends: { available, unavailable: backendNotes },
    python: pythonSummary,
    implementations: impls,
    results: rows,
    startup,
    requireTrace: trace.slice(0, 40),
    targets,
  };
  fs.writeFileSync(path.join(outDir, 'bench.json'), `${JSON.stringify(json, null, 2)}\n`);
  const subtitle = `${os.cpus().length} CPUs, load ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)}, ${startedAt.slice(0, 16)}`;
  fs.writeFileSync(path.join(outDir, 'bench.svg'), renderSvg(rows, options.workloads, options.cells, impls, subtitle));
  progress(`wrote ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))} and bench.svg; ${loadLine()}`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 1;
});
