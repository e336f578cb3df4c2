/** The bench's command line: `npm run bench -- [--quick] [--workloads a,b] [--cells a,b] [--backends a,b] ...`. */
import { BACKEND_NAMES, type BackendName } from '../../src/backends/types';
import { ConfigError } from '../../src/errors';
import type { CellKind } from '../../src/spec';
import { scriptCli } from '../script-cli';
import { BENCH_CELLS, QUICK_CELLS, QUICK_WORKLOADS, WORKLOADS, type Workload } from './workloads';

/** Backends that run on this machine's CPU (cuda needs a GPU and a process of its own). */
const LOCAL_BACKENDS: readonly BackendName[] = ['tensorflow', 'cpu', 'wasm'];

export interface BenchOptions {
  readonly quick: boolean;
  readonly workloads: readonly Workload[];
  readonly cells: readonly CellKind[];
  readonly backends: readonly BackendName[];
  /** Per measurement, warm-up included. */
  readonly budgetMs: number;
  readonly maxSamples: number;
  readonly python: boolean;
  readonly startup: boolean;
  readonly startupRuns: number;
  /** The whole-test-set section (scripts/bench/test-sets.ts). */
  readonly testSets: boolean;
  readonly outDir: string | undefined;
}

function pick<T extends string>(flag: string, value: string | undefined, all: readonly T[], fallback: readonly T[]): T[] {
  if (value === undefined) return [...fallback];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !all.includes(n as T));
  if (unknown.length > 0 || names.length === 0) {
    throw new ConfigError(`--${flag}: expected a comma-separated list of ${all.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return all.filter((n) => names.includes(n));
}

/** @throws ConfigError for an unknown flag, workload, cell or backend name, or a bad number. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const args = scriptCli(
    argv,
    'npm run bench --',
    '$0 [--quick] [--workloads tiny,small,medium,large,long] [--cells simple,lstm,gru] [--backends tensorflow,cpu,wasm]',
  )
    .option('quick', {
      type: 'boolean',
      default: false,
      describe: `workloads ${QUICK_WORKLOADS.join(', ')}, cells ${QUICK_CELLS.join(', ')}, 3 s budget, 5 samples, 3 startup runs, no Python startup`,
    })
    .option('workloads', { type: 'string', describe: `comma-separated: ${WORKLOADS.map((w) => w.name).join(', ')}` })
    .option('cells', { type: 'string', describe: `comma-separated: ${BENCH_CELLS.join(', ')}` })
    .option('backends', { type: 'string', describe: `comma-separated: ${BACKEND_NAMES.join(', ')} (default: ${LOCAL_BACKENDS.join(', ')})` })
    .option('budget', { type: 'number', describe: 'seconds per measurement, warm-up included (default 30; 3 with --quick)' })
    .option('samples', { type: 'number', describe: 'most timed samples per measurement (default 10; 5 with --quick)' })
    .option('python', { type: 'boolean', default: true, describe: 'run NumPy and Keras too when a Python with them exists (--no-python: skip)' })
    .option('startup', { type: 'boolean', default: true, describe: 'time whole processes for the quick-start comparison (--no-startup: skip)' })
    .option('startup-runs', { type: 'number', describe: 'runs per startup command (default 7; 3 with --quick)' })
    .option('test-sets', {
      type: 'boolean',
      describe: 'check seed 002 and the IRNN over the 10,000 MNIST test images (a few minutes; default: on, off with --quick)',
    })
    .option('out', { type: 'string', describe: 'directory for bench.json and bench.svg (default bench-results/)' })
    .parseSync();
  const quick = args.quick;
  const budget = args.budget ?? (quick ? 3 : 30);
  const samples = args.samples ?? (quick ? 5 : 10);
  const startupRuns = args['startup-runs'] ?? (quick ? 3 : 7);
  for (const [flag, value] of [
    ['budget', budget],
    ['samples', samples],
    ['startup-runs', startupRuns],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new ConfigError(`--${flag}: expected a positive number, got ${value}`);
  }
  const names = WORKLOADS.map((w) => w.name);
  const chosen = pick('workloads', args.workloads, names, quick ? QUICK_WORKLOADS : names);
  return {
    quick,
    workloads: WORKLOADS.filter((w) => chosen.includes(w.name)),
    cells: pick('cells', args.cells, BENCH_CELLS, quick ? QUICK_CELLS : BENCH_CELLS),
    backends: pick('backends', args.backends, BACKEND_NAMES, LOCAL_BACKENDS),
    budgetMs: budget * 1000,
    maxSamples: Math.round(samples),
    python: args.python,
    startup: args.startup,
    startupRuns: Math.round(startupRuns),
    testSets: args['test-sets'] ?? !quick,
    outDir: args.out,
  };
}
