/**
 * The check's flags: yargs definitions, and the parsers that read their values.
 * Numbers are read as strings and parsed here, so that an error quotes exactly what the user typed.
 */
import type { Argv } from 'yargs';
import { BACKEND_CHOICES, type BackendChoice } from '../../src/backends/types';
import { ConfigError } from '../../src/errors';
import { KERNELS, PRECISIONS, setDefaultKernel, type KernelName, type Precision } from '../../src/hand/precision';
import { OPTIMIZER_FORMS, OPTIMIZER_NAMES, type OptimizerSpec } from '../../src/optimizers/types';
import { ACTIVATIONS, CELLS, RECURRENT_ACTIVATIONS, SIZE_LIMITS, validateSpec, type ModelSpec, type SizeField } from '../../src/spec';

/** --backend also takes 'all': every backend, each in its own process, one table. */
const BACKEND_FLAG_CHOICES = [...BACKEND_CHOICES, 'all'] as const;

/** Spec fields and the flags that set them, so errors name the flag the user typed. */
const SIZE_FLAGS = {
  batch: 'batch',
  timeSteps: 'timesteps',
  inputDim: 'features',
  units: 'units',
  layers: 'layers',
  denseUnits: 'outputs',
} as const;

export interface CheckArgs {
  seed: string;
  batch?: string;
  timesteps?: string;
  features?: string;
  units?: string;
  layers?: string;
  outputs?: string;
  cell?: ModelSpec['cell'];
  activation?: ModelSpec['activation'];
  'recurrent-activation'?: ModelSpec['recurrentActivation'];
  'return-sequences': boolean;
  'go-backwards': boolean;
  'reset-after'?: boolean;
  'unit-forget-bias': boolean;
  precision: Precision;
  atol?: string;
  rtol?: string;
  backend: (typeof BACKEND_FLAG_CHOICES)[number];
  /** A model file or folder in any supported format (src/formats/read-model.ts). */
  model?: string;
  weights?: string;
  'save-weights'?: string;
  /** A Keras 3 .keras file (or a bare .weights.h5 with architecture flags) to check: apps/cli/commands/keras.ts. */
  keras?: string;
  /** Repeatable: one .npy per model input. */
  input?: string | string[];
  /** Repeatable: one .npy per model output. */
  expect?: string | string[];
  'save-output'?: string;
  'chunk-size'?: string;
  report?: string;
  'layer-impl': string;
  kernel?: string;
  /** Adds the gradient check (src/graph/gradient-check.ts). */
  gradients: boolean;
  loss: string;
  /** Repeatable: one .npy of targets per model output (mse, cross-entropies). */
  target?: string | string[];
  /** A folder of Keras's gradients (scripts/keras-models/make_gradients.py). */
  'expect-gradients'?: string;
  /** K optimizer steps on both paths, compared after each (src/training/train-step-parity.ts). */
  'train-steps'?: string;
  optimizer?: string;
  'optimizer-form'?: string;
  'learning-rate'?: string;
  /** The drift curve and both losses as an SVG file. */
  'train-plot'?: string;
  json: boolean;
  verbose: boolean;
}

