/**
 * `rnn-parity train-mnist`: seed 002 end to end. Trains LSTM(128) + Dense(10) on MNIST rows with tfjs, scores
 * it on the test set, checks the trained model's hand path against its layer path on every test image, and
 * saves it. Progress on stderr; the summary on stdout. Exit code 0 when parity holds, 1 when it does not.
 */
import type { Argv } from 'yargs';
import { BACKEND_CHOICES, type BackendChoice } from '../../../src/backends/types';
import { summarizeReport } from '../../../src/compare/summary';
import { MAX_SEED } from '../../../src/data/numpy-random';
import { ConfigError } from '../../../src/errors';
import { defaultThreads } from '../../../src/hand/parallel';
import type { TrainingBudget } from '../../mnist/batches';
import { PIXEL_SCALINGS, type PixelScalingName } from '../../mnist/dataset';
import type { Accuracy } from '../../mnist/evaluate';
import { INIT_SCHEMES, type InitScheme } from '../../mnist/init';
import { optimizerLabel } from '../../mnist/optimizer';
import { formatDuration, PROGRESS_WINDOW, ProgressBar, trailingMeans } from '../../mnist/progress';
import { LAYER_IMPLS, OUTPUT_FILES, SEED_002, TRAIN_DEFAULTS, trainMnist, type LayerImpl, type TrainMnistResult } from '../../mnist/run';
import { KERAS_DEFAULTS } from '../../../src/optimizers/defaults';
import { OPTIMIZER_FORMS, OPTIMIZER_NAMES, type OptimizerForm, type OptimizerName } from '../../../src/optimizers/types';
import { EXIT_CODES, exitCodeFor, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';

export interface TrainMnistArgs {
  seed: string;
  backend: BackendChoice;
  optimizer: OptimizerName;
  'optimizer-form': OptimizerForm;
  'learning-rate'?: string;
  'batch-size': string;
  samples: string;
  epochs?: string;
  init: InitScheme;
  scaling: PixelScalingName;
  'test-images'?: string;
  'layer-impl': LayerImpl;
  out: string;
  verbose: boolean;
}

/** Adds train-mnist's flags. Numbers are strings, parsed below, so errors quote what was typed. */
export function withTrainMnistOptions<T>(y: Argv<T>): Argv<T & TrainMnistArgs> {
  return y
    .option('seed', { type: 'string', default: '42', describe: 'seeds the initial weights and the shuffles' })
    .option('backend', { choices: BACKEND_CHOICES, default: 'auto' as BackendChoice, describe: 'auto: tensorflow if tfjs-node loads, else cpu' })
    .option('optimizer', { choices: OPTIMIZER_NAMES, default: TRAIN_DEFAULTS.optimizer, describe: "the optimizer (seed 002's: adam)" })
    .option('optimizer-form', {
      choices: OPTIMIZER_FORMS,
      default: TRAIN_DEFAULTS.optimizerForm,
      describe: "whose update rule: keras (Keras 3's, as seed 002 trains) or tfjs (tf.train.*; Adam's epsilon sits after the bias correction)",
    })
    .option('learning-rate', {
      type: 'string',
      describe: `learning rate [default: Keras's for the optimizer: ${OPTIMIZER_NAMES.map((n) => `${n} ${KERAS_DEFAULTS[n].learningRate}`).join(', ')}; adam's is seed 002's]`,
    })
    .option('batch-size', { type: 'string', default: String(SEED_002.batchSize), describe: 'samples per training step' })
    .option('samples', { type: 'string', default: String(SEED_002.samples), describe: 'training samples; floor(samples / batch-size) full batches' })
    .option('epochs', { type: 'string', describe: 'N passes over the 60,000 training images instead of --samples' })
    .option('init', {
      choices: INIT_SCHEMES,
      default: TRAIN_DEFAULTS.init,
      describe: "initial weights: keras (Keras 3's LSTM/Dense defaults) or seed-002 (the seed's TF1 draws: one glorot kernel, N(0, 1) head)",
    })
    .option('scaling', {
      choices: PIXEL_SCALINGS,
      default: TRAIN_DEFAULTS.scaling,
      describe: 'pixels as inputs: standardize (mean 0, variance 1 over the training set) or unit ([0, 1], as seed 002)',
    })
    .option('test-images', { type: 'string', describe: 'score and check only the first N test images [default: all 10,000]' })
    .option('layer-impl', {
      choices: LAYER_IMPLS,
      default: 'tfjs' as LayerImpl,
      describe: "the LSTM that trains: tfjs's own layer, or the fused one (src/fused/, docs/fused-layers.md; same weights, faster)",
    })
    .option('out', { type: 'string', default: 'models/mnist-lstm', describe: 'directory for model.json, weights.bin, training.json and the SVGs' })
    .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces of errors' }) as unknown as Argv<T & TrainMnistArgs>;
}

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`--${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function parsePositive(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`--${flag}: expected a finite number > 0, got ${JSON.stringify(text)}`);
  return value;
}

function budgetFromArgs(args: TrainMnistArgs): TrainingBudget {
  if (args.epochs !== undefined) return { kind: 'epochs', epochs: parseInteger('epochs', String(args.epochs), 1, 1000) };
  return { kind: 'samples', samples: parseInteger('samples', String(args.samples), 1, 1e9) };
}

function percent(a: Accuracy): string {
  return `${(100 * a.accuracy).toFixed(2)}% (${a.correct.toLocaleString('en-US')} of ${a.images.toLocaleString('en-US')} images)`;
}

function scalingText(result: TrainMnistResult): string {
  const { name, mean, std } = result.scaling;
  return name === 'unit' ? 'byte / 255 (unit)' : `(byte / 255 - ${mean.toFixed(4)}) / ${std.toFixed(4)} (standardize)`;
}

/** The run's summary, for people. */
function formatTrainSummary(result: TrainMnistResult): string {
  const { history, parity, wallMs } = result;
  const steps = history.length;
  const passes = result.samplesSeen / result.trainCount;
  const { loss, accuracy } = trailingMeans(history);
  const versions = Object.entries(result.backend.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const budget = result.budget.kind === 'epochs' ? `--epochs ${result.budget.epochs}` : `--samples ${result.budget.samples}`;
  const agree = `${parity.sameClass.toLocaleString('en-US')} of ${parity.images.toLocaleString('en-US')}`;
  return [
    `rnn-parity train-mnist: LSTM(${result.spec.units}) + Dense(${result.spec.denseUnits}) on MNIST rows [N, T=28, D=28], seed ${result.seed}`,
    `backend: ${result.backend.name} (${versions}; ${result.backend.notes.join('; ')})`,
    '',
    `trained: ${steps} steps (${budget}, batch ${result.batchSize}) = ${result.samplesSeen.toLocaleString('en-US')} samples, ${passes.toFixed(2)} passes over ${result.trainCount.toLocaleString('en-US')}; ${optimizerLabel(result.optimizer)} lr ${result.learningRate}; init ${result.init}; pixels ${scalingText(result)}`,
    `  wall ${formatDuration(wallMs.train)}${result.layerImpl === 'fused' ? ' with the fused LSTM' : ''} (${(wallMs.train / steps).toFixed(0)} ms/step, ${((1000 * result.samplesSeen) / wallMs.train).toFixed(0)} samples/s); last ${Math.min(PROGRESS_WINDOW, steps)} steps: loss ${loss.toFixed(4)}, batch accuracy ${(100 * accuracy).toFixed(1)}%`,
    `test accuracy: ${percent(result.test)}`,
    `  first ${result.firstTest.images} test images (seed 002's test_len): ${percent(result.firstTest)}`,
    '',
    `parity of the trained model on ${parity.images.toLocaleString('en-US')} test images: layer path (tfjs predict, float32) vs hand path (forwardHand on ${defaultThreads()} threads, ${parity.precision}), logits [${parity.images}, 10]`,
    `  ${summarizeReport(parity.report)}`.replace(/\(sample (\d+), unit (\d+)\)/, '(test image $1, class $2)'),
    `  argmax class agrees on ${agree} images (${((100 * parity.sameClass) / parity.images).toFixed(2)}%)`,
    '',
    `saved ${OUTPUT_FILES.map((f) => `${result.outDir}/${f}`).join(', ')}`,
    `wall: total ${formatDuration(wallMs.total)} (backend ${wallMs.backend} ms, data ${wallMs.data} ms, train ${formatDuration(wallMs.train)}, evaluate ${formatDuration(wallMs.evaluate)}, parity ${formatDuration(wallMs.parity)}, save ${wallMs.save} ms)`,
    '',
  ].join('\n');
}

