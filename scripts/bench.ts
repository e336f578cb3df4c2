/**
 * The performance bench (issue 8), a script, not a test:
 *
 *   npm run bench [-- --quick] [--workloads tiny,medium] [--cells simple] [--backends tensorflow,cpu] [--budget S]
 *
 * For every workload x cell (scripts/bench/workloads.ts) it times, on the same weights and input:
 *   - the hand path (src/hand) in float64 on one thread and split across threads, and in float32;
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
import { exitCodeFor } from '../apps/cli/exit-codes';
import { closeWorkerPool, defaultThreads, MIN_PARALLEL_FLOPS } from '../src/hand/parallel';
import type { BackendName } from '../src/backends/types';
import { parseBenchArgs } from './bench/args';
import { benchCase, progress, startPython } from './bench/cases';
import { findPython, type PythonInfo } from './bench/python';
import { formatOverhead, formatResultsTable, formatStartup, formatTrace, overheadCases } from './bench/report';
import { implementations, PYTHON_IMPLEMENTATIONS, type ResultRow } from './bench/results';
import type { RequireRecord } from './bench/require-trace';
import { measureStartup, startupCommands, traceRequires, type StartupResult } from './bench/startup';
import { activate } from './bench/subjects';
import { renderSvg } from './bench/svg';
import { formatTargets, judgeTargets } from './bench/targets';
import { benchTestSets, formatTestSets, type TestSetResult } from './bench/test-sets';

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

/** `text` with this checkout's path and node's path left out, so a saved report names no machine's paths. */
function portable(text: string, root: string): string {
  return text.split(`${root}${path.sep}`).join('').split(process.execPath).join('node');
}

function loadLine(): string {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} on ${os.cpus().length} CPUs`;
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

  const found: PythonInfo = options.python ? findPython(root) : { available: false, reason: 'not run (--no-python)' };
  progress(
    found.available ? `python: ${found.executable}${found.keras ? ' (NumPy, TensorFlow, Keras): importing' : ' (NumPy only)'}` : `python: ${found.reason}`,
  );
  const python = await startPython(found, path.join(root, 'scripts', 'bench', 'python_bench.py'));
  const pythonSummary = 'servers' in python ? python.summary : { available: false, reason: python.reason };

  const rows: ResultRow[] = [];
  try {
    for (const workload of options.workloads) {
      for (const cell of options.cells) await benchCase(workload, cell, options, available, rows, python, exportDir);
    }
  } finally {
    await closeWorkerPool();
    if ('servers' in python) python.servers.forEach((s) => s.server.close());
  }

  let testSets: TestSetResult[] = [];
  if (options.testSets) {
    const withKeras = found.available && found.keras ? found.executable : undefined;
    testSets = await benchTestSets(root, withKeras, progress);
  }

  let startup: StartupResult[] = [];
  let trace: RequireRecord[] = [];
  if (options.startup) {
    const withPython = found.available && found.keras && !options.quick ? found.executable : undefined;
    const commands = startupCommands(root, withPython);
    startup = measureStartup(commands, root, options.startupRuns, progress);
    trace = traceRequires(commands[0], root, path.join(__dirname, 'bench', 'require-trace.js'));
  }
  const loadAfter = os.loadavg();

  const threads = defaultThreads();
  const impls = implementations(options.backends, threads).filter((i) => 'servers' in python || !PYTHON_IMPLEMENTATIONS.includes(i));
  const labels = new Map(impls.map((i) => [i.id, i.id.includes(':') ? `tfjs ${i.id.replace(':', ' ')}` : i.label]));
  const targets = judgeTargets(rows, startup, overheadCases(rows, available));
  const header = [
    `rnn-parity bench, ${startedAt}, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x ${os.cpus().length}`,
    `load average (1, 5, 15 min): before ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after ${loadAfter.map((l) => l.toFixed(2)).join(', ')}`,
    'servers' in python
      ? `Python: ${found.available ? found.executable : ''} ${JSON.stringify(pythonSummary.versions ?? {})}`
      : `Python: not used: ${python.reason}. NumPy and Keras columns are empty.`,
    `hand f64 with threads: forwardHandParallel, ${threads} threads; it splits the batch only when batch >= 2 and the pass is >= ${MIN_PARALLEL_FLOPS.toExponential(0)} operations (so tiny and long run on one thread).`,
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
    ...(testSets.length > 0 ? ['', formatTestSets(testSets)] : []),
    '',
    formatTargets(targets),
  ].join('\n');
  process.stdout.write(`${portable(text, root)}\n`);

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
    testSets,
  };
  fs.writeFileSync(path.join(outDir, 'bench.json'), `${portable(JSON.stringify(json, null, 2), root)}\n`);
  const subtitle = `${os.cpus().length} CPUs, load ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)}, ${startedAt.slice(0, 16)}`;
  fs.writeFileSync(path.join(outDir, 'bench.svg'), renderSvg(rows, options.workloads, options.cells, impls, subtitle));
  progress(`wrote ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))} and bench.svg; ${loadLine()}`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = exitCodeFor(error); // 2 for a bad flag (ConfigError), as the CLI
});
