/**
 * The default command: one parity check of a model from any source (the flags preset, --model, --keras,
 * --weights), or one per backend with --backend all; printed for people or as JSON.
 */
import { ConfigError } from '../../errors';
import { checkModel } from '../../graph/check';
import { saveModelArtifacts } from '../../io/weights';
import { writeNpyFile } from '../../io/npy';
import { formatShape, type NdArray } from '../../tensor';
import { EXIT_CODES, exitCodeFor, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { errorReportObject, toJson } from '../json-report';
import { formatModelReport, modelReportObject } from '../model-report';
import { listFlag, modelFromArgs, readNpyFlag, seedOf } from '../model-source';
import { parseInteger, parseTolerance, type CheckArgs } from '../options';
import { runCheckOnAllBackends } from './check-all';

/** Largest --batch and --timesteps for a seeded input. */
const MAX_BATCH = 65536;
const MAX_TIMESTEPS = 100000;

/** Where --save-output writes output `name`: OUT itself for one output, OUT-<name>.npy for several. */
function outputPath(base: string, output: string, several: boolean): string {
  if (!several) return base;
  // A layer's extra output `encoder:2` is written as OUT-encoder_2.npy.
  const name = output.replace(/:/g, '_');
  return base.endsWith('.npy') ? `${base.slice(0, -4)}-${name}.npy` : `${base}-${name}.npy`;
}

function saveOutputs(base: string, outputs: readonly { name: string; layer: NdArray }[]): string[] {
  const several = outputs.length > 1;
  return outputs.map(({ name, layer }) => {
    const path = outputPath(base, name, several);
    try {
      writeNpyFile(path, layer, 'float32');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ConfigError(`--save-output: expected a writable path at ${path}, got ${code}`);
    }
    return `${path} ${formatShape(layer.shape)}`;
  });
}

/** Runs the check the flags describe and writes its report. Never throws: every error becomes a line on stderr and an exit code. */
export async function checkCommand(args: CheckArgs, rawArgv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    if (args.backend === 'all') {
      if (args['save-output'] !== undefined || args['save-weights'] !== undefined) {
        const flag = args['save-output'] !== undefined ? 'save-output' : 'save-weights';
        throw new ConfigError(`--${flag}: expected a single backend, got --backend all (each backend would write ${args[flag]})`);
      }
      return runCheckOnAllBackends(rawArgv, args.json, io);
    }
    const seed = seedOf(args);
    const tolerance = {
      ...(args.atol !== undefined ? { atol: parseTolerance('atol', String(args.atol)) } : {}),
      ...(args.rtol !== undefined ? { rtol: parseTolerance('rtol', String(args.rtol)) } : {}),
    };
    const files = listFlag(args.input);
    const expectFiles = listFlag(args.expect);
    const source = await modelFromArgs(args, rawArgv, args.backend);
    const inputs = files.map((f) => readNpyFlag('input', f));
    const expected = expectFiles.map((f) => readNpyFlag('expect', f));
    // The preset's batch (default 1) sizes a seeded input only; a given input brings its own.
    const batch = args.batch !== undefined ? parseInteger('batch', String(args.batch), 1, MAX_BATCH) : inputs.length === 0 ? source.spec?.batch : undefined;
    const timeSteps =
      args.timesteps !== undefined && source.format !== 'flags' ? parseInteger('timesteps', String(args.timesteps), 1, MAX_TIMESTEPS) : undefined;
    const saveWeights = args['save-weights'];
    const result = await checkModel({
      model: source.model,
      backend: args.backend,
      precision: args.precision,
      seed,
      ...(inputs.length > 0 ? { inputs } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(timeSteps !== undefined ? { timeSteps } : {}),
      ...(expected.length > 0 ? { expected } : {}),
      tolerance,
      // A failed check saves nothing: earlier files stay as they were.
      ...(saveWeights ? { onPass: (tfModel) => saveModelArtifacts(tfModel, saveWeights, { generatedBy: 'rnn-parity', seed }) } : {}),
    });
    const exitCode = result.pass ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
    const saveTo = args['save-output'];
    const saved = saveTo !== undefined && result.pass ? saveOutputs(saveTo, result.outputs) : [];
    const described = { files, expectFiles };
    io.stdout(args.json ? `${toJson(modelReportObject(source, result, exitCode, described))}\n` : formatModelReport(source, result, described));
    if (saveTo !== undefined) {
      io.stderr(
        result.pass
          ? `rnn-parity: saved the layer path's output (float32) to ${saved.join(', ')}\n`
          : `rnn-parity: the check failed, so nothing was saved to ${saveTo}\n`,
      );
    }
    if (saveWeights) {
      io.stderr(
        result.pass
          ? `rnn-parity: saved the model to ${saveWeights}/model.json and weights.bin\n`
          : `rnn-parity: the check failed, so nothing was saved to ${saveWeights}\n`,
      );
    }
    return exitCode;
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const exitCode = exitCodeFor(error);
    const prefix = exitCode === EXIT_CODES.internal ? 'internal error (please report it, with --verbose output): ' : '';
    // One line, except for a model with several blockers: each is a line of its own.
    const lines = error.name === 'UnsupportedModelError' ? error.message : error.message.split('\n')[0];
    io.stderr(`rnn-parity: ${prefix}${lines}\n`);
    if (args.verbose && error.stack) io.stderr(`${error.stack}\n`);
    if (args.json) io.stdout(`${toJson(errorReportObject(error, exitCode, args.backend))}\n`);
    return exitCode;
  }
}
