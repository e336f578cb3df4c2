/**
 * readModelFile on well-formed Keras files: config.json -> the graph's layers (kinds and typed configs,
 * as each case.json's spec records them), weights bit for bit as Keras stored them in model.weights.h5,
 * HDF5 group naming from class names (never layer names), GRU reset_after's bias kept as Keras's
 * (2, 3*units), a bare .weights.h5 read with an architecture, a model saved with any sequence length
 * or a fixed batch size, and the layer path (buildTfjsModel) carrying the imported weights bit for bit.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { ConfigError, ShapeError } from '../../src/errors';
import { kerasGroupNames, kerasSnakeCase } from '../../src/formats/keras-weights';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import type { GraphModel } from '../../src/graph/model';
import { readArchitecture } from '../../src/graph/read-config';
import { buildTfjsModel } from '../../src/graph/tfjs-model';
import { Hdf5File } from '../../src/keras/hdf5';
import type { Blocker } from '../../src/layers/read-context';
import { presetKerasConfig } from '../../src/presets/flags';
import { validateSpec, type ModelSpec } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';
import { float32Bits } from '../model/helpers';
import { CASE_NAMES, editedKeras, KERAS_DIR, layerConfig, loadCase, readMembers, USER_DIR } from './helpers';
import { architectureOf, casePath, errorOf, readKerasBytes, temporaryDirectory, weightBits } from './model-helpers';

const KIND_OF_CELL = { simple: 'simple-rnn', lstm: 'lstm', gru: 'gru' } as const;

/** The layers (kind, config) a case.json spec describes, as the graph's kinds type them. */
function layersOfSpec(spec: ModelSpec): { kind: string; config: Record<string, unknown> }[] {
  const recurrent = Array.from({ length: spec.layers }, (_, k) => ({
    kind: KIND_OF_CELL[spec.cell],
    config: {
      units: spec.units,
      activation: spec.activation,
      useBias: true,
      // every layer below another recurrent layer returns sequences; the top one as the spec says
      returnSequences: k < spec.layers - 1 || spec.returnSequences,
      goBackwards: spec.goBackwards,
      unroll: false,
      dropout: 0,
      recurrentDropout: 0,
      ...(spec.cell === 'simple' ? {} : { recurrentActivation: spec.recurrentActivation }),
      ...(spec.cell === 'gru' ? { resetAfter: spec.resetAfter } : {}),
      ...(spec.cell === 'lstm' ? { unitForgetBias: spec.unitForgetBias } : {}),
    },
  }));
  return [...recurrent, { kind: 'dense', config: { units: spec.denseUnits, activation: 'linear', useBias: true } }];
}

