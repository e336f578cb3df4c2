/**
 * Today's flags (--cell --units --layers --outputs ...) as one preset that makes a GraphModel: a Sequential
 * stack of one recurrent kind, every layer but the last returning sequences, and a linear Dense head, with
 * weights from tfjs's seeded initializers (drawn in JavaScript, so the same bytes on every backend).
 */
import { graphFromTfjsModel } from '../formats/tfjs-model';
import type { GraphModel } from '../graph/model';
import { buildModel } from '../model/build';
import type { ModelSpec } from '../spec';

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