/**
 * Runs train-mnist. Never throws: errors become one line on stderr (with the stack under --verbose) and an exit code.
 * @param stderrIsTty redraw the progress bar in place (else print a line every 5% of the steps)
 */
export async function trainMnistCommand(
  args: TrainMnistArgs,
  io: CliIo,
  stderrIsTty: boolean = process.stderr.isTTY === true,
  command?: string,
): Promise<ExitCode> {
  try {
    const seed = parseInteger('seed', String(args.seed), 0, MAX_SEED);
    const learningRate = args['learning-rate'] !== undefined ? parsePositive('learning-rate', String(args['learning-rate'])) : undefined;
    const batchSize = parseInteger('batch-size', String(args['batch-size']), 1, 60000);
    const budget = budgetFromArgs(args);
    const testImages = args['test-images'] !== undefined ? parseInteger('test-images', String(args['test-images']), 1, 10000) : undefined;
    let bar: ProgressBar | undefined;
    const result = await trainMnist({
      backend: args.backend,
      seed,
      optimizer: args.optimizer,
      optimizerForm: args['optimizer-form'],
      ...(learningRate !== undefined ? { learningRate } : {}),
      batchSize,
      budget,
      init: args.init,
      scaling: args.scaling,
      layerImpl: args['layer-impl'],
      outDir: args.out,
      ...(testImages !== undefined ? { testImages } : {}),
      ...(command !== undefined ? { command } : {}),
      onStep: (step) => {
        bar ??= new ProgressBar(io.stderr, stderrIsTty, step.steps);
        bar.update(step);
      },
      onStage: (stage, detail) => io.stderr(`rnn-parity train-mnist: ${stage}: ${detail}\n`),
    });
    io.stdout(formatTrainSummary(result));
    return result.parity.report.pass ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const exitCode = exitCodeFor(error);
    const prefix = exitCode === EXIT_CODES.internal ? 'internal error (please report it, with --verbose output): ' : '';
    io.stderr(`rnn-parity train-mnist: ${prefix}${error.message.split('\n')[0]}\n`);
    if (args.verbose && error.stack) io.stderr(`${error.stack}\n`);
    return exitCode;
  }
}
