/**
 * --backend all: the same check on every backend, each in its own process (tfjs-node and
 * tfjs-node-gpu both register a backend named "tensorflow", so they cannot share one), then one table.
 */
import { spawnSync } from 'node:child_process';
import { BACKEND_NAMES, type BackendName } from '../../../src/backends/types';
import { ConfigError } from '../../../src/errors';
import type { Tolerance } from '../../../src/compare/compare';
import { formatError, formatTolerance } from '../../../src/compare/summary';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { JSON_SCHEMA_VERSION, toJson } from '../json-report';
import { cliBinPath } from '../package-root';

/**
 * The fields of a child's --json report that the table reads: modelReportObject's (schema version 2), or
 * errorReportObject's for a check that could not run. JSON writes non-finite numbers as strings.
 */
type ChildReport =
  | { pass: false; error: { type: string; message: string } }
  | {
      pass: boolean;
      error?: undefined;
      backend: { versions: Record<string, string> };
      report: { maxAbsError: number | string; maxRelError: number | string; overTolerance: number; elements: number; tolerance: Tolerance };
      timingsMs: { layerPath: number };
      /** With --gradients (gradientReportObject). */
      gradients?: {
        pass: boolean;
        layerPathError: string | null;
        tensors: { comparisons: { pair: string; scaledMaxError: number | string }[] }[];
      };
    };

/** What one backend's child process reported (its --json output), or why it produced none. */
interface BackendRun {
  backend: BackendName;
  exitCode: number;
  report: ChildReport;
}

/** Removes --backend/--json/--verbose (and their values) from the user's argv; the child gets its own. */
function argsForChild(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--backend') {
      i++;
      continue;
    }
    if (arg.startsWith('--backend=') || arg === '--json' || arg === '--no-json') continue;
    out.push(arg);
  }
  return out;
}

function runOne(backend: BackendName, argv: readonly string[]): BackendRun {
  const child = spawnSync(process.execPath, [cliBinPath(), ...argsForChild(argv), '--backend', backend, '--json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const exitCode = child.status ?? EXIT_CODES.internal;
  try {
    return { backend, exitCode, report: JSON.parse(child.stdout) as ChildReport };
  } catch {
    const why = (child.stderr || child.error?.message || `exit ${exitCode}`).trim().split('\n').pop() ?? '';
    return { backend, exitCode: EXIT_CODES.internal, report: { pass: false, error: { type: 'Error', message: why } } };
  }
}

function statusOf(run: BackendRun): string {
  if (run.report.error) return run.exitCode === EXIT_CODES.backendUnavailable ? 'unavailable' : 'error';
  return run.report.pass ? 'PASS' : 'FAIL';
}

/** The gradient column: the worst scaled error of tfjs's gradients against the hand path's, or why there is none. */
function gradientCell(r: Exclude<ChildReport, { error: { type: string } }>): string {
  const g = r.gradients;
  if (!g) return '';
  if (g.layerPathError) return 'FAIL cannot differentiate';
  const worst = Math.max(
    ...g.tensors.flatMap((t) =>
      t.comparisons.filter((c) => c.pair === 'layer vs hand').map((c) => (typeof c.scaledMaxError === 'number' ? c.scaledMaxError : Number(c.scaledMaxError))),
    ),
  );
  return `${g.pass ? 'PASS' : 'FAIL'} ${formatError(worst)}`;
}

function tableRow(run: BackendRun, withGradients: boolean): string[] {
  const r = run.report;
  if (r.error) return [run.backend, statusOf(run), '', '', '', '', ...(withGradients ? [''] : []), '', String(r.error.message)];
  const versions = Object.entries(r.backend.versions)
    .filter(([name]) => !['tfjs-core', 'tfjs-layers'].includes(name))
    .map(([name, v]) => `${name} ${v}`)
    .join(', ');
  const toNumber = (x: unknown) => (typeof x === 'number' ? x : Number(x));
  return [
    run.backend,
    statusOf(run),
    formatError(toNumber(r.report.maxAbsError)),
    formatError(toNumber(r.report.maxRelError)),
    `${r.report.overTolerance}/${r.report.elements}`,
    formatTolerance(r.report.tolerance),
    ...(withGradients ? [gradientCell(r)] : []),
    `${r.timingsMs.layerPath} ms`,
    versions,
  ];
}

function formatTable(runs: BackendRun[]): string {
  const withGradients = runs.some((r) => !r.report.error && r.report.gradients !== undefined);
  const header = ['backend', 'result', 'max|diff|', 'max rel', 'over', 'tolerance', ...(withGradients ? ['gradients'] : []), 'layer path', 'versions / reason'];
  const rows = [header, ...runs.map((run) => tableRow(run, withGradients))];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** Exit code of the whole table: any FAIL -> 1, any usage error -> 2, nothing ran -> 3, else 0. */
function overallExitCode(runs: BackendRun[]): ExitCode {
  const ran = runs.filter((r) => !r.report.error);
  if (runs.some((r) => r.exitCode === EXIT_CODES.usage)) return EXIT_CODES.usage;
  if (runs.some((r) => r.exitCode === EXIT_CODES.internal)) return EXIT_CODES.internal;
  if (ran.length === 0) return EXIT_CODES.backendUnavailable;
  return ran.every((r) => r.report.pass) ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
}

/**
 * Runs the check on tensorflow, cpu, wasm and cuda; unavailable ones are listed with the reason and
 * do not fail the run unless none could run.
 * @throws ConfigError for --save-weights, which would make every backend write the same files.
 */
export function runCheckOnAllBackends(argv: readonly string[], json: boolean, io: CliIo): ExitCode {
  if (argv.some((a) => a === '--save-weights' || a.startsWith('--save-weights='))) {
    throw new ConfigError('--save-weights: expected a single backend, got --backend all (each backend would write the same files)');
  }
  const runs: BackendRun[] = [];
  for (const backend of BACKEND_NAMES) {
    if (!json) io.stderr(`rnn-parity: checking on ${backend}...\n`);
    runs.push(runOne(backend, argv));
  }
  const exitCode = overallExitCode(runs);
  if (json) {
    io.stdout(`${toJson({ schemaVersion: JSON_SCHEMA_VERSION, pass: exitCode === EXIT_CODES.pass, exitCode, runs: runs.map((r) => r.report) })}\n`);
  } else {
    io.stdout(formatTable(runs));
    const verdict =
      exitCode === EXIT_CODES.pass
        ? 'PASS on every backend that ran'
        : exitCode === EXIT_CODES.toleranceExceeded
          ? 'FAIL on at least one backend'
          : 'no result';
    io.stdout(`${verdict} (exit code ${exitCode})\n`);
  }
  return exitCode;
}
