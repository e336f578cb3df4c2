/**
 * ModelSpec: the one description of a model that both paths build from.
 * Defaults are seed 003/004's notebook: SimpleRNN(5) + Dense(2) on [N=1, T=10, D=3], tanh.
 */
import { ConfigError } from './errors';
import { gateCount } from './weights';

export const CELLS = ['simple', 'lstm', 'gru'] as const;
export type CellKind = (typeof CELLS)[number];

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Gate activations. 'hard_sigmoid' is Keras 3's relu6(x + 3) / 6; 'hard_sigmoid_tfjs' is tfjs's
 * clip(0.2x + 0.5, 0, 1). They differ by up to 0.083 (at |x| = 2.5), so they are named apart.
 */
export const RECURRENT_ACTIVATIONS = ['sigmoid', 'hard_sigmoid', 'hard_sigmoid_tfjs'] as const;
export type RecurrentActivation = (typeof RECURRENT_ACTIVATIONS)[number];

export interface ModelSpec {
  readonly cell: CellKind;
  /** N: samples per batch. */
  readonly batch: number;
  /** T: sequence length. */
  readonly timeSteps: number;
  /** D: input features per step. */
  readonly inputDim: number;
  /** M: hidden units of every recurrent layer. */
  readonly units: number;
  /** Stacked recurrent layers; every layer but the last returns sequences. */
  readonly layers: number;
  /** K: units of the dense head. */
  readonly denseUnits: number;
  readonly activation: Activation;
  readonly recurrentActivation: RecurrentActivation;
  /** Last recurrent layer returns [batch, timeSteps, units] and the head maps every step. */
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  /** GRU only. Keras's default is true; tfjs's built-in GRU supports only false. */
  readonly resetAfter: boolean;
  /** LSTM only. Keras's default: the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
}

export const DEFAULT_SPEC: ModelSpec = {
  cell: 'simple',
  batch: 1,
  timeSteps: 10,
  inputDim: 3,
  units: 5,
  layers: 1,
  denseUnits: 2,
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  returnSequences: false,
  goBackwards: false,
  resetAfter: true,
  unitForgetBias: true,
};

/**
 * Largest input or output a spec may ask for, in elements (2^26 = 64 Mi; 512 MiB as float64).
 * Refused before anything is allocated.
 */
export const MAX_ELEMENTS = 2 ** 26;

/** Upper bounds per size, so a typo (--units 1e9) is refused with a clear message. */
export const SIZE_LIMITS = {
  batch: 65536,
  timeSteps: 100000,
  inputDim: 65536,
  units: 4096,
  layers: 16,
  denseUnits: 65536,
} as const;

export type SizeField = keyof typeof SIZE_LIMITS;

function checkPositiveInt(label: string, value: number, limit: number): void {
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new ConfigError(`${label}: expected an integer from 1 to ${limit}, got ${value}`);
  }
}

function checkChoice<T extends string>(name: string, value: T, choices: readonly T[]): void {
  if (!choices.includes(value)) {
    throw new ConfigError(`${name}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/**
 * Fills defaults and checks every field.
 * @param flagNames CLI flag for a size field (inputDim -> 'features'), so errors name what the user typed.
 * @throws ConfigError naming the field (or flag) and the value received.
 */
export function validateSpec(partial: Partial<ModelSpec>, flagNames: Partial<Record<SizeField, string>> = {}): ModelSpec {
  const spec: ModelSpec = { ...DEFAULT_SPEC, ...partial };
  checkChoice('cell', spec.cell, CELLS);
  checkChoice('activation', spec.activation, ACTIVATIONS);
  checkChoice('recurrentActivation', spec.recurrentActivation, RECURRENT_ACTIVATIONS);
  for (const name of Object.keys(SIZE_LIMITS) as SizeField[]) {
    const flag = flagNames[name];
    checkPositiveInt(flag ? `--${flag}` : name, spec[name], SIZE_LIMITS[name]);
  }
  for (const name of ['returnSequences', 'goBackwards', 'resetAfter', 'unitForgetBias'] as const) {
    if (typeof spec[name] !== 'boolean') {
      throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(spec[name])}`);
    }
  }
  const inputElements = spec.batch * spec.timeSteps * spec.inputDim;
  // The hand path holds every step's input projection at once: [batch*timeSteps, gates*units].
  const widest = Math.max(spec.inputDim, gateCount(spec.cell) * spec.units, spec.denseUnits);
  const activationElements = spec.batch * spec.timeSteps * widest;
  if (inputElements > MAX_ELEMENTS || activationElements > MAX_ELEMENTS) {
    throw new ConfigError(
      `batch*timeSteps*max(inputDim, gates*units, outputs): expected at most ${MAX_ELEMENTS}, got ${Math.max(inputElements, activationElements)}`,
    );
  }
  return spec;
}

/** Output shape of the whole model: [batch, denseUnits] or [batch, timeSteps, denseUnits]. */
export function outputShape(spec: ModelSpec): number[] {
  return spec.returnSequences ? [spec.batch, spec.timeSteps, spec.denseUnits] : [spec.batch, spec.denseUnits];
}

/** Input shape in tfjs order: [batch, timeSteps, inputDim]. */
export function inputShape(spec: ModelSpec): number[] {
  return [spec.batch, spec.timeSteps, spec.inputDim];
}
