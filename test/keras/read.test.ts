/**
 * The importer on well-formed files: config.json -> spec, HDF5 group naming from class names,
 * GRU reset_after's bias rows, the bare .weights.h5 path, a model saved with timeSteps None, and the
 * layer path carrying the imported weights bit for bit.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { buildModelWithWeights } from '../../src/keras/layer-model';
import { kerasFileKind, readKerasFile, readKerasModel, readKerasWeightsOnly } from '../../src/keras/read';
import { Hdf5File } from '../../src/keras/hdf5';
import { weightGroupNames } from '../../src/keras/weights-h5';
import { extractWeights } from '../../src/model/extract';
import { validateSpec } from '../../src/spec';
import type { RnnWeights } from '../../src/weights';
import { float32Bits } from '../model/helpers';
import { CASE_NAMES, editedKeras, KERAS_DIR, layerConfig, loadCase, readMembers, USER_DIR } from './helpers';

/** Every float32 weight of a model, in order, as bit patterns. */
function weightBits(weights: RnnWeights): number[][] {
  return [
    ...weights.recurrent.flatMap((l) => [l.kernel.data, l.recurrentKernel.data, l.bias, l.recurrentBias ?? new Float32Array(0)]),
    weights.dense.kernel.data,
    weights.dense.bias,
  ].map(float32Bits);
}

test.each(CASE_NAMES)('%s: the spec read from config.json is the one case.json records', (name) => {
  const golden = loadCase(name);
  const model = readKerasFile(golden.file, { batch: golden.spec.batch });
  expect(model.spec).toEqual(golden.spec);
  expect(model.format).toBe('keras');
  expect(model.kerasVersion).toBe('3.15.1');
  expect(model.weights.recurrent).toHaveLength(golden.spec.layers);
});

test('the batch defaults to 1 (the saved batch size is None) and timeSteps comes from the model', () => {
  const model = readKerasFile(path.join(KERAS_DIR, 'lstm', 'model.keras'));
  expect(model.spec).toMatchObject({ batch: 1, timeSteps: 10, inputDim: 4 });
});

test("GRU reset_after: Keras's bias (2, 18) becomes bias = row 0 and recurrentBias = row 1", () => {
  const file = path.join(KERAS_DIR, 'gru-reset-after', 'model.keras');
  const { members } = readMembers(file);
  const h5 = new Hdf5File(members['model.weights.h5'], 'model.weights.h5');
  const stored = h5.readFloat32('layers/gru/cell/vars/2', [2, 18]);
  const [layer] = readKerasFile(file).weights.recurrent;
  expect(layer.resetAfter).toBe(true);
  expect(float32Bits(layer.bias)).toEqual(float32Bits(stored.subarray(0, 18)));
  expect(float32Bits(layer.recurrentBias!)).toEqual(float32Bits(stored.subarray(18)));
  // reset_after=False keeps the flat (3*units,) bias and no recurrent bias
  const [before] = readKerasFile(path.join(KERAS_DIR, 'gru-reset-before', 'model.keras')).weights.recurrent;
  expect(before.bias).toHaveLength(18);
  expect(before.recurrentBias).toBeUndefined();
});

test('weight groups are named from the class, numbered in model order: simple_rnn, simple_rnn_1, dense', () => {
  expect(weightGroupNames(validateSpec({ cell: 'simple', layers: 2 }))).toEqual({ recurrent: ['simple_rnn', 'simple_rnn_1'], dense: 'dense' });
  expect(weightGroupNames(validateSpec({ cell: 'gru', layers: 3 })).recurrent).toEqual(['gru', 'gru_1', 'gru_2']);
});

test('layer names in config.json do not change where the weights are read from', () => {
  // The stacked LSTM renamed "enc" and "dec" (and the head "out") still stores layers/lstm and layers/lstm_1.
  const renamed = editedKeras('stack-lstm', ({ config }) => {
    layerConfig(config, 1).name = 'enc';
    layerConfig(config, 2).name = 'dec';
    layerConfig(config, 3).name = 'out';
  });
  const original = readKerasFile(path.join(KERAS_DIR, 'stack-lstm', 'model.keras'));
  const model = readKerasModel(renamed, 'renamed.keras');
  expect(model.layerNames).toEqual(['enc', 'dec', 'out']);
  expect(weightBits(model.weights)).toEqual(weightBits(original.weights));
});

describe("a user's model (scripts/keras-fixtures/user_model.py: compiled, trained, named layers)", () => {
  const keras = path.join(USER_DIR, 'user-lstm.keras');
  const bare = path.join(USER_DIR, 'user-lstm.weights.h5');

  test('imports with its own layer names, its optimizer state left unread', () => {
    const model = readKerasFile(keras);
    expect(model.layerNames).toEqual(['encoder', 'score']);
    expect(model.spec).toMatchObject({ cell: 'lstm', timeSteps: 12, inputDim: 3, units: 16, layers: 1, denseUnits: 1, returnSequences: false });
    expect(kerasFileKind(keras)).toBe('keras');
    expect(kerasFileKind(bare)).toBe('weights.h5');
  });

  test('its bare .weights.h5 with the same spec gives the same weights, bit for bit', () => {
    const model = readKerasFile(keras);
    const weightsOnly = readKerasWeightsOnly(new Uint8Array(fs.readFileSync(bare)), model.spec, 'user-lstm.weights.h5');
    expect(weightsOnly.format).toBe('weights.h5');
    expect(weightsOnly.layerNames).toEqual(['lstm', 'dense']);
    expect(weightBits(weightsOnly.weights)).toEqual(weightBits(model.weights));
    expect(readKerasFile(bare, { spec: model.spec }).spec).toEqual(model.spec);
  });
});

test('a model saved with timeSteps None takes the length it is given, and asks for one otherwise', () => {
  const anyLength = editedKeras('lstm', ({ config }) => {
    layerConfig(config, 0).batch_shape = [null, null, 4];
  });
  expect(readKerasModel(anyLength, 'any-length.keras', { timeSteps: 25 }).spec.timeSteps).toBe(25);
  expect(() => readKerasModel(anyLength, 'any-length.keras')).toThrow(/timeSteps: expected a value \(the model accepts any/);
});

test('a fixed saved batch size is the default batch, and a different one is refused', () => {
  const fixed = editedKeras('lstm', ({ config }) => {
    layerConfig(config, 0).batch_shape = [3, 10, 4];
  });
  expect(readKerasModel(fixed, 'fixed.keras').spec.batch).toBe(3);
  expect(() => readKerasModel(fixed, 'fixed.keras', { batch: 2, sizesFrom: 'the input' })).toThrow(
    'batch: expected 3 (the model\'s saved input shape [3,10,4]), got 2 from the input',
  );
});

describe('the layer path holds the imported weights exactly', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test.each(['gru-reset-after', 'gru-reset-before', 'stack-lstm', 'stack-simple-rnn'])('%s: extractWeights gives back every bit', (name) => {
    const imported = readKerasFile(path.join(KERAS_DIR, name, 'model.keras'));
    const before = tf.memory().numTensors;
    const model = buildModelWithWeights(imported.spec, imported.weights);
    try {
      expect(weightBits(extractWeights(model, imported.spec))).toEqual(weightBits(imported.weights));
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
