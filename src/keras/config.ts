/**
 * config.json -> ModelSpec: a Keras 3 Sequential of [InputLayer,] SimpleRNN|LSTM|GRU x layers, Dense.
 * Everything a forward pass depends on is either read into the spec or checked against the one value
 * both paths implement; every other key must be one Keras 3.15 writes and that only matters for
 * training (initializers, regularizers, constraints). Anything else is refused, naming the layer and
 * the key: nothing is silently ignored.
 */
import { ConfigError, FileFormatError } from '../errors';
import {
  ACTIVATIONS,
  DEFAULT_SPEC,
  SIZE_LIMITS,
  validateSpec,
  type Activation,
  type CellKind,
  type ModelSpec,
  type RecurrentActivation,
} from '../spec';
import { previewJson } from '../io/json';
import { describeLayer, dtypeName, type Json, keyOf, numberOrNull, objectAt, optionTable, positiveInteger } from './config-checks';

/** Keras class names of the recurrent layers, and the cell each one is. */
export const KERAS_CELLS: Readonly<Record<string, CellKind>> = { SimpleRNN: 'simple', LSTM: 'lstm', GRU: 'gru' };
/** Keras 3's recurrent_activation names -> ours ('hard_sigmoid' is Keras 3's relu6(x + 3) / 6). */
const RECURRENT_ACTIVATIONS: Readonly<Record<string, RecurrentActivation>> = { sigmoid: 'sigmoid', hard_sigmoid: 'hard_sigmoid' };

/** Only change training, never a forward pass. */
const RECURRENT_TRAINING_KEYS = [
  'name', 'trainable', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'kernel_regularizer',
  'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint',
  'bias_constraint', 'seed',
  // Only acts on a mask, and none of the layers accepted here makes one.
  'zero_output_for_mask',
];
/** Change the forward pass in ways the hand path does not implement: the one value accepted. */
const RECURRENT_FIXED = { stateful: false, unroll: false, return_state: false, use_bias: true, dropout: 0, recurrent_dropout: 0 };
const RECURRENT_READ = ['units', 'activation', 'return_sequences', 'go_backwards', 'dtype'];
const CELL_READ: Record<CellKind, string[]> = {
  simple: [],
  // unit_forget_bias only sets the forget-gate bias's initial value; it is read into the spec for the report.
  lstm: ['recurrent_activation', 'unit_forget_bias'],
  gru: ['recurrent_activation', 'reset_after'],
};
const DENSE_TRAINING_KEYS = [
  'name', 'trainable', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer',
  'activity_regularizer', 'kernel_constraint', 'bias_constraint',
];
const DENSE_FIXED = { use_bias: true, activation: 'linear', quantization_config: null, lora_rank: null, lora_alpha: null };
const INPUT_FIXED = { sparse: false, ragged: false, optional: false };

/** The architecture read from config.json. */
export interface KerasArchitecture {
  readonly spec: ModelSpec;
  /** Layer names as config.json gives them (InputLayer left out): recurrent layers bottom to top, then the Dense. */
  readonly layerNames: readonly string[];
  /** [batch, timeSteps, inputDim] as saved; null where the model accepts any size. */
  readonly savedInputShape: readonly (number | null)[];
}

export interface ArchitectureOptions {
  /** Samples per check; default: the saved batch size if the model fixes one, else 1. */
  readonly batch?: number;
  /** Sequence length; required when the model accepts any (batch_shape [None, None, D]). */
  readonly timeSteps?: number;
  /** Where batch and timeSteps came from, for error messages: "the input". */
  readonly sizesFrom?: string;
}

interface RecurrentConfig {
  readonly cell: CellKind;
  /** `layer 1 "lstm" (LSTM)` */
  readonly layer: string;
  /** The same, after the file's label. */
  readonly where: string;
  readonly config: Json;
}

/**
 * Reads a Keras 3 config.json.
 * @param label how errors name the file, e.g. "model.keras: config.json"
 * @throws ConfigError for a model outside what both paths support (names the layer and the key);
 *   FileFormatError for JSON that is not a Keras model config at all.
 */
