/**
 * The AveragePooling1D layer kind: config, shapes, the hand forward (valid; same, where an edge window averages
 * only the steps it covers, as TensorFlow's avg_pool does), tfjs's AveragePooling1D.
 */
import * as tf from '@tensorflow/tfjs';
import { averagePooling1d } from '../../src/layers/average-pooling-1d';
import type { Pooling1dConfig } from '../../src/layers/pooling-1d';
import { kindForClass } from '../../src/layers/registry';
import { expectClose } from '../helpers/expect-close';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/conv-strided-gru/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'average_pooling1d',
  trainable: true,
  dtype: KERAS_DTYPE,
  pool_size: [3],
  padding: 'same',
  strides: [2],
  data_format: 'channels_last',
};

const X = ndArray([1, 5, 1], [1, 5, 2, 4, 6]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('AveragePooling1D (average-pooling-1d)', () => {
  test('is registered under AveragePooling1D for both sources', () => {
    expect(kindForClass('AveragePooling1D', 'keras')).toBe(averagePooling1d);
    expect(kindForClass('AveragePooling1D', 'tfjs')).toBe(averagePooling1d);
  });

  test('reads a real Keras 3 config; bad options are blockers', () => {
    expect(readWith(averagePooling1d, KERAS_CONFIG)).toEqual({ config: { poolSize: 3, strides: 2, padding: 'same' }, blockers: [] });
    expect(readWith(averagePooling1d, { name: 'a' }).config).toEqual({ poolSize: 2, strides: 2, padding: 'valid' });
    const { blockers } = readWith(averagePooling1d, { ...KERAS_CONFIG, strides: [2, 2], padding: 'SAME' });
    expect(blockers.map((b) => b.option)).toEqual(['strides', 'padding']);
  });

  test('outputShape and reduction size (pool_size values summed)', () => {
    // the golden's: Conv1D valid stride 2 turns 21 steps into 9; pool 3, stride 2, same: ceil(9 / 2) = 5
    expect(averagePooling1d.outputShape({ poolSize: 3, strides: 2, padding: 'same' }, [[null, 9, 6]])).toEqual([null, 5, 6]);
    expect(averagePooling1d.reductionSize({ poolSize: 3, strides: 2, padding: 'same' }, [[null, 9, 6]])).toBe(3);
  });

  test.each([
    // windows [1, 5], [2, 4]
    ['pool 2, valid', { poolSize: 2, strides: 2, padding: 'valid' }, [3, 3], [3, 3]],
    // windows [1, 5], [2, 4], [6]: the last covers one step, so it is 6 / 1 (zero padding counted would give 3)
    ['pool 2, same', { poolSize: 2, strides: 2, padding: 'same' }, [3, 3, 6], [3, 3, 6]],
    // pad one each side: [1, 5] / 2, [1, 5, 2] / 3, [5, 2, 4] / 3, [2, 4, 6] / 3, [4, 6] / 2;
    // 8 / 3 = 2.6666666666666665 in float64, fround(8 / 3) = 2.6666667461395264; 11 / 3 likewise
    ['pool 3, stride 1, same', { poolSize: 3, strides: 1, padding: 'same' }, [3, 8 / 3, 11 / 3, 4, 5], [3, 2.6666667461395264, 3.6666667461395264, 4, 5]],
  ] as const)('hand forward, %s, on x = [1, 5, 2, 4, 6]', (_name, config, float64, float32) => {
    expect(Array.from(handForward(averagePooling1d, config, [], [X], 'float64').data)).toEqual(float64);
    expect(Array.from(handForward(averagePooling1d, config, [], [X], 'float32').data)).toEqual(float32);
  });

  test.each([
    { poolSize: 2, strides: 2, padding: 'valid' },
    { poolSize: 3, strides: 2, padding: 'valid' },
    { poolSize: 2, strides: 2, padding: 'same' },
    { poolSize: 3, strides: 1, padding: 'same' },
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: 4, strides: 3, padding: 'same' },
  ] as Pooling1dConfig[])("tfjs's AveragePooling1D (cpu, %j) agrees with the hand path: edge windows divide by their count", (config) => {
    const x = ndArray([2, 9, 3], seeded(54, 4));
    const layer = tfjsForward(averagePooling1d, config, [], [x]);
    expectClose(layer, handForward(averagePooling1d, config, [], [x]), { atol: 1e-7, rtol: 1e-6 });
  });
});
