/** The MaxPooling1D layer kind: config, shapes, the hand forward (valid, same), tfjs's MaxPooling1D. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { maxPooling1d } from '../../src/layers/max-pooling-1d';
import type { Pooling1dConfig } from '../../src/layers/pooling-1d';
import { kindForClass } from '../../src/layers/registry';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/cnn-lstm/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'max_pooling1d',
  trainable: true,
  dtype: KERAS_DTYPE,
  pool_size: [2],
  padding: 'valid',
  strides: [2],
  data_format: 'channels_last',
};

const X = ndArray([1, 5, 1], [1, 5, 2, 4, 3]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MaxPooling1D (max-pooling-1d)', () => {
  test('is registered under MaxPooling1D for both sources', () => {
    expect(kindForClass('MaxPooling1D', 'keras')).toBe(maxPooling1d);
    expect(kindForClass('MaxPooling1D', 'tfjs')).toBe(maxPooling1d);
  });

  test('reads a real Keras 3 config; strides null or absent is pool_size; bad options are blockers', () => {
    expect(readWith(maxPooling1d, KERAS_CONFIG)).toEqual({ config: { poolSize: 2, strides: 2, padding: 'valid' }, blockers: [] });
    expect(readWith(maxPooling1d, { ...KERAS_CONFIG, pool_size: 3, strides: null }, 'tfjs').config).toEqual({ poolSize: 3, strides: 3, padding: 'valid' });
    const { blockers } = readWith(maxPooling1d, { ...KERAS_CONFIG, pool_size: [0], padding: 'causal', data_format: 'channels_first', extra: 1 });
    expect(blockers.map((b) => [b.option, b.reason])).toEqual([
      ['data_format', 'expected "channels_last", the only value rnn-parity checks'],
      ['pool_size', 'expected an integer from 1 to 4096, or a list of one'],
      ['padding', 'expected one of valid, same'],
      ['extra', 'an option rnn-parity does not know'],
    ]);
  });

  test('outputShape: valid floor((T - pool) / s) + 1, same ceil(T / s); too short a valid input is a ShapeError', () => {
    expect(maxPooling1d.outputShape({ poolSize: 2, strides: 2, padding: 'valid' }, [[null, 24, 8]])).toEqual([null, 12, 8]);
    expect(maxPooling1d.outputShape({ poolSize: 3, strides: 2, padding: 'valid' }, [[null, 10, 8]])).toEqual([null, 4, 8]);
    expect(maxPooling1d.outputShape({ poolSize: 3, strides: 2, padding: 'same' }, [[null, 9, 8]])).toEqual([null, 5, 8]);
    expect(maxPooling1d.outputShape({ poolSize: 3, strides: 2, padding: 'same' }, [[null, null, 8]])).toEqual([null, null, 8]);
    expect(maxPooling1d.weightShapes({ poolSize: 2, strides: 2, padding: 'valid' }, [[null, 24, 8]])).toEqual([]);
    expect(() => maxPooling1d.outputShape({ poolSize: 4, strides: 1, padding: 'valid' }, [[null, 3, 8]])).toThrow(ShapeError);
    expect(() => maxPooling1d.outputShape({ poolSize: 2, strides: 2, padding: 'valid' }, [[null, 8]])).toThrow(/MaxPooling1D: expected one input/);
  });

  test.each([
    // windows [1, 5], [2, 4]: the 3 is left over
    ['pool 2, valid', { poolSize: 2, strides: 2, padding: 'valid' }, [5, 4]],
    // ceil(5 / 2) = 3 windows; pad total (3 - 1) * 2 + 2 - 5 = 1, all on the right: [1, 5], [2, 4], [3]
    ['pool 2, same', { poolSize: 2, strides: 2, padding: 'same' }, [5, 4, 3]],
    // 5 windows, pad total 2, one on each side: [1, 5], [1, 5, 2], [5, 2, 4], [2, 4, 3], [4, 3]
    ['pool 3, stride 1, same', { poolSize: 3, strides: 1, padding: 'same' }, [5, 5, 5, 4, 4]],
    // windows at 0, 1, 2: [1, 5, 2], [5, 2, 4], [2, 4, 3]
    ['pool 3, stride 1, valid', { poolSize: 3, strides: 1, padding: 'valid' }, [5, 5, 4]],
  ] as const)('hand forward, %s, on x = [1, 5, 2, 4, 3] (exact in both precisions)', (_name, config, expected) => {
    for (const precision of ['float64', 'float32'] as const) {
      const y = handForward(maxPooling1d, config, [], [X], precision);
      expect(y.shape).toEqual([1, expected.length, 1]);
      expect(Array.from(y.data)).toEqual(expected);
    }
  });

  test.each([
    { poolSize: 2, strides: 2, padding: 'valid' },
    { poolSize: 3, strides: 2, padding: 'valid' },
    { poolSize: 2, strides: 2, padding: 'same' },
    { poolSize: 3, strides: 1, padding: 'same' },
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: 4, strides: 3, padding: 'same' },
  ] as Pooling1dConfig[])("tfjs's MaxPooling1D (cpu, %j) equals the hand path exactly", (config) => {
    const x = ndArray([2, 9, 3], seeded(54, 3));
    const layer = tfjsForward(maxPooling1d, config, [], [x]);
    const hand = handForward(maxPooling1d, config, [], [x], 'float32');
    expect(layer).toEqual({ shape: hand.shape, data: Float32Array.from(hand.data) });
  });
});