/** Adds the check's flags to a yargs instance. */
export function withCheckOptions<T>(y: Argv<T>): Argv<T & CheckArgs> {
  return y
    .option('seed', { type: 'string', default: '42', describe: 'seeds the input (np.random.seed(S); randn(N,T,D)) and the weights' })
    .option('batch', { type: 'string', describe: 'N, samples per batch [default: 1]' })
    .option('timesteps', { type: 'string', describe: 'T, sequence length [default: 10]' })
    .option('features', { type: 'string', describe: 'D, input features per step [default: 3]' })
    .option('units', { type: 'string', describe: 'M, units of each recurrent layer [default: 5]' })
    .option('outputs', { type: 'string', describe: 'K, units of the dense head [default: 2]' })
    .option('layers', { type: 'string', describe: 'stacked recurrent layers [default: 1]' })
    .option('cell', { choices: CELLS, describe: 'recurrent cell [default: simple]' })
    .option('activation', { choices: ACTIVATIONS, describe: 'cell activation [default: tanh]' })
    .option('recurrent-activation', { choices: RECURRENT_ACTIVATIONS, describe: 'LSTM/GRU gate activation [default: sigmoid, as Keras]' })
    .option('return-sequences', { type: 'boolean', default: false, describe: 'output every time step' })
    .option('go-backwards', { type: 'boolean', default: false, describe: 'read the sequence in reverse' })
    .option('reset-after', { type: 'boolean', describe: 'GRU: reset gate after the recurrent matmul [default: true, as Keras]' })
    .option('unit-forget-bias', { type: 'boolean', default: true, describe: 'LSTM: forget-gate bias starts at 1, as Keras' })
    .option('precision', {
      choices: PRECISIONS,
      default: 'float64' as Precision,
      describe: 'hand path arithmetic: float64 reference, or every op rounded to float32',
    })
    .option('atol', { type: 'string', describe: 'absolute tolerance [default: from the model size, see README]' })
    .option('rtol', { type: 'string', describe: 'relative tolerance [default: 1e-6]' })
    .option('backend', {
      choices: BACKEND_FLAG_CHOICES,
      default: 'auto' as BackendChoice,
      describe: 'auto: tensorflow if tfjs-node loads, else cpu; all: every backend',
    })
    .option('model', {
      type: 'string',
      describe: 'check the model in PATH: .keras, legacy .h5, tfjs model.json or its folder (the format is read from the content)',
    })
    .option('weights', { type: 'string', describe: 'the same as --model (tfjs artifacts in DIR, or any other model file)' })
    .option('save-weights', { type: 'string', describe: 'save the model as tfjs artifacts in DIR' })
    .option('keras', { type: 'string', describe: 'the same as --model (a .keras, legacy .h5, or a bare .weights.h5 with architecture flags)' })
    .option('input', { type: 'string', describe: 'the input X.npy, batch first; repeat for a model with several inputs [default: seeded randn]' })
    .option('expect', { type: 'string', describe: "Keras's output Y.npy for that input (repeat per output); adds hand vs Keras and layer vs Keras" })
    .option('save-output', { type: 'string', describe: "write the layer path's output to OUT.npy (float32; OUT-<name>.npy per output for several)" })
    .option('kernel', {
      type: 'string',
      describe:
        "the hand path's matmul kernel: ts (TypeScript, the readable reference) or wasm (WebAssembly SIMD, bit-identical) [default: wasm where it loads]",
    })
    .option('layer-impl', {
      type: 'string',
      default: 'tfjs',
      describe: "the layer path's recurrent layers: tfjs (tfjs's own) or fused (rnn-parity's fused layers, docs/fused-layers.md)",
    })
    .option('report', {
      type: 'string',
      describe: 'also write FILE.html: one self-contained page with the comparisons and where the paths part (per layer, per step)',
    })
    .option('chunk-size', {
      type: 'string',
      describe: 'samples per chunk (a multiple of 32): inputs are read and checked a chunk at a time [default: as many as fit 2^24 values]',
    })
    .option('gradients', {
      type: 'boolean',
      default: false,
      describe: "also check gradients: tfjs's autodiff vs the hand backward pass vs finite differences (and Keras's with --expect-gradients)",
    })
    .option('loss', {
      type: 'string',
      default: 'sum-squares',
      describe: 'the loss --gradients differentiates: sum-squares, mse, softmax-crossentropy, binary-crossentropy',
    })
    .option('target', { type: 'string', describe: 'targets T.npy for the loss, one per output (repeat) [default: seeded]' })
    .option('expect-gradients', {
      type: 'string',
      describe: "a folder of Keras's gradients (manifest.json + .npy) for this input; adds hand vs Keras and layer vs Keras",
    })
    .option('train-steps', {
      type: 'string',
      describe: 'also train K optimizer steps on both paths and compare the weights after each (docs/training-parity.md)',
    })
    .option('optimizer', { type: 'string', describe: 'the optimizer --train-steps uses: adam, sgd, rmsprop [default: adam]' })
    .option('optimizer-form', { type: 'string', describe: "whose update rule: keras (Keras 3's) or tfjs (tf.train.*'s) [default: keras]" })
    .option('learning-rate', { type: 'string', describe: "the optimizer's learning rate [default: the form's, Keras: adam 0.001, sgd 0.01, rmsprop 0.001]" })
    .option('train-plot', { type: 'string', describe: "write the drift curve and both paths' losses of --train-steps to FILE.svg" })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON report (schema in README)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces of errors' }) as unknown as Argv<T & CheckArgs>;
}