/** Keras's group of each graph layer, numbered per class in model order (written out here, not imported). */
function expectedGroups(model: GraphModel): string[] {
  const snake: Record<string, string> = { 'simple-rnn': 'simple_rnn', lstm: 'lstm', gru: 'gru', dense: 'dense' };
  const seen = new Map<string, number>();
  return model.layers.map((l) => {
    const base = snake[l.kind];
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

describe.each(CASE_NAMES)('%s', (name) => {
  const golden = loadCase(name);

  test('the layers read from config.json are the ones case.json records', () => {
    const read = readModelFile(golden.file);
    expect(read.format).toBe('keras');
    expect(read.writer).toBe('Keras 3.15.1');
    const { model } = read;
    expect(model.topology).toBe('Sequential');
    // The saved batch size (None) is left open; the sequence length and features are the model's.
    expect(model.inputs).toEqual([{ name: 'input_layer', shape: [null, golden.spec.timeSteps, golden.spec.inputDim] }]);
    // Each config holds (at least: kinds may grow new options) what the spec says, with the kind's defaults.
    expect(model.layers.map((l) => ({ kind: l.kind, config: l.config }))).toMatchObject(layersOfSpec(golden.spec));
    // A chain: each layer reads the one before it, the last is the output.
    expect(model.layers.map((l) => l.inbound)).toEqual([['input_layer'], ...model.layers.slice(0, -1).map((l) => [l.name])]);
    expect(model.outputs).toEqual([model.layers[model.layers.length - 1].name]);
  });

  test("every weight is bit for bit what Keras stored in model.weights.h5, in Keras's shapes", () => {
    const { model } = readModelFile(golden.file);
    const h5 = new Hdf5File(readMembers(golden.file).members['model.weights.h5'], 'model.weights.h5');
    const groups = expectedGroups(model);
    expect(
      h5
        .members('layers')
        .filter((g) => g !== 'input_layer')
        .sort(),
    ).toEqual([...groups].sort());
    model.layers.forEach((layer, i) => {
      const vars = layer.kind === 'dense' ? `layers/${groups[i]}/vars` : `layers/${groups[i]}/cell/vars`;
      expect(h5.members(vars)).toHaveLength(layer.weights.length);
      layer.weights.forEach((w, k) => {
        const stored = h5.readFloat32(`${vars}/${k}`, w.shape);
        expect({ weight: `${layer.name} ${w.name}`, bits: float32Bits(w.data) }).toEqual({ weight: `${layer.name} ${w.name}`, bits: float32Bits(stored) });
      });
    });
  });
});

test("GRU reset_after: Keras's bias (2, 18) is kept as stored (input and recurrent rows); reset_after=False keeps (18,)", () => {
  const after = readModelFile(casePath('gru-reset-after')).model.layers[0];
  expect(after.config).toMatchObject({ resetAfter: true });
  expect(after.weights.map((w) => [w.name, w.shape])).toEqual([
    ['kernel', [4, 18]],
    ['recurrent_kernel', [6, 18]],
    ['bias', [2, 18]],
  ]);
  const stored = new Hdf5File(readMembers(casePath('gru-reset-after')).members['model.weights.h5'], 'h5').readFloat32('layers/gru/cell/vars/2', [2, 18]);
  expect(float32Bits(after.weights[2].data)).toEqual(float32Bits(stored));
  const before = readModelFile(casePath('gru-reset-before')).model.layers[0];
  expect(before.config).toMatchObject({ resetAfter: false });
  expect(before.weights.map((w) => [w.name, w.shape])).toEqual([
    ['kernel', [4, 18]],
    ['recurrent_kernel', [6, 18]],
    ['bias', [18]],
  ]);
});

test('weight groups are named from the class in snake case, numbered per class in model order', () => {
  expect(kerasGroupNames(['InputLayer', 'SimpleRNN', 'SimpleRNN', 'Dense'])).toEqual(['input_layer', 'simple_rnn', 'simple_rnn_1', 'dense']);
  expect(kerasGroupNames(['InputLayer', 'GRU', 'GRU', 'GRU', 'Dense'])).toEqual(['input_layer', 'gru', 'gru_1', 'gru_2', 'dense']);
  expect(kerasGroupNames(['LSTM', 'Dropout', 'LSTM', 'Dropout', 'Dense', 'Dense'])).toEqual(['lstm', 'dropout', 'lstm_1', 'dropout_1', 'dense', 'dense_1']);
  expect(['SimpleRNN', 'LSTM', 'GRU', 'Dense', 'SpatialDropout1D', 'GaussianNoise', 'InputLayer'].map(kerasSnakeCase)).toEqual([
    'simple_rnn',
    'lstm',
    'gru',
    'dense',
    'spatial_dropout1d',
    'gaussian_noise',
    'input_layer',
  ]);
});

test('layer names in config.json do not change where the weights are read from', () => {
  // The stacked LSTM renamed "enc" and "dec" (and the head "out") still stores layers/lstm and layers/lstm_1.
  const renamed = editedKeras('stack-lstm', ({ config }) => {
    layerConfig(config, 1).name = 'enc';
    layerConfig(config, 2).name = 'dec';
    layerConfig(config, 3).name = 'out';
  });
  const original = readModelFile(casePath('stack-lstm')).model;
  const { model } = readKerasBytes(renamed, 'renamed.keras');
  expect(model.layers.map((l) => [l.name, l.inbound])).toEqual([
    ['enc', ['input_layer']],
    ['dec', ['enc']],
    ['out', ['dec']],
  ]);
  expect(model.outputs).toEqual(['out']);
  expect(weightBits(model).map(({ name, shape, bits }) => ({ name, shape, bits }))).toEqual(
    weightBits(original).map(({ name, shape, bits }) => ({ name, shape, bits })),
  );
});

describe("a user's model (scripts/keras-fixtures/user_model.py: compiled, trained, named layers)", () => {
  const keras = path.join(USER_DIR, 'user-lstm.keras');
  const bare = path.join(USER_DIR, 'user-lstm.weights.h5');

  test('reads with its own layer names, its optimizer state left unread', () => {
    const read = readModelFile(keras);
    expect(read.format).toBe('keras');
    expect(read.writer).toBe('Keras 3.15.1');
    expect(read.model.inputs[0].shape).toEqual([null, 12, 3]);
    expect(read.model.layers.map((l) => [l.name, l.kind])).toEqual([
      ['encoder', 'lstm'],
      ['score', 'dense'],
    ]);
    expect(read.model.layers[0].config).toMatchObject({ units: 16, returnSequences: false });
    expect(read.model.layers[1].config).toMatchObject({ units: 1 });
    // The file does hold optimizer state next to the layers.
    expect(new Hdf5File(readMembers(keras).members['model.weights.h5'], 'h5').members('')).toContain('optimizer');
  });

  test("its bare .weights.h5 with the .keras's architecture gives the same model, bit for bit", () => {
    const whole = readModelFile(keras);
    const weightsOnly = readModelFile(bare, { architecture: architectureOf(keras) });
    expect(weightsOnly.format).toBe('weights.h5');
    expect(weightsOnly.writer).toBeUndefined();
    expect(weightsOnly.model).toEqual(whole.model);
  });

  test('its bare .weights.h5 with the architecture the flags describe (presetKerasConfig): default names, same weights', () => {
    const spec = validateSpec({ cell: 'lstm', timeSteps: 12, inputDim: 3, units: 16, denseUnits: 1 });
    const blockers: Blocker[] = [];
    const architecture = readArchitecture(presetKerasConfig(spec), 'keras', blockers);
    expect(blockers).toEqual([]);
    const weightsOnly = readModelFile(bare, { architecture });
    expect(weightsOnly.model.layers.map((l) => l.name)).toEqual(['lstm', 'dense']);
    const strip = (m: GraphModel) => weightBits(m).map(({ name, shape, bits }) => ({ name, shape, bits }));
    expect(strip(weightsOnly.model)).toEqual(strip(readModelFile(keras).model));
  });
});

describe('the saved input shape', () => {
  const lstm = loadCase('lstm');

  test('a model saved with sequence length None reads as any length; a seeded input then needs one', async () => {
    const anyLength = editedKeras('lstm', ({ config }) => {
      layerConfig(config, 0).batch_shape = [null, null, 4];
    });
    const { model } = readKerasBytes(anyLength, 'any-length.keras');
    expect(model.inputs[0].shape).toEqual([null, null, 4]);
    // Any length runs: the committed input (T=10) gives Keras's answer, and T=25 runs too.
    expectClose(forwardGraph(model, [lstm.input])[0], lstm.expected64, { atol: 1e-12, rtol: 0 });
    const seeded = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, timeSteps: 25 });
    expect(seeded.inputs[0].shape).toEqual([1, 25, 4]);
    expect(seeded.pass).toBe(true);
    await expect(checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0 })).rejects.toThrow(
      new ConfigError('input "input_layer" axis 1: expected a size (the model accepts any), got none; give --input or --timesteps'),
    );
  });

  test('a fixed saved sequence length is a constraint: another length is refused naming the shapes', async () => {
    const { model } = readModelFile(lstm.file);
    const longer = { shape: [2, 11, 4], data: new Float32Array(2 * 11 * 4) };
    await expect(checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs: [longer] })).rejects.toThrow(
      new ShapeError('input "input_layer": expected shape [any, 10, 4], got [2,11,4]'),
    );
    await expect(checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, timeSteps: 11 })).rejects.toThrow(
      new ConfigError("--timesteps: expected 10 (the model's saved input shape), got 11"),
    );
  });

  test('a fixed saved batch size is no constraint: batch_shape [3, 10, 4] runs a batch of 2 and of 1', async () => {
    const fixed = editedKeras('lstm', ({ config }) => {
      layerConfig(config, 0).batch_shape = [3, 10, 4];
    });
    const { model } = readKerasBytes(fixed, 'fixed.keras');
    expect(model.inputs[0].shape).toEqual([null, 10, 4]);
    const result = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs: [lstm.input], expected: [lstm.expected] });
    expect(result.pass).toBe(true);
    const seeded = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0 });
    expect(seeded.inputs[0].shape).toEqual([1, 10, 4]);
  });
});