export function architectureFromConfig(config: unknown, label: string, options: ArchitectureOptions = {}): KerasArchitecture {
  const top = objectAt(config, label);
  if (top.class_name !== 'Sequential') {
    throw new ConfigError(`${label}: expected a Sequential model, got ${previewJson(top.class_name)}`);
  }
  const model = objectAt(top.config, `${label}: config`);
  checkDtype(`${label}: Sequential`, model.dtype);
  if (!Array.isArray(model.layers)) {
    throw new FileFormatError(`${label}: config.layers: expected a list of layers, got ${previewJson(model.layers)}`);
  }
  const entries = model.layers.map((layer, k) => objectAt(layer, `${label}: layer ${k}`));
  let savedInputShape: unknown = model.build_input_shape;
  let first = 0;
  if (entries[0]?.class_name === 'InputLayer') {
    savedInputShape = inputShapeOf(entries[0], `${label}: layer 0`);
    first = 1;
  }
  const recurrent: RecurrentConfig[] = [];
  const layerNames: string[] = [];
  let dense: Json | undefined;
  entries.slice(first).forEach((entry, i) => {
    const k = first + i;
    const className = entry.class_name;
    const config = objectAt(entry.config, `${label}: layer ${k} config`);
    const layer = describeLayer(k, config.name, className);
    const where = `${label}: ${layer}`;
    if (entry.registered_name !== undefined && entry.registered_name !== null) {
      throw new ConfigError(`${where}: expected a built-in Keras layer (registered_name null), got ${previewJson(entry.registered_name)}`);
    }
    if (dense !== undefined) {
      throw new ConfigError(`${where}: expected the Dense head to be the last layer, got another layer after it`);
    }
    const cell = typeof className === 'string' && Object.hasOwn(KERAS_CELLS, className) ? KERAS_CELLS[className] : undefined;
    if (cell !== undefined) {
      optionTable(where, config, [...RECURRENT_TRAINING_KEYS, ...RECURRENT_READ, ...CELL_READ[cell]], RECURRENT_FIXED);
      checkDtype(where, config.dtype);
      recurrent.push({ cell, layer, where, config });
    } else if (className === 'Dense') {
      optionTable(where, config, [...DENSE_TRAINING_KEYS, 'units', 'dtype'], DENSE_FIXED);
      checkDtype(where, config.dtype);
      dense = config;
    } else {
      throw new ConfigError(`${where}: expected SimpleRNN, LSTM, GRU or a final Dense, got ${previewJson(className)}`);
    }
    layerNames.push(String(config.name));
  });
  if (recurrent.length === 0 || dense === undefined) {
    const classes = entries.map((e) => String(e.class_name)).join(', ');
    throw new ConfigError(`${label}: expected [InputLayer,] recurrent layers then one Dense, got [${classes}]`);
  }
  const shape = savedShape(savedInputShape, label);
  return { spec: specOf(recurrent, dense, shape, label, options), layerNames, savedInputShape: shape };
}

function specOf(
  recurrent: readonly RecurrentConfig[],
  dense: Json,
  saved: readonly (number | null)[],
  label: string,
  options: ArchitectureOptions,
): ModelSpec {
  if (recurrent.length > SIZE_LIMITS.layers) {
    throw new ConfigError(`${label}: expected at most ${SIZE_LIMITS.layers} recurrent layers, got ${recurrent.length}`);
  }
  const [first] = recurrent;
  const last = recurrent[recurrent.length - 1];
  const shared = (key: string) => {
    for (const layer of recurrent) {
      if (JSON.stringify(layer.config[key]) !== JSON.stringify(first.config[key])) {
        throw new ConfigError(
          `${layer.where} ${key}: expected ${previewJson(first.config[key])} like every recurrent layer (rnn-parity's ModelSpec has one), got ${previewJson(layer.config[key])}`,
        );
      }
    }
  };
  for (const layer of recurrent) {
    if (layer.cell !== first.cell) {
      throw new ConfigError(`${layer.where}: expected ${keyOf(KERAS_CELLS, first.cell)} like ${first.layer} (one cell kind per model), got ${keyOf(KERAS_CELLS, layer.cell)}`);
    }
  }
  ['units', 'activation', 'go_backwards', ...CELL_READ[first.cell]].forEach(shared);
  recurrent.slice(0, -1).forEach((layer) => {
    if (layer.config.return_sequences !== true) {
      throw new ConfigError(`${layer.where} return_sequences: expected true below another recurrent layer, got ${previewJson(layer.config.return_sequences)}`);
    }
  });
  const c = first.config;
  return validateSpec({
    cell: first.cell,
    ...inputSizes(saved, label, options),
    units: positiveInteger(`${first.where} units`, c.units, SIZE_LIMITS.units),
    layers: recurrent.length,
    denseUnits: positiveInteger(`${label}: Dense units`, dense.units, SIZE_LIMITS.denseUnits),
    activation: activationOf(first.where, c.activation),
    recurrentActivation: first.cell === 'simple' ? DEFAULT_SPEC.recurrentActivation : recurrentActivationOf(first.where, c.recurrent_activation),
    returnSequences: booleanOf(`${last.where} return_sequences`, last.config.return_sequences),
    goBackwards: booleanOf(`${first.where} go_backwards`, c.go_backwards),
    resetAfter: first.cell === 'gru' ? booleanOf(`${first.where} reset_after`, c.reset_after) : DEFAULT_SPEC.resetAfter,
    unitForgetBias: first.cell === 'lstm' ? booleanOf(`${first.where} unit_forget_bias`, c.unit_forget_bias) : DEFAULT_SPEC.unitForgetBias,
  });
}