/** Parses an integer flag, quoting the user's text when it is not one. */
export function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`--${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parseTolerance(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(`--${flag}: expected a finite number >= 0, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The training flags that need --train-steps. */
const TRAINING_FLAGS = ['optimizer', 'optimizer-form', 'learning-rate', 'train-plot'] as const;

/**
 * --train-steps and its optimizer, or undefined without --train-steps.
 * @throws ConfigError naming the flag and the value received (a training flag without --train-steps too)
 */
export function trainingFromArgs(args: CheckArgs, maxSteps: number): { steps: number; optimizer: OptimizerSpec } | undefined {
  if (args['train-steps'] === undefined) {
    const alone = TRAINING_FLAGS.find((flag) => args[flag] !== undefined);
    if (alone) throw new ConfigError(`--${alone}: expected --train-steps too, got --${alone} ${String(args[alone])} alone`);
    return undefined;
  }
  const steps = parseInteger('train-steps', String(args['train-steps']), 1, maxSteps);
  const oneOf = <T extends string>(flag: string, text: string, choices: readonly T[]): T => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw new ConfigError(`--${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
  };
  const name = oneOf('optimizer', String(args.optimizer ?? 'adam'), OPTIMIZER_NAMES);
  const form = oneOf('optimizer-form', String(args['optimizer-form'] ?? 'keras'), OPTIMIZER_FORMS);
  const text = args['learning-rate'];
  const learningRate = text === undefined || String(text).trim() === '' ? (text === undefined ? undefined : Number.NaN) : Number(text);
  if (learningRate !== undefined && !(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new ConfigError(`--learning-rate: expected a finite number > 0, got ${JSON.stringify(text)}`);
  }
  if (learningRate === undefined && form === 'tfjs' && name !== 'adam') {
    throw new ConfigError(`--learning-rate: expected a value with --optimizer ${name} --optimizer-form tfjs (tf.train.${name} has no default), got none`);
  }
  return { steps, optimizer: { name, form, ...(learningRate !== undefined ? { learningRate } : {}) } as OptimizerSpec };
}

/** Builds the spec from the flags given; flags left out take the notebook's defaults. */
export function specFromArgs(args: CheckArgs): ModelSpec {
  const partial: Record<string, unknown> = {};
  for (const [field, flag] of Object.entries(SIZE_FLAGS)) {
    const text = args[flag];
    if (text !== undefined) partial[field] = parseInteger(flag, String(text), 1, SIZE_LIMITS[field as SizeField]);
  }
  if (args.cell !== undefined) partial.cell = args.cell;
  if (args.activation !== undefined) partial.activation = args.activation;
  if (args['recurrent-activation'] !== undefined) partial.recurrentActivation = args['recurrent-activation'];
  if (args['reset-after'] !== undefined) partial.resetAfter = args['reset-after'];
  partial.returnSequences = args['return-sequences'];
  partial.goBackwards = args['go-backwards'];
  partial.unitForgetBias = args['unit-forget-bias'];
  return validateSpec(partial as Partial<ModelSpec>, SIZE_FLAGS);
}

/** Flags that describe the architecture; with --weights the architecture comes from model.json instead. */
export const ARCHITECTURE_FLAGS = ['timesteps', 'features', 'units', 'outputs', 'layers', 'cell', 'activation', 'recurrent-activation', 'reset-after'] as const;

/** --layer-impl: tfjs's own recurrent layers or the fused ones. @throws ConfigError naming the value. */
export function layerImplOf(args: CheckArgs): 'tfjs' | 'fused' {
  const value = args['layer-impl'];
  if (value === 'tfjs' || value === 'fused') return value;
  throw new ConfigError(`--layer-impl: expected tfjs or fused, got ${JSON.stringify(value)}`);
}

/**
 * --kernel: the hand path's matmul kernel for this process (both give the same bits; README "Performance").
 * @throws ConfigError naming an unknown value; BackendUnavailableError for wasm where it cannot load
 */
export function applyKernelFlag(args: CheckArgs): void {
  if (args.kernel === undefined) return;
  if (!(KERNELS as readonly string[]).includes(args.kernel)) {
    throw new ConfigError(`--kernel: expected one of ${KERNELS.join(', ')}, got ${JSON.stringify(args.kernel)}`);
  }
  setDefaultKernel(args.kernel as KernelName);
}
