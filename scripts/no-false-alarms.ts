/**
 * npm run no-false-alarms: does the harness ever cry wolf? The CORRECT hand path against the layer path,
 * at the default tolerance, on N random valid specs on one backend. Every check must pass.
 *
 *   npm run no-false-alarms -- --backend tensorflow --count 500 [--sweep-seed 1] [--save FILE]
 *   npm run no-false-alarms -- --summarize FILE
 *
 * Spec bounds (apps/faults/random-spec.ts draws them; uniform unless said otherwise):
 *   cell simple | lstm | gru reset_after | gru reset_before;  activation tanh | relu | sigmoid | linear;
 *   recurrentActivation sigmoid | hard_sigmoid | hard_sigmoid_tfjs;  unitForgetBias, returnSequences,
 *   goBackwards each true or false;  layers 1-3;  batch 1-8;  timeSteps 1-1000 log-uniform (a third are
 *   1-9, a sixth 300-1000);  inputDim 1-64;  units 1-128;  denseUnits 1-16;  seed 0..2^32-1.
 * The sweep seed fixes the list of specs, so every backend sees the same specs.
 *
 * Prints one row per cell variant: count, failures, and the margin, the largest max|layer - hand| / allowed
 * seen (allowed = atol + rtol*|hand|; 1 is the tolerance), overall and over the specs with a bounded
 * activation (tanh, sigmoid), which keep values at the unit scale the tolerance assumes; then the spec that
 * set the overall margin as an rnn-parity command.
 * Each false alarm is printed with its command, and with the float32 hand path's own error / allowed on that
 * spec: when float32 arithmetic itself misses the tolerance, the tolerance is what failed, not a path.
 * Progress on stderr, one line per spec. --save FILE writes every spec's result as JSON; --summarize FILE
 * prints the report of such a file again without running anything.
 * Exit codes: 0 no false alarm, 1 a false alarm (each is printed with its command), 2 bad flag,
 * 3 backend unavailable.
 */
import * as fs from 'fs';
import type { BackendName } from '../src/backends';
import { runCheck } from '../src/check';
import { scriptCli } from './script-cli';
import { EXIT_CODES, exitCodeFor } from '../apps/cli/exit-codes';
import type { Tolerance } from '../src/compare/compare';
import { defaultTolerance } from '../src/compare/tolerance';
import { ConfigError } from '../src/errors';
import { cellVariant, CELL_VARIANTS, type CellVariant } from '../apps/faults/default-checks';
import { toleranceRatio } from '../apps/faults/margin';
import { RandomSpecs, reproduceCommand, type RandomCheck } from '../apps/faults/random-spec';
import { formatSmall, formatTable } from '../apps/faults/text-table';
import { forwardHand } from '../src/hand/forward';
import type { NdArray } from '../src/tensor';
import type { RnnWeights } from '../src/weights';

interface SweepArgs {
  /** Required unless summarize is given (parseArgs checks). */
  readonly backend?: BackendName;
  readonly count: number;
  readonly sweepSeed: number;
  readonly save?: string;
  /** Print the report of a sweep saved with --save instead of running one. */
  readonly summarize?: string;
}

interface SpecResult {
  readonly index: number;
  readonly cell: CellVariant;
  readonly check: RandomCheck;
  readonly pass: boolean;
  readonly maxAbsError: number;
  readonly atol: number;
  /** max |layer - hand| / allowed over the elements. */
  readonly ratio: number;
  readonly ms: number;
  /** Of which the layer path (tfjs predict) and the hand path. */
  readonly layerMs: number;
  readonly handMs: number;
  /**
   * Failures only: the hand path run with every operation rounded to float32, as error / allowed against the
   * float64 hand path. Above 1 too means float32 arithmetic itself cannot meet the tolerance on this spec.
   */
  readonly float32Ratio?: number;
  /** Failures only: max |hand output|. */
  readonly maxAbsOutput?: number;
}

function parseArgs(argv: readonly string[]): SweepArgs {
  const args = scriptCli(
    argv,
    'no-false-alarms',
    '$0 --backend tensorflow|cpu|wasm [--count N] [--sweep-seed S] [--save FILE]\n$0 --summarize FILE\n\nThe correct hand path against the layer path on N random specs.',
  )
    .option('backend', { choices: ['tensorflow', 'cpu', 'wasm', 'cuda'] as const, describe: 'required unless --summarize' })
    .option('count', { type: 'number', default: 500, describe: 'random specs to check' })
    .option('sweep-seed', { type: 'number', default: 1, describe: 'seeds the list of specs (MT19937)' })
    .option('save', { type: 'string', describe: 'write every result as JSON to FILE' })
    .option('summarize', { type: 'string', describe: 'print the report of a sweep saved in FILE; runs nothing' })
    .parseSync();
  if (!Number.isInteger(args.count) || args.count < 1) throw new ConfigError(`--count: expected a positive integer, got ${args.count}`);
  if (!Number.isInteger(args['sweep-seed']) || args['sweep-seed'] < 0) {
    throw new ConfigError(`--sweep-seed: expected an integer >= 0, got ${args['sweep-seed']}`);
  }
  return { backend: args.backend, count: args.count, sweepSeed: args['sweep-seed'], save: args.save, summarize: args.summarize };
}

/** Is a failure float32's own floor? Reruns the hand path in float32 and measures it like the layer path. */
function diagnose(weights: RnnWeights, input: NdArray, reference: NdArray, tolerance: Tolerance): { float32Ratio: number; maxAbsOutput: number } {
  const float32 = forwardHand(weights, input, 'float32');
  let maxAbsOutput = 0;
  for (const v of reference.data) maxAbsOutput = Math.max(maxAbsOutput, Math.abs(v));
  return { float32Ratio: toleranceRatio(float32, reference, tolerance), maxAbsOutput };
}

