/**
 * --keras FILE: check a user's Keras 3 model. The tfjs layer path and the hand path run on the Keras
 * weights and are compared with each other, and with Keras's own output when --expect gives it.
 *
 *   rnn-parity --keras model.keras [--input x.npy] [--expect y.npy] [--save-output out.npy] [--json]
 *
 * The architecture comes from the file (architecture flags are refused), except for a bare
 * .weights.h5, which holds weights only: then the flags describe it, as for a seeded check.
 * Exit codes as the check: 0 every comparison passes, 1 one fails, 2 bad file or flag, 3 backend.
 */
import type { BackendChoice } from '../../backends/types';
import { summarizeReport } from '../../compare/summary';
import { ConfigError, FileFormatError } from '../../errors';
import { readNpyFile, writeNpyFile } from '../../io/npy';
import { MAX_SEED } from '../../data/numpy-random';
import { runKerasCheck, type KerasCheckOptions, type KerasCheckResult } from '../../keras/check';
import { kerasFileKind } from '../../keras/read';
import { SIZE_LIMITS } from '../../spec';
import { formatShape, type NdArray } from '../../tensor';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { describeBackend, describeModel, formatArray, formatModelSummary } from '../format-report';
import type { CliIo } from '../io';
import { JSON_SCHEMA_VERSION, MAX_JSON_OUTPUT_ELEMENTS, toJson } from '../json-report';
import { ARCHITECTURE_FLAGS, parseInteger, parseTolerance, specFromArgs, type CheckArgs } from '../options';
import { runCheckOnAllBackends } from './check-all';

/** Boolean architecture flags: they have defaults, so only the raw argv tells whether they were typed. */
const BOOLEAN_ARCHITECTURE_FLAGS = ['return-sequences', 'go-backwards', 'unit-forget-bias'];

/** The architecture flags the user typed, as typed: value flags from the parsed args, boolean ones from argv. */
function typedArchitectureFlags(args: CheckArgs, rawArgv: readonly string[]): string[] {
  // --timesteps sets the seeded input's length; the model may fix it (then it must agree) or accept any.
  const valued = ARCHITECTURE_FLAGS.filter((flag) => flag !== 'timesteps' && args[flag] !== undefined).map((flag) => `--${flag} ${String(args[flag])}`);
  const booleans = rawArgv.filter((arg) => {
    const name = arg.slice(2).split('=')[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^no-/, '');
    return arg.startsWith('--') && BOOLEAN_ARCHITECTURE_FLAGS.includes(name);
  });
  return [...valued, ...booleans];
}

/** Reads a .npy named by a flag; a missing file is a usage error naming the flag. */
function readNpyFlag(flag: string, file: string): NdArray {
  try {
    return readNpyFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`--${flag}: expected a readable .npy file at ${file}, got ${code}`);
  }
}

/**
 * Translates the flags into KerasCheckOptions.
 * @throws ConfigError naming the flag (architecture flags with a .keras file, --weights, bad numbers);
 *   FileFormatError for an unreadable --keras, --input or --expect file.
 */
export function kerasOptionsFromArgs(args: CheckArgs, rawArgv: readonly string[], backend: BackendChoice): KerasCheckOptions {
  const file = args.keras as string;
  for (const flag of ['weights', 'save-weights'] as const) {
    if (args[flag] !== undefined) {
      throw new ConfigError(`--${flag}: expected no tfjs artifacts with --keras (the model comes from ${file}), got --${flag} ${args[flag]}`);
    }
  }
  const seed = parseInteger('seed', String(args.seed), 0, MAX_SEED);
  const kind = kerasFileKind(file);
  const typed = typedArchitectureFlags(args, rawArgv);
  if (kind === 'keras' && typed.length > 0) {
    throw new ConfigError(`${typed[0].split(/[ =]/)[0]}: expected no architecture flags with --keras (the architecture comes from ${file}'s config.json), got ${typed[0]}`);
  }
  const tolerance = {
    ...(args.atol !== undefined ? { atol: parseTolerance('atol', String(args.atol)) } : {}),
    ...(args.rtol !== undefined ? { rtol: parseTolerance('rtol', String(args.rtol)) } : {}),
  };
  return {
    file,
    ...(kind === 'weights.h5' ? { spec: specFromArgs(args) } : {}),
    backend,
    seed,
    ...(args.batch !== undefined ? { batch: parseInteger('batch', String(args.batch), 1, SIZE_LIMITS.batch) } : {}),
    ...(args.timesteps !== undefined ? { timeSteps: parseInteger('timesteps', String(args.timesteps), 1, SIZE_LIMITS.timeSteps) } : {}),
    precision: args.precision,
    ...(args.input !== undefined ? { input: readNpyFlag('input', args.input) } : {}),
    ...(args.expect !== undefined ? { expected: readNpyFlag('expect', args.expect) } : {}),
    tolerance,
  };
}

/** The comparison a one-number summary shows (and --backend all's table): layer vs Keras when Keras's output was given. */
function headline(result: KerasCheckResult) {
  return result.comparisons[result.comparisons.length - 1];
}

