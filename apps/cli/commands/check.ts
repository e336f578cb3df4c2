/**
 * The default command: one parity check of a model from any source (the flags preset, --model, --keras,
 * --weights), or one per backend with --backend all; printed for people or as JSON.
 */
import { ConfigError } from '../../../src/errors';
import type { BackendChoice } from '../../../src/backends';
import { checkModel, type ModelCheckResult } from '../../../src/graph/check';
import { layerErrors } from '../../../src/graph/layer-errors';
import { writeFileAtomic } from '../../../src/io/atomic-write';
import { htmlReport } from '../html-report';
import { checkGradients, type GradientCheckResult } from '../../../src/graph/gradient-check';
import { lossName } from '../../../src/gradients/losses';
import { readKerasGradients } from '../../../src/io/keras-gradients';
import { formatGradientReport, gradientReportObject } from '../gradient-report';
import { MAX_TRAINING_STEPS, trainStepParity, type TrainStepParityResult } from '../../../src/training';
import { formatTrainingReport, trainingReportObject, writeTrainingPlot } from '../training-report';
import { saveModelArtifacts } from '../../../src/io/model-artifacts';
import { createNpyWriter, type NpyWriter } from '../../../src/io/npy-stream';
import { npySource, PREDICT_BATCH } from '../../../src/graph/samples';
import { checkProgressPrinter } from '../check-progress';
import { formatShape, type NdArray } from '../../../src/tensor';
import { EXIT_CODES, exitCodeFor, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { errorReportObject, toJson } from '../json-report';
import { formatModelReport, modelReportObject } from '../model-report';
import { listFlag, modelFromArgs, openNpyFlag, readNpyFlag, seedOf, type ModelSource } from '../model-source';
import { applyKernelFlag, layerImplOf, parseInteger, parseTolerance, trainingFromArgs, type CheckArgs } from '../options';
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

/**
 * --save-output, a chunk at a time: each output's layer path values go to a temporary file as the chunks come,
 * and only a check that passed puts the files in place (commit); otherwise nothing at OUT changes (abort).
 */
function outputSaver(base: string, outputs: readonly string[], samples: number) {
  const several = outputs.length > 1;
  const writers: { path: string; shape: number[]; writer: NpyWriter }[] = [];
  return {
    append(layerOutputs: readonly NdArray[]): void {
      layerOutputs.forEach((layer, i) => {
        if (writers[i] === undefined) {
          const path = outputPath(base, outputs[i], several);
          const shape = [samples, ...layer.shape.slice(1)];
          try {
            writers[i] = { path, shape, writer: createNpyWriter(path, shape, 'float32') };
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
            throw new ConfigError(`--save-output: expected a writable path at ${path}, got ${code}`);
          }
        }
        writers[i].writer.append(layer.data);
      });
    },
    commit(): string[] {
      writers.forEach((w) => w.writer.commit());
      return writers.map((w) => `${w.path} ${formatShape(w.shape)}`);
    },
    abort(): void {
      writers.forEach((w) => w.writer.abort());
    },
  };
}

/** Samples the report's per-layer errors are measured on (every layer's output is kept for them). */
const REPORT_SAMPLES = 64;

/** --report: the page, with every layer's error on the first samples; written atomically. */
async function writeHtmlReport(file: string, source: ModelSource, result: ModelCheckResult, backend: BackendChoice): Promise<void> {
  const inputs = result.inputs.map((x) => {
    const n = Math.min(REPORT_SAMPLES, x.shape[0]);
    const per = x.data.length / Math.max(1, x.shape[0]);
    return { shape: [n, ...x.shape.slice(1)], data: x.data.subarray(0, n * per) };
  });
  const errors = await layerErrors(source.model, inputs, backend, result.layerImpl);
  try {
    writeFileAtomic(file, htmlReport(source, result, errors, source.path ?? 'the flags preset'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`--report: expected a writable path at ${file}, got ${code}`);
  }
}

/** Runs the check the flags describe and writes its report. Never throws: every error becomes a line on stderr and an exit code. */
export async function checkCommand(args: CheckArgs, rawArgv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    if (args.backend === 'all') {
      const flag = (['save-output', 'save-weights', 'train-plot', 'report'] as const).find((f) => args[f] !== undefined);
      if (flag) {
        throw new ConfigError(`--${flag}: expected a single backend, got --backend all (each backend would write ${args[flag]})`);
      }
      return runCheckOnAllBackends(rawArgv, args.json, io);
    }
    const seed = seedOf(args);
    const layerImpl = layerImplOf(args);
    applyKernelFlag(args);
    // Before the model is read (which may load a backend): a bad training flag is a quick one-line error.
    const training = trainingFromArgs(args, MAX_TRAINING_STEPS);
    const tolerance = {
      ...(args.atol !== undefined ? { atol: parseTolerance('atol', String(args.atol)) } : {}),
      ...(args.rtol !== undefined ? { rtol: parseTolerance('rtol', String(args.rtol)) } : {}),
    };
    const files = listFlag(args.input);
    const expectFiles = listFlag(args.expect);
    const source = await modelFromArgs(args, rawArgv, args.backend);
    // Opened, not read: both paths take the samples a chunk at a time.
    const inputs = files.map((f) => npySource(openNpyFlag('input', f)));
    const expected = expectFiles.map((f) => npySource(openNpyFlag('expect', f)));
    // The preset's batch (default 1) sizes a seeded input only; a given input brings its own.
    const batch = args.batch !== undefined ? parseInteger('batch', String(args.batch), 1, MAX_BATCH) : inputs.length === 0 ? source.spec?.batch : undefined;
    const samples = inputs[0]?.shape[0] ?? batch ?? 1;
    // The gradient check and training take every sample at once: one chunk, unless --chunk-size says otherwise.
    const chunkSamples =
      args['chunk-size'] !== undefined
        ? parseInteger('chunk-size', String(args['chunk-size']), 1, Number.MAX_SAFE_INTEGER)
        : args.gradients || training
          ? Math.max(1, Math.ceil(samples / PREDICT_BATCH)) * PREDICT_BATCH
          : undefined;
    const timeSteps =
      args.timesteps !== undefined && source.format !== 'flags' ? parseInteger('timesteps', String(args.timesteps), 1, MAX_TIMESTEPS) : undefined;
    const saveWeights = args['save-weights'];
    const gradientFlags = (['target', 'expect-gradients'] as const).find((flag) => args[flag] !== undefined);
    if (gradientFlags && !args.gradients && !(gradientFlags === 'target' && training))
      throw new ConfigError(`--${gradientFlags}: expected --gradients too, got --${gradientFlags} alone`);
    const loss = lossName(args.loss);
    const targetFiles = listFlag(args.target);
    const targets = targetFiles.map((f) => readNpyFlag('target', f));
    const keras = args['expect-gradients'] !== undefined ? readKerasGradients(args['expect-gradients'], source.model) : undefined;
    if (keras && keras.loss !== loss) {
      throw new ConfigError(`--loss: expected ${keras.loss} (the loss of ${args['expect-gradients']}), got ${loss}`);
    }
    if (keras && keras.seed !== seed && targets.length === 0 && loss !== 'sum-squares') {
      throw new ConfigError(`--seed: expected ${keras.seed} (the targets' seed of ${args['expect-gradients']}), got ${seed}`);
    }
    const saveTo = args['save-output'];
    const saver = saveTo !== undefined ? outputSaver(saveTo, source.model.outputs, samples) : undefined;
    let result;
    try {
      result = await checkModel({
        model: source.model,
        backend: args.backend,
        precision: args.precision,
        seed,
        layerImpl,
        ...(inputs.length > 0 ? { inputSources: inputs } : {}),
        ...(batch !== undefined ? { batch } : {}),
        ...(timeSteps !== undefined ? { timeSteps } : {}),
        ...(expected.length > 0 ? { expectedSources: expected } : {}),
        ...(chunkSamples !== undefined ? { chunkSamples } : {}),
        tolerance,
        onProgress: checkProgressPrinter(io.stderr, io.stderrIsTerminal === true),
        ...(saver ? { onChunk: (chunk) => saver.append(chunk.layerOutputs) } : {}),
        // A failed check saves nothing: earlier files stay as they were.
        ...(saveWeights ? { onPass: (tfModel) => saveModelArtifacts(tfModel, saveWeights, { generatedBy: 'rnn-parity', seed }) } : {}),
      });
    } catch (error) {
      saver?.abort();
      throw error;
    }
    let gradients: GradientCheckResult | undefined;
    if (args.gradients) {
      gradients = await checkGradients({
        model: source.model,
        backend: args.backend,
        loss,
        seed,
        layerImpl,
        inputs: result.inputs,
        ...(targets.length > 0 ? { targets } : {}),
        ...(keras ? { keras: keras.gradients } : {}),
      });
    }
    let trained: TrainStepParityResult | undefined;
    if (training) {
      trained = await trainStepParity({
        model: source.model,
        backend: args.backend,
        ...training,
        loss,
        seed,
        layerImpl,
        inputs: result.inputs,
        ...(targets.length > 0 ? { targets } : {}),
      });
      const plot = args['train-plot'];
      if (plot !== undefined) writeTrainingPlot(plot, trained, `Training-step parity: ${source.path ?? 'the flags preset'}`);
    }
    if (args.report !== undefined) {
      await writeHtmlReport(args.report, source, result, args.backend);
      io.stderr(`rnn-parity: wrote the report to ${args.report}\n`);
    }
    const pass = result.pass && (gradients?.pass ?? true) && (trained?.pass ?? true);
    const exitCode = pass ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
    const saved = saver && result.pass ? saver.commit() : [];
    if (!result.pass) saver?.abort();
    const described = { files, expectFiles };
    if (args.json) {
      const report = {
        ...modelReportObject(source, result, exitCode, described),
        pass,
        ...(gradients ? { gradients: gradientReportObject(gradients, targetFiles) } : {}),
        ...(trained ? { training: trainingReportObject(trained, targetFiles) } : {}),
      };
      io.stdout(`${toJson(report)}\n`);
    } else {
      io.stdout(
        formatModelReport(source, result, described) +
          (gradients ? `\n${formatGradientReport(gradients, targetFiles)}` : '') +
          (trained ? `\n${formatTrainingReport(trained, targetFiles)}` : ''),
      );
    }
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