function describe(check: RandomCheck): string {
  const s = check.spec;
  const gates = s.cell === 'simple' ? '' : ` ${s.recurrentActivation}`;
  return (
    `${cellVariant(s)} ${s.activation}${gates} x${s.layers} b${s.batch} T${s.timeSteps} D${s.inputDim} U${s.units} K${s.denseUnits}` +
    `${s.returnSequences ? ' seq' : ''}${s.goBackwards ? ' back' : ''} seed ${check.seed}`
  );
}

/** The result with the largest ratio, or null for none. */
function worstOf(results: readonly SpecResult[]): SpecResult | null {
  return results.reduce<SpecResult | null>((w, r) => (w === null || r.ratio > w.ratio ? r : w), null);
}

/**
 * The tolerance assumes values of unit scale (src/compare/tolerance.ts). tanh and sigmoid keep every hidden
 * state there; relu and linear let it grow, and float32's error grows with it, so their margin is shown apart.
 */
const BOUNDED = new Set(['tanh', 'sigmoid']);

function summaryLines(results: readonly SpecResult[], backend: BackendName): string[] {
  const rows = CELL_VARIANTS.map((cell) => {
    const mine = results.filter((r) => r.cell === cell);
    const worst = worstOf(mine);
    const bounded = worstOf(mine.filter((r) => BOUNDED.has(r.check.spec.activation)));
    return [
      cell,
      backend,
      String(mine.length),
      String(mine.filter((r) => !r.pass).length),
      worst === null ? '-' : worst.ratio.toFixed(3),
      bounded === null ? '-' : bounded.ratio.toFixed(3),
      worst === null ? '-' : `${formatSmall(worst.maxAbsError)} / atol ${formatSmall(worst.atol)}`,
      worst === null ? '-' : describe(worst.check),
    ];
  });
  const header = [
    'cell',
    'backend',
    'count',
    'failures',
    'margin (max error/allowed)',
    'margin, tanh/sigmoid only',
    'at worst: max error / atol',
    'worst spec',
  ];
  return formatTable(header, rows);
}

interface Sweep {
  readonly backend: BackendName;
  readonly sweepSeed: number;
  readonly seconds: number;
  readonly results: SpecResult[];
}

async function runSweep(backend: BackendName, count: number, sweepSeed: number): Promise<Sweep> {
  const specs = new RandomSpecs(sweepSeed);
  const results: SpecResult[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const check = specs.next();
    const t = performance.now();
    const result = await runCheck({ spec: check.spec, seed: check.seed, backend, precision: 'float64' });
    const tolerance = defaultTolerance(check.spec);
    const r: SpecResult = {
      index,
      cell: cellVariant(check.spec),
      check,
      pass: result.report.pass,
      maxAbsError: result.report.maxAbsError,
      atol: tolerance.atol,
      ratio: toleranceRatio(result.layerOutput, result.handOutput, tolerance),
      ms: Math.round(performance.now() - t),
      layerMs: Math.round(result.timingsMs.layerPath),
      handMs: Math.round(result.timingsMs.handPath),
      ...(result.report.pass ? {} : diagnose(result.weights, result.input, result.handOutput, tolerance)),
    };
    results.push(r);
    process.stderr.write(
      `[${index + 1}/${count}] ${r.pass ? 'ok  ' : 'FAIL'} ${r.ratio.toFixed(3)} ${r.ms}ms (layer ${r.layerMs}, hand ${r.handMs})  ${describe(check)}\n`,
    );
  }
  return { backend, sweepSeed, seconds: (performance.now() - started) / 1000, results };
}

function printReport(sweep: Sweep): void {
  const { backend, results } = sweep;
  console.log(`No false alarms? ${results.length} random specs on ${backend} (sweep seed ${sweep.sweepSeed}), ${sweep.seconds.toFixed(0)} s\n`);
  for (const line of summaryLines(results, backend)) console.log(line);
  const worst = worstOf(results);
  if (worst !== null) console.log(`\nmargin overall ${worst.ratio.toFixed(3)}: ${reproduceCommand(worst.check, backend)}`);
  for (const f of results.filter((r) => !r.pass)) {
    const float32 = f.float32Ratio === undefined ? 'not measured' : `${f.float32Ratio.toFixed(2)}x`;
    console.log(
      `FALSE ALARM at spec ${f.index + 1}: max error ${formatSmall(f.maxAbsError)}, ${f.ratio.toFixed(2)}x allowed; float32 hand path ${float32}; ` +
        `max|y| ${formatSmall(f.maxAbsOutput ?? NaN)}: ${reproduceCommand(f.check, backend)}`,
    );
  }
}

// JSON has no NaN or Infinity; like the CLI's --json report, they are written as strings.
const writeNonFinite = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const readNonFinite = (_key: string, v: unknown) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v);

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  let sweep: Sweep;
  if (args.summarize !== undefined) {
    sweep = JSON.parse(fs.readFileSync(args.summarize, 'utf8'), readNonFinite) as Sweep;
  } else if (args.backend === undefined) {
    throw new ConfigError('--backend: expected tensorflow, cpu, wasm or cuda, got nothing');
  } else {
    sweep = await runSweep(args.backend, args.count, args.sweepSeed);
    if (args.save) fs.writeFileSync(args.save, `${JSON.stringify(sweep, writeNonFinite, 1)}\n`);
  }
  printReport(sweep);
  return sweep.results.some((r) => !r.pass) ? EXIT_CODES.toleranceExceeded : EXIT_CODES.pass;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`no-false-alarms: ${(error as Error).message}\n`);
    process.exitCode = exitCodeFor(error);
  },
);
