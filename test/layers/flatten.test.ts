/** The Flatten layer kind: config, shapes (unknown dimensions refused), the hand forward, tfjs's Flatten. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { flatten } from '../../src/layers/flatten';
import { kindForClass } from '../../src/layers/registry';
import { arithmeticFor } from '../../src/hand/precision';
import { readWith } from './inference-identity-cases';

// models/keras-models/dense-activations/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'flatten',
  trainable: true,
  dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140470966087632 },
  data_format: 'channels_last',
};

const LAST = { dataFormat: 'channels_last' } as const;
const FIRST = { dataFormat: 'channels_first' } as const;
const f64 = arithmeticFor('float64');

describe('Flatten (flatten)', () => {
  test('is registered under Flatten for both sources', () => {
    expect(kindForClass('Flatten', 'keras')).toBe(flatten);
    expect(kindForClass('Flatten', 'tfjs')).toBe(flatten);
  });

  test('reads a real Keras 3 config; data_format null or absent is channels_last; bad values are blockers', () => {
    expect(readWith(flatten, KERAS_CONFIG)).toEqual({ config: LAST, blockers: [] });
    expect(readWith(flatten, { ...KERAS_CONFIG, data_format: null }).config).toEqual(LAST);
    expect(readWith(flatten, { name: 'flatten', trainable: true }).config).toEqual(LAST);
    expect(readWith(flatten, { ...KERAS_CONFIG, data_format: 'channels_first' }, 'tfjs').config).toEqual(FIRST);
    const bad = readWith(flatten, { ...KERAS_CONFIG, data_format: 'NHWC', colour: 'red' }).blockers;
    expect(bad.map((b) => [b.option, b.reason])).toEqual([
      ['data_format', 'expected one of channels_last, channels_first'],
      ['colour', 'an option rnn-parity does not know'],
    ]);
  });

  test('outputShape multiplies the non-batch dimensions; an unknown one is a ShapeError', () => {
    expect(flatten.outputShape(LAST, [[null, 12, 5]])).toEqual([null, 60]);
    expect(flatten.outputShape(LAST, [[4, 2, 3, 5]])).toEqual([4, 30]);
    expect(flatten.outputShape(LAST, [[null, 7]])).toEqual([null, 7]);
    expect(() => flatten.outputShape(LAST, [[null, null, 5]])).toThrow(ShapeError);
    expect(() => flatten.outputShape(LAST, [[null, null, 5]])).toThrow('Flatten: expected every non-batch dimension known, got [None, None, 5]');
    expect(() => flatten.outputShape(LAST, [[null]])).toThrow(/rank >= 2/);
  });

  test('hand forward, channels_last: same values, [batch, d1 * d2]', () => {
    // x [2, 2, 3] = 0..11 -> [2, 6], the same order
    const input = { shape: [2, 2, 3], data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const y = flatten.forward(LAST, [], [input], f64);
    expect(y.shape).toEqual([2, 6]);
    expect(Array.from(y.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('hand forward, channels_first: the channel axis goes last, then flattens', () => {
    // sample 0 of x [2, 2, 3] is [[0, 1, 2], [3, 4, 5]] (channels d1 = 2, positions d2 = 3);
    // transposed to [3, 2]: [[0, 3], [1, 4], [2, 5]] -> [0, 3, 1, 4, 2, 5]; sample 1 adds 6.
    const input = { shape: [2, 2, 3], data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const y = flatten.forward(FIRST, [], [input], f64);
    expect(y.shape).toEqual([2, 6]);
    expect(Array.from(y.data)).toEqual([0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]);
  });

  test.each([
    ['channels_last', [2, 3, 4]],
    ['channels_first', [2, 3, 4]],
    ['channels_last', [2, 5]],
    ['channels_first', [2, 2, 2, 3]],
  ] as const)("tfjs's Flatten (cpu, %s) over %j agrees with the hand path", async (dataFormat, shape) => {
    await tf.setBackend('cpu');
    const config = { dataFormat };
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => i);
    const before = tf.memory().numTensors;
    const input = tf.input({ shape: shape.slice(1) });
    const model = tf.model({ inputs: input, outputs: flatten.tfjsLayer(config, 'flat').apply(input) as tf.SymbolicTensor });
    expect(model.outputs[0].shape).toEqual(flatten.outputShape(config, [[null, ...shape.slice(1)]]));
    const y = tf.tidy(() => (model.predict(tf.tensor(values, [...shape])) as tf.Tensor).dataSync());
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const hand = flatten.forward(config, [], [{ shape, data: Float64Array.from(values) }], f64);
    expect(Array.from(y)).toEqual(Array.from(hand.data));
  });
});
