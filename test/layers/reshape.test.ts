/** The Reshape layer kind: config, shapes with and without -1, the hand forward, tfjs's Reshape. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { reshape } from '../../src/layers/reshape';
import { kindForClass } from '../../src/layers/registry';
import { arithmeticFor } from '../../src/hand/precision';
import { readWith } from './inference-identity-cases';

// models/keras-models/reshape-input/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'reshape',
  trainable: true,
  dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
  target_shape: [28, 28],
};

const f64 = arithmeticFor('float64');

describe('Reshape (reshape)', () => {
  test('is registered under Reshape for both sources', () => {
    expect(kindForClass('Reshape', 'keras')).toBe(reshape);
    expect(kindForClass('Reshape', 'tfjs')).toBe(reshape);
  });

  test('reads a real Keras 3 config', () => {
    expect(readWith(reshape, KERAS_CONFIG)).toEqual({ config: { targetShape: [28, 28] }, blockers: [] });
    expect(readWith(reshape, { ...KERAS_CONFIG, target_shape: [-1, 4] }).config).toEqual({ targetShape: [-1, 4] });
  });

  test.each([
    ['two -1', [-1, -1]],
    ['a zero', [0, 4]],
    ['a -2', [-2, 4]],
    ['a fraction', [2.5, 4]],
    ['empty', []],
    ['not a list', '28x28'],
    ['absent', undefined],
  ])('target_shape %s is a blocker', (_what, value) => {
    const raw: Record<string, unknown> = { ...KERAS_CONFIG, target_shape: value };
    if (value === undefined) delete raw.target_shape;
    const { blockers } = readWith(reshape, raw);
    expect(blockers.map((b) => [b.option, b.reason])).toEqual([['target_shape', 'expected a list of 1 to 8 positive integers with at most one -1']]);
  });

  test('outputShape: fixed, with -1 resolved, -1 over an unknown dimension stays unknown; mismatches are ShapeErrors', () => {
    expect(reshape.outputShape({ targetShape: [28, 28] }, [[null, 784]])).toEqual([null, 28, 28]);
    // 12 * 5 = 60 values: -1 = 60 / 4 = 15
    expect(reshape.outputShape({ targetShape: [-1, 4] }, [[null, 12, 5]])).toEqual([null, 15, 4]);
    expect(reshape.outputShape({ targetShape: [-1, 5] }, [[null, null, 5]])).toEqual([null, null, 5]);
    expect(() => reshape.outputShape({ targetShape: [28, 27] }, [[null, 784]])).toThrow(ShapeError);
    expect(() => reshape.outputShape({ targetShape: [28, 27] }, [[null, 784]])).toThrow(
      'Reshape: expected 756 values per sample for target_shape [28, 27], got 784',
    );
    expect(() => reshape.outputShape({ targetShape: [-1, 7] }, [[null, 12, 5]])).toThrow(/expected a multiple of 7 values per sample/);
    expect(() => reshape.outputShape({ targetShape: [4] }, [[null]])).toThrow(/rank >= 2/);
  });

  test('hand forward: same values, new shape; -1 resolved from the concrete input', () => {
    // x [2, 6] = 0..11 with target [-1, 2] -> [2, 3, 2], values in the same order
    const input = { shape: [2, 6], data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const y = reshape.forward({ targetShape: [-1, 2] }, [], [input], f64);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(Array.from(y.data)).toEqual(Array.from(input.data));
    expect(() => reshape.forward({ targetShape: [5] }, [], [input], f64)).toThrow(ShapeError);
  });

  test("tfjs's Reshape (cpu) gives the same shape and values", async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const input = tf.input({ shape: [12, 5] });
    const model = tf.model({ inputs: input, outputs: reshape.tfjsLayer({ targetShape: [-1, 4] }, 'rs').apply(input) as tf.SymbolicTensor });
    expect(model.outputs[0].shape).toEqual([null, 15, 4]);
    const values = Array.from({ length: 120 }, (_, i) => i);
    const y = tf.tidy(() => {
      const out = model.predict(tf.tensor3d(values, [2, 12, 5])) as tf.Tensor;
      return { shape: out.shape, data: Array.from(out.dataSync()) };
    });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(y).toEqual({ shape: [2, 15, 4], data: values });
  });

  test('a tfjs Dense after Reshape(4, -1) builds: the -1 is resolved in the symbolic shape (tfjs alone leaves it null)', () => {
    const input = tf.input({ shape: [12, 5] });
    const reshaped = reshape.tfjsLayer({ targetShape: [4, -1] }, 'rs').apply(input) as tf.SymbolicTensor;
    expect(reshaped.shape).toEqual([null, 4, 15]);
    const dense = tf.layers.dense({ units: 2 }).apply(reshaped) as tf.SymbolicTensor;
    expect(dense.shape).toEqual([null, 4, 2]);
    // unknown non-batch dimensions: the -1 stays unknown, as in Keras
    const open = tf.input({ shape: [null, 6] });
    expect((reshape.tfjsLayer({ targetShape: [-1, 3] }, 'rs2').apply(open) as tf.SymbolicTensor).shape).toEqual([null, null, 3]);
  });
});