/** The human report: what was imported, the layers as Keras saved them, the outputs, one line per comparison. */
export function formatKerasReport(result: KerasCheckResult, args: CheckArgs): string {
  const { spec, model } = result;
  const [n, t, d] = result.input.shape;
  const version = model.kerasVersion ? ` (Keras ${model.kerasVersion})` : '';
  const out: string[] = [];
  out.push(`rnn-parity: ${describeModel(spec)} from ${result.file}${version} on input [N=${n}, T=${t}, D=${d}]`);
  out.push(`backend: ${describeBackend(result.backend)}`);
  out.push('');
  out.push(...formatModelSummary(result.layers, result.totalParameters));
  out.push('');
  const source = result.inputSource === 'file' ? `${args.input}` : `np.random.seed(${result.seed}); X = np.random.randn(${n}, ${t}, ${d})`;
  out.push(`Input: ${source}, as float32 ${formatShape(result.input.shape)}`);
  out.push(formatArray({ shape: [n * t, d], data: result.input.data.subarray(0, Math.min(2, n * t) * d) }, '  '));
  out.push('');
  out.push(`Layer path (tfjs model.predict on ${result.backend.name}, Keras weights), ${formatShape(result.layerOutput.shape)}:`);
  out.push(formatArray(result.layerOutput, '  '));
  out.push(`Hand path (plain TypeScript, ${result.precision}, Keras weights), ${formatShape(result.manualOutput.shape)}:`);
  out.push(formatArray(result.manualOutput, '  '));
  if (result.expected) {
    out.push(`Keras (${args.expect}), ${formatShape(result.expected.shape)}:`);
    out.push(formatArray(result.expected, '  '));
  }
  out.push('');
  const width = Math.max(...result.comparisons.map((c) => c.name.length));
  for (const { name, report } of result.comparisons) out.push(`${name.padEnd(width)}  ${summarizeReport(report)}`);
  const failed = result.comparisons.filter((c) => !c.report.pass).length;
  const total = result.comparisons.length;
  out.push(failed === 0 ? `PASS  all ${total} comparisons within tolerance` : `FAIL  ${failed} of ${total} comparisons over tolerance`);
  return `${out.join('\n')}\n`;
}

/** The --json report (schema version 1): the check's fields, plus `keras` and every comparison. */
export function kerasReportObject(result: KerasCheckResult, exitCode: ExitCode, args: CheckArgs): Record<string, unknown> {
  const small = result.layerOutput.data.length <= MAX_JSON_OUTPUT_ELEMENTS;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    pass: result.pass,
    exitCode,
    backend: result.backend,
    spec: result.spec,
    seed: result.seed,
    precision: result.precision,
    inputShape: result.input.shape,
    keras: {
      file: result.file,
      format: result.model.format,
      kerasVersion: result.model.kerasVersion ?? null,
      layerNames: result.model.layerNames,
      input: result.inputSource === 'file' ? args.input : 'seed',
      expected: args.expect ?? null,
    },
    parameters: { total: result.totalParameters, layers: result.layers },
    // The headline comparison (layer vs Keras with --expect, else layer vs hand), as --backend all's table reads it.
    report: headline(result).report,
    comparisons: result.comparisons,
    timingsMs: result.timingsMs,
    outputs: small
      ? { included: true, layer: result.layerOutput, hand: result.manualOutput, ...(result.expected ? { keras: result.expected } : {}) }
      : { included: false, reason: `more than ${MAX_JSON_OUTPUT_ELEMENTS} elements`, shape: result.layerOutput.shape },
  };
}

/**
 * Runs the Keras check the flags describe and writes its report. Errors are thrown to checkCommand,
 * which turns each into one line and an exit code.
 * @throws ConfigError, FileFormatError, ShapeError, BackendUnavailableError.
 */
export async function kerasCommand(args: CheckArgs, rawArgv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (args.backend === 'all') {
    if (args['save-output'] !== undefined) {
      throw new ConfigError(`--save-output: expected a single backend, got --backend all (each backend would write ${args['save-output']})`);
    }
    return runCheckOnAllBackends(rawArgv, args.json, io);
  }
  const result = await runKerasCheck(kerasOptionsFromArgs(args, rawArgv, args.backend));
  const exitCode = result.pass ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
  const saveTo = args['save-output'];
  // A failed check leaves an earlier output at saveTo as it was.
  if (saveTo !== undefined && result.pass) {
    try {
      writeNpyFile(saveTo, result.layerOutput, 'float32');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(`--save-output: expected a writable path at ${saveTo}, got ${code}`);
    }
  }
  io.stdout(args.json ? `${toJson(kerasReportObject(result, exitCode, args))}\n` : formatKerasReport(result, args));
  if (saveTo !== undefined) {
    io.stderr(
      result.pass
        ? `rnn-parity: saved the layer path's output ${formatShape(result.layerOutput.shape)} (float32) to ${saveTo}\n`
        : `rnn-parity: the check failed, so nothing was saved to ${saveTo}\n`,
    );
  }
  return exitCode;
}