describe('the layer path holds the imported weights exactly', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test.each(['gru-reset-after', 'gru-reset-before', 'stack-lstm', 'stack-simple-rnn', 'stack-gru-sequences', 'lstm-hard-sigmoid'])(
    '%s: buildTfjsModel(graph).getWeights() gives back every bit',
    (name) => {
      const { model } = readModelFile(path.join(KERAS_DIR, name, 'model.keras'));
      const before = tf.memory().numTensors;
      const tfModel = buildTfjsModel(model);
      try {
        const held = tfModel.getWeights().map((w) => ({ shape: w.shape, bits: float32Bits(w.dataSync()) }));
        expect(held).toEqual(weightBits(model).map(({ shape, bits }) => ({ shape, bits })));
      } finally {
        tfModel.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

describe('a bare .weights.h5 of a committed case', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  beforeAll(() => {
    tmp = temporaryDirectory('keras-read');
  });
  afterAll(() => tmp.remove());

  test.each(['stack-lstm', 'gru-reset-after', 'simple-rnn-backwards-sequences'])('%s: with its architecture, the same model as the .keras', (name) => {
    const file = path.join(tmp.dir, `${name}.weights.h5`);
    fs.writeFileSync(file, readMembers(casePath(name)).members['model.weights.h5']);
    const read = readModelFile(file, { architecture: architectureOf(casePath(name)) });
    expect(read.format).toBe('weights.h5');
    expect(read.model).toEqual(readModelFile(casePath(name)).model);
  });

  test('without an architecture: a ConfigError saying one is needed', () => {
    const file = path.join(tmp.dir, 'lstm.weights.h5');
    fs.writeFileSync(file, readMembers(casePath('lstm')).members['model.weights.h5']);
    const error = errorOf(() => readModelFile(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${file}: expected an architecture for a weights-only HDF5 file (a Keras 3 .weights.h5 holds none; give one, e.g. by architecture flags), got none`,
    );
  });
});
