/**
 * specFromModel on the custom pieces: it reads GRUResetAfter as cell 'gru' with resetAfter, and
 * 'hardSigmoidKeras3' as Keras 3's 'hard_sigmoid', and refuses what the hand path cannot reproduce.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { ConfigError } from '../../src/errors';
import { buildModel } from '../../src/model/build';
import { GRUResetAfter } from '../../src/model/layers';
import { specFromModel } from '../../src/model/spec-from-model';
import { type ModelSpec, validateSpec } from '../../src/spec';
import { expectNoLeakedTensors } from './helpers';

beforeAll(async () => {
  await selectBackend('cpu');
});

function withModel<T>(model: tf.LayersModel, fn: (model: tf.LayersModel) => T): T {
  try {
    return fn(model);
  } finally {
    model.dispose();
  }
}

test.each<[string, Partial<ModelSpec>]>([
  ['GRU resetAfter, sigmoid', { cell: 'gru', resetAfter: true }],
  [
    'GRU resetAfter, hard_sigmoid, 3 layers, sequences',
    { cell: 'gru', resetAfter: true, recurrentActivation: 'hard_sigmoid', layers: 3, returnSequences: true },
  ],
  ['GRU resetAfter, hard_sigmoid_tfjs, backwards', { cell: 'gru', resetAfter: true, recurrentActivation: 'hard_sigmoid_tfjs', goBackwards: true }],
  ['GRU reset before, hard_sigmoid', { cell: 'gru', resetAfter: false, recurrentActivation: 'hard_sigmoid' }],
  // specFromModel reports resetAfter false for every cell but GRU.
  ['LSTM, hard_sigmoid', { cell: 'lstm', resetAfter: false, recurrentActivation: 'hard_sigmoid' }],
  ['SimpleRNN', { cell: 'simple', resetAfter: false }],
])('specFromModel(buildModel(spec)) is spec: %s', async (_name, fields) => {
  const spec = validateSpec({ batch: 2, timeSteps: 4, inputDim: 3, units: 2, ...fields });
  await expectNoLeakedTensors(() => withModel(buildModel(spec, 1), (model) => expect(specFromModel(model, 2)).toEqual(spec)));
});

test('refuses a stack that mixes tfjs GRU (reset before) and GRUResetAfter', () => {
  const model = tf.sequential({
    layers: [
      tf.layers.gru({ units: 2, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [4, 3] }),
      new GRUResetAfter({
        units: 2,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        returnSequences: false,
        goBackwards: false,
        kernelInitializer: tf.initializers.zeros(),
        recurrentInitializer: tf.initializers.zeros(),
        biasInitializer: tf.initializers.zeros(),
      }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  withModel(model, (m) => {
    expect(() => specFromModel(m, 1)).toThrow(ConfigError);
    expect(() => specFromModel(m, 1)).toThrow('model: expected every recurrent layer to share resetAfter, got false and true');
  });
});

test('names every accepted gate activation when refusing one', () => {
  const model = tf.sequential({
    layers: [tf.layers.lstm({ units: 2, recurrentActivation: 'tanh', inputShape: [4, 3] }), tf.layers.dense({ units: 1 })],
  });
  withModel(model, (m) => {
    expect(() => specFromModel(m, 1)).toThrow('layer 0 (LSTM) recurrentActivation: expected one of sigmoid, hardSigmoid, hardSigmoidKeras3, got "tanh"');
  });
});
