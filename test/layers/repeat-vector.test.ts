/** The RepeatVector layer kind: [batch, features] -> [batch, n, features]. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { repeatVector } from '../../src/layers/repeat-vector';
import { kindForClass } from '../../src/layers/registry';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/lstm-autoencoder/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = { name: 'repeat_vector', trainable: true, dtype: KERAS_DTYPE, n: 8 };

describe('RepeatVector (repeat-vector)', () => {
  test('is registered under RepeatVector for both sources', () => {
    expect(kindForClass('RepeatVector', 'keras')).toBe(repeatVector);
    expect(kindForClass('RepeatVector', 'tfjs')).toBe(repeatVector);
  });

  test('reads a real Keras 3 config; n must be a positive integer', () => {
    expect(readWith(repeatVector, KERAS_CONFIG)).toEqual({ config: { n: 8 }, blockers: [] });
    for (const n of [0, 2.5, null, '8']) {
      expect(readWith(repeatVector, { ...KERAS_CONFIG, n }).blockers.map((b) => [b.option, b.reason])).toEqual([
        ['n', 'expected an integer from 1 to 1048576'],
      ]);
    }
    expect(readWith(repeatVector, { ...KERAS_CONFIG, axis: 1 }).blockers.map((b) => b.option)).toEqual(['axis']);
  });

  test('outputShape [batch, n, features]; a sequence input is a ShapeError', () => {
    expect(repeatVector.outputShape({ n: 8 }, [[null, 6]])).toEqual([null, 8, 6]);
    expect(repeatVector.weightShapes({ n: 8 }, [[null, 6]])).toEqual([]);
    expect(() => repeatVector.outputShape({ n: 8 }, [[null, 8, 6]])).toThrow(
      new ShapeError('RepeatVector: expected one input [batch, features], got [None, 8, 6]'),
    );
  });

  test('hand forward: each sample repeated n times (exact in both precisions)', () => {
    // x [2, 2] = [[1, 2], [3, 4]], n = 3 -> [[[1, 2], [1, 2], [1, 2]], [[3, 4], [3, 4], [3, 4]]]
    const x = ndArray([2, 2], [1, 2, 3, 4]);
    for (const precision of ['float64', 'float32'] as const) {
      const y = handForward(repeatVector, { n: 3 }, [], [x], precision);
      expect(y.shape).toEqual([2, 3, 2]);
      expect(Array.from(y.data)).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    }
  });

  test("tfjs's RepeatVector (cpu) equals the hand path", async () => {
    await tf.setBackend('cpu');
    const x = ndArray([3, 5], seeded(15, 7));
    const hand = handForward(repeatVector, { n: 4 }, [], [x], 'float32');
    expect(tfjsForward(repeatVector, { n: 4 }, [], [x])).toEqual({ shape: hand.shape, data: Float32Array.from(hand.data) });
  });
});
