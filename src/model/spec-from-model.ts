/**
 * Reads a ModelSpec back from a tfjs model (one loaded with --weights), so that the hand path and the
 * report describe the model that was actually loaded. Anything this tool cannot reproduce by hand
 * is refused, naming it: nothing is silently ignored.
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors';
import { ACTIVATIONS, type Activation, type CellKind, type ModelSpec, type RecurrentActivation, validateSpec } from '../spec';
import { GRUResetAfter, HARD_SIGMOID_KERAS3 } from './layers';

/** tfjs's built-in layers, and ours for Keras's default GRU (reset_after=True). */
const CELL_BY_CLASS: Record<string, CellKind> = { SimpleRNN: 'simple', LSTM: 'lstm', GRU: 'gru', [GRUResetAfter.className]: 'gru' };

/** tfjs activation names (what getConfig writes) -> our recurrentActivation names. */
const RECURRENT_ACTIVATION_BY_NAME: Record<string, RecurrentActivation> = {
  sigmoid: 'sigmoid',
  hardSigmoid: 'hard_sigmoid_tfjs',
  [HARD_SIGMOID_KERAS3]: 'hard_sigmoid',
};

/** Options that change the forward pass and that the hand path does not implement. */
const REFUSED_OPTIONS: [key: string, harmless: unknown][] = [
  ['stateful', false],
  ['unroll', false],
  ['dropout', 0],
  ['recurrentDropout', 0],
  ['useBias', true],
];

function activationOf(where: string, value: unknown): Activation {
  if ((ACTIVATIONS as readonly unknown[]).includes(value)) return value as Activation;
  throw new ConfigError(`${where} activation: expected one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(value)}`);
}

function recurrentActivationOf(where: string, value: unknown): RecurrentActivation {
  if (typeof value === 'string' && Object.hasOwn(RECURRENT_ACTIVATION_BY_NAME, value)) return RECURRENT_ACTIVATION_BY_NAME[value];
  const names = Object.keys(RECURRENT_ACTIVATION_BY_NAME).join(', ');
  throw new ConfigError(`${where} recurrentActivation: expected one of ${names}, got ${JSON.stringify(value)}`);
}

/**
 * @param batch samples per check; a saved model does not fix it.
 * @throws ConfigError for a layer type, option or activation outside what both paths support.
 */
export function specFromModel(model: tf.LayersModel, batch: number): ModelSpec {
  const layers = model.layers;
  const last = layers[layers.length - 1];
  if (layers.length < 2 || last.getClassName() !== 'Dense') {
    throw new ConfigError(`model: expected recurrent layers then one Dense, got [${layers.map((l) => l.getClassName()).join(', ')}]`);
  }
  const recurrent = layers.slice(0, -1);
  const configs = recurrent.map((layer, k) => {
    const cell = CELL_BY_CLASS[layer.getClassName()];
    if (!cell) throw new ConfigError(`layer ${k}: expected one of ${Object.keys(CELL_BY_CLASS).join(', ')}, got ${layer.getClassName()}`);
    const config = layer.getConfig() as Record<string, unknown>;
    for (const [key, harmless] of REFUSED_OPTIONS) {
      if (key in config && config[key] !== harmless) {
        throw new ConfigError(`layer ${k} (${layer.getClassName()}) ${key}: expected ${JSON.stringify(harmless)}, got ${JSON.stringify(config[key])}`);
      }
    }
    return { cell, config, name: `layer ${k} (${layer.getClassName()})` };
  });
  const first = configs[0];
  const same = (key: string) => {
    const values = new Set(configs.map((c) => JSON.stringify(c.config[key])));
    if (values.size > 1) throw new ConfigError(`model: expected every recurrent layer to share ${key}, got ${[...values].join(' and ')}`);
  };
  // resetAfter: GRU (false) and GRUResetAfter (true) are both 'gru' but not the same cell.
  ['units', 'activation', 'goBackwards', 'recurrentActivation', 'unitForgetBias', 'resetAfter'].forEach(same);
  if (new Set(configs.map((c) => c.cell)).size > 1) {
    throw new ConfigError(`model: expected one cell type for every recurrent layer, got ${configs.map((c) => c.cell).join(', ')}`);
  }
  const inputShape = (recurrent[0].batchInputShape ?? []) as (number | null)[];
  const [, timeSteps, inputDim] = inputShape;
  if (typeof timeSteps !== 'number' || typeof inputDim !== 'number') {
    throw new ConfigError(`model: expected a fixed input shape [batch, timeSteps, inputDim], got ${JSON.stringify(inputShape)}`);
  }
  const lastConfig = configs[configs.length - 1].config;
  const denseConfig = last.getConfig() as Record<string, unknown>;
  if (denseConfig.activation !== 'linear') {
    throw new ConfigError(`dense activation: expected linear, got ${JSON.stringify(denseConfig.activation)}`);
  }
  return validateSpec({
    cell: first.cell,
    batch,
    timeSteps,
    inputDim,
    units: first.config.units as number,
    layers: recurrent.length,
    denseUnits: denseConfig.units as number,
    activation: activationOf(first.name, first.config.activation),
    recurrentActivation: first.cell === 'simple' ? 'sigmoid' : recurrentActivationOf(first.name, first.config.recurrentActivation),
    returnSequences: lastConfig.returnSequences === true,
    goBackwards: first.config.goBackwards === true,
    resetAfter: first.cell === 'gru' ? first.config.resetAfter === true : false,
    unitForgetBias: first.cell === 'lstm' ? first.config.unitForgetBias !== false : true,
  });
}
