/**
 * Today's flags (--cell --units --layers --outputs ...) as one preset that makes a GraphModel: a Sequential
 * stack of one recurrent kind, every layer but the last returning sequences, and a linear Dense head, with
 * weights from tfjs's seeded initializers (drawn in JavaScript, so the same bytes on every backend).
 */
import { graphFromTfjsModel } from '../formats/tfjs-model';
import type { GraphModel, WeightArray } from '../graph/model';
import { buildModel } from '../model/build';
import { validateSpec, type ModelSpec } from '../spec';
import { recurrentLayerOf, type Matrix, type RnnWeights } from '../weights';

/** Keras's class of each cell. */
const KERAS_CLASS = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' } as const;

/**
 * The preset's model with seeded weights. Needs a backend (the initializers run on it).
 * @returns a Sequential GraphModel: input [null, timeSteps, inputDim], `spec.layers` recurrent layers, Dense.
 */
export function presetModel(spec: ModelSpec, seed: number): GraphModel {
  const tfModel = buildModel(spec, seed);
  let graph: GraphModel;
  try {
    graph = graphFromTfjsModel(tfModel, 'the flags');
  } finally {
    tfModel.dispose();
  }
  return withKerasNames(graph);
}

/**
 * The names Keras would give the same Sequential (input_layer, lstm, lstm_1, dense) instead of tfjs's
 * process-wide counters (lstm_LSTM7), so the report and saved files read the same in every run.
 */
function withKerasNames(graph: GraphModel): GraphModel {
  const renamed = new Map<string, string>([[graph.inputs[0].name, 'input_layer']]);
  const used = new Map<string, number>();
  for (const layer of graph.layers) {
    const base = layer.kind.replace(/-/g, '_');
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    renamed.set(layer.name, n === 0 ? base : `${base}_${n}`);
  }
  const name = (old: string) => renamed.get(old) ?? old;
  return {
    ...graph,
    inputs: graph.inputs.map((i) => ({ ...i, name: name(i.name) })),
    layers: graph.layers.map((l) => ({ ...l, name: name(l.name), inbound: l.inbound.map(name) })),
    outputs: graph.outputs.map(name),
  };
}

/**
 * The preset as a Keras 3 Sequential config (what config.json would hold): the architecture of a bare
 * `.weights.h5` described by flags.
 */
export function presetKerasConfig(spec: ModelSpec): Record<string, unknown> {
  const recurrent = Array.from({ length: spec.layers }, (_, k) => ({
    class_name: KERAS_CLASS[spec.cell],
    config: {
      name: k === 0 ? KERAS_CLASS[spec.cell].toLowerCase() : `${KERAS_CLASS[spec.cell].toLowerCase()}_${k}`,
      units: spec.units,
      activation: spec.activation,
      return_sequences: k < spec.layers - 1 || spec.returnSequences,
      go_backwards: spec.goBackwards,
      ...(spec.cell === 'simple' ? {} : { recurrent_activation: spec.recurrentActivation }),
      ...(spec.cell === 'gru' ? { reset_after: spec.resetAfter } : {}),
      ...(spec.cell === 'lstm' ? { unit_forget_bias: spec.unitForgetBias } : {}),
    },
  }));
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { name: 'input_layer', batch_shape: [null, spec.timeSteps, spec.inputDim] } },
        ...recurrent,
        { class_name: 'Dense', config: { name: 'dense', units: spec.denseUnits, activation: 'linear' } },
      ],
    },
  };
}

/** Our kinds of the preset's cells. */
const PRESET_KINDS: Readonly<Record<string, ModelSpec['cell']>> = { 'simple-rnn': 'simple', lstm: 'lstm', gru: 'gru' };

/**
 * The spec of a model shaped like the preset (Sequential: k recurrent layers of one kind, width and
 * options, then one linear Dense with a bias), or undefined for any other model: then only the graph
 * describes it.
 */
export function presetSpecOf(model: GraphModel, batch: number): ModelSpec | undefined {
  const { layers } = model;
  const [input] = model.inputs;
  const head = layers[layers.length - 1];
  const recurrent = layers.slice(0, -1);
  const shape = input?.shape;
  // A chain, however its writer labelled it (tfjs saves a tf.model chain as Functional).
  const chain = model.outputs.length === 1 && layers.every((l, k) => l.inbound.length === 1 && l.inbound[0] === (k === 0 ? input?.name : layers[k - 1].name));
  if (!chain || model.inputs.length !== 1 || !head || head.kind !== 'dense' || recurrent.length === 0) return undefined;
  if (!shape || shape.length !== 3 || typeof shape[1] !== 'number' || typeof shape[2] !== 'number') return undefined;
  const first = recurrent[0].config as RecurrentFields;
  const cell = PRESET_KINDS[recurrent[0].kind];
  const same = recurrent.every((l, k) => {
    const c = l.config as RecurrentFields;
    return (
      l.kind === recurrent[0].kind &&
      c.units === first.units &&
      c.activation === first.activation &&
      c.recurrentActivation === first.recurrentActivation &&
      c.goBackwards === first.goBackwards &&
      c.resetAfter === first.resetAfter &&
      c.useBias &&
      (k === recurrent.length - 1 || c.returnSequences)
    );
  });
  const dense = head.config as { units: number; activation: string; useBias: boolean };
  if (!cell || !same || dense.activation !== 'linear' || !dense.useBias) return undefined;
  const spec = {
    cell,
    batch,
    timeSteps: shape[1],
    inputDim: shape[2],
    units: first.units,
    layers: recurrent.length,
    denseUnits: dense.units,
    activation: first.activation as ModelSpec['activation'],
    recurrentActivation: (first.recurrentActivation ?? 'sigmoid') as ModelSpec['recurrentActivation'],
    returnSequences: (recurrent[recurrent.length - 1].config as RecurrentFields).returnSequences,
    goBackwards: first.goBackwards,
    // As specFromModel reads a tfjs model: resetAfter is false for every cell but a reset_after GRU.
    resetAfter: cell === 'gru' && first.resetAfter === true,
    unitForgetBias: cell === 'lstm' ? first.unitForgetBias !== false : true,
  };
  try {
    return validateSpec(spec);
  } catch {
    return undefined;
  }
}

interface RecurrentFields {
  units: number;
  activation: string;
  recurrentActivation?: string;
  useBias: boolean;
  returnSequences: boolean;
  goBackwards: boolean;
  resetAfter?: boolean;
  unitForgetBias?: boolean;
}

/**
 * A preset-shaped model's weights as the stack hand path (src/hand/forward.ts, its worker-thread
 * version and the fault suite) takes them.
 */
export function rnnWeightsOf(model: GraphModel, spec: ModelSpec): RnnWeights {
  const matrix = (w: WeightArray): Matrix => ({ rows: w.shape[0], cols: w.shape[1], data: w.data });
  const recurrent = model.layers.slice(0, spec.layers).map((layer, k) => {
    const [kernel, recurrentKernel, bias] = layer.weights;
    const width = kernel.shape[1];
    const split = bias.shape.length === 2;
    return recurrentLayerOf(spec, k, {
      kernel: matrix(kernel),
      recurrentKernel: matrix(recurrentKernel),
      ...(split ? { bias: bias.data.slice(0, width), recurrentBias: bias.data.slice(width) } : { bias: bias.data }),
    });
  });
  const [kernel, bias] = model.layers[spec.layers].weights;
  return { recurrent, dense: { kernel: matrix(kernel), bias: bias.data } };
}