function inputSizes(saved: readonly (number | null)[], label: string, options: ArchitectureOptions): Pick<ModelSpec, 'batch' | 'timeSteps' | 'inputDim'> {
  const [savedBatch, savedSteps, savedDim] = saved;
  if (savedDim === null) {
    throw new ConfigError(`${label}: expected a fixed input dimension in the input shape, got ${previewJson(saved)}`);
  }
  const pick = (name: 'batch' | 'timeSteps', stored: number | null, given: number | undefined, fallback?: number): number => {
    if (stored !== null && given !== undefined && given !== stored) {
      const from = options.sizesFrom ? ` from ${options.sizesFrom}` : '';
      throw new ConfigError(`${name}: expected ${stored} (the model's saved input shape ${previewJson(saved)}), got ${given}${from}`);
    }
    const value = given ?? stored ?? fallback;
    if (value === undefined) {
      throw new ConfigError(`${name}: expected a value (the model accepts any: saved input shape ${previewJson(saved)}), got none; give an input or --timesteps`);
    }
    return value;
  };
  return {
    batch: pick('batch', savedBatch, options.batch, 1),
    timeSteps: pick('timeSteps', savedSteps, options.timeSteps),
    inputDim: savedDim,
  };
}

/** InputLayer's batch_shape (Keras 3) or batch_input_shape (older files). */
function inputShapeOf(entry: Json, where: string): unknown {
  const config = objectAt(entry.config, `${where} config`);
  optionTable(`${where} (InputLayer)`, config, ['name', 'dtype', 'batch_shape', 'batch_input_shape', 'input_tensor'], { ...INPUT_FIXED, input_tensor: null });
  checkDtype(`${where} (InputLayer)`, config.dtype);
  return config.batch_shape ?? config.batch_input_shape;
}

/** [batch|null, timeSteps|null, inputDim] with each fixed size in range. */
function savedShape(value: unknown, label: string): (number | null)[] {
  if (!Array.isArray(value) || value.length !== 3) {
    throw new ConfigError(`${label}: expected an input shape [batch, timeSteps, inputDim] (InputLayer batch_shape or build_input_shape), got ${previewJson(value)}`);
  }
  const limits = [SIZE_LIMITS.batch, SIZE_LIMITS.timeSteps, SIZE_LIMITS.inputDim];
  const names = ['batch', 'timeSteps', 'inputDim'];
  return value.map((d, i) => numberOrNull(`${label}: input shape ${names[i]}`, d, limits[i]));
}

function checkDtype(where: string, dtype: unknown): void {
  if (dtype === undefined) return;
  const name = dtypeName(dtype);
  if (name !== 'float32') {
    throw new ConfigError(`${where} dtype: expected float32, got ${previewJson(name ?? dtype)}`);
  }
}

function activationOf(where: string, value: unknown): Activation {
  if ((ACTIVATIONS as readonly unknown[]).includes(value)) return value as Activation;
  throw new ConfigError(`${where} activation: expected one of ${ACTIVATIONS.join(', ')}, got ${previewJson(value)}`);
}

function recurrentActivationOf(where: string, value: unknown): RecurrentActivation {
  if (typeof value === 'string' && Object.hasOwn(RECURRENT_ACTIVATIONS, value)) return RECURRENT_ACTIVATIONS[value];
  throw new ConfigError(`${where} recurrent_activation: expected sigmoid or hard_sigmoid, got ${previewJson(value)}`);
}

function booleanOf(where: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new ConfigError(`${where}: expected true or false, got ${previewJson(value)}`);
}
