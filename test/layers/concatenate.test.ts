/** The Concatenate merge kind: inputs joined along an axis (features by default, time with axis 1). */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { concatenate } from '../../src/layers/concatenate';
import { kindForClass } from '../../src/layers/registry';
import { arithmeticFor } from '../../src/hand/precision';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/functional-merges/model.keras, config.json (Keras 3.15.1): layer "steps"
const KERAS_CONFIG = { name: 'steps', trainable: true, dtype: KERAS_DTYPE, axis: 1 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Concatenate (concatenate)', () => {
  test('is registered under Concatenate for both sources', () => {
    expect(kindForClass('Concatenate', 'keras')).toBe(concatenate);
    expect(kindForClass('Concatenate', 'tfjs')).toBe(concatenate);
  });

  test('reads a real Keras 3 config; axis absent is -1; axis 0 (the batch) and non-integers are blockers', () => {
    expect(readWith(concatenate, KERAS_CONFIG)).toEqual({ config: { axis: 1 }, blockers: [] });
    expect(readWith(concatenate, { name: 'c' }).config).toEqual({ axis: -1 });
    for (const axis of [0, 1.5, 'last', 9]) {
      expect(readWith(concatenate, { ...KERAS_CONFIG, axis }).blockers.map((b) => [b.option, b.reason])).toEqual([
        ['axis', 'expected a non-zero integer from -7 to 7 (0 is the batch axis)'],
      ]);
    }
  });

  test('outputShape: the axis sizes add (unknown if one is), the others must match', () => {
    expect(
      concatenate.outputShape({ axis: -1 }, [
        [null, 10, 6],
        [null, 10, 6],
      ]),
    ).toEqual([null, 10, 12]);
    expect(
      concatenate.outputShape({ axis: 1 }, [
        [null, 10, 6],
        [null, 10, 6],
      ]),
    ).toEqual([null, 20, 6]);
    expect(
      concatenate.outputShape({ axis: -2 }, [
        [null, null, 6],
        [null, 10, 6],
      ]),
    ).toEqual([null, null, 6]);
    expect(
      concatenate.outputShape({ axis: -1 }, [
        [null, 4],
        [null, 2],
        [null, 1],
      ]),
    ).toEqual([null, 7]);
    expect(() =>
      concatenate.outputShape({ axis: -1 }, [
        [null, 10, 6],
        [null, 9, 6],
      ]),
    ).toThrow(new ShapeError('Concatenate: expected inputs matching on every axis but -1, got [None, 10, 6] and [None, 9, 6]'));
    expect(() =>
      concatenate.outputShape({ axis: 3 }, [
        [null, 10, 6],
        [null, 10, 6],
      ]),
    ).toThrow(/expected an axis from 1 to 2/);
    expect(() =>
      concatenate.outputShape({ axis: -1 }, [
        [null, 10, 6],
        [null, 6],
      ]),
    ).toThrow(/one rank/);
    expect(() => concatenate.outputShape({ axis: -1 }, [[null, 6]])).toThrow(/at least 2 inputs/);
  });

  test('hand forward: along the features, and along time', () => {
    // a [1, 2, 2] = [[1, 2], [3, 4]], b [1, 2, 1] = [[5], [6]]: axis -1 -> [[1, 2, 5], [3, 4, 6]]
    const a = ndArray([1, 2, 2], [1, 2, 3, 4]);
    const b = ndArray([1, 2, 1], [5, 6]);
    const y = handForward(concatenate, { axis: -1 }, [], [a, b]);
    expect(y).toEqual({ shape: [1, 2, 3], data: Float64Array.of(1, 2, 5, 3, 4, 6) });
    // axis 1: a's steps, then c's: [[1, 2], [3, 4], [7, 8]]; float32 copies the same values
    const c = ndArray([1, 1, 2], [7, 8]);
    expect(handForward(concatenate, { axis: 1 }, [], [a, c], 'float32')).toEqual({ shape: [1, 3, 2], data: Float32Array.of(1, 2, 3, 4, 7, 8) });
  });

  test('a masked input is refused (Keras merges masks; not checked yet)', () => {
    const masked = { shape: [1, 1, 2], data: Float64Array.of(1, 2), mask: Uint8Array.of(1) };
    expect(() => concatenate.forward({ axis: -1 }, [], [masked, masked], arithmeticFor('float64'))).toThrow(
      /Concatenate: expected inputs without a padding mask/,
    );
  });

  test.each([
    [-1, [2, 5, 3], [2, 5, 4]],
    [1, [2, 5, 3], [2, 2, 3]],
    [-2, [2, 4, 3], [2, 1, 3]],
    [-1, [2, 3], [2, 6]],
  ])("tfjs's Concatenate (cpu, axis %i) of %j and %j equals the hand path", (axis, shapeA, shapeB) => {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const inputs = [ndArray(shapeA, seeded(size(shapeA), 5)), ndArray(shapeB, seeded(size(shapeB), 6))];
    const layer = tfjsForward(concatenate, { axis }, [], inputs);
    const hand = handForward(concatenate, { axis }, [], inputs, 'float32');
    expect(layer).toEqual({ shape: hand.shape, data: Float32Array.from(hand.data) });
  });
});

test("tfjs 4.22's own Concatenate joins along the last axis for any negative axis (the layer path's does not)", () => {
  // a, b [1, 2, 2]: Keras's axis -2 gives [1, 4, 2]; tfjs's K.concatenate turns -2 into -1 and gives [1, 2, 4]
  const own = tf.tidy(() => {
    const a = tf.tensor3d([1, 2, 3, 4], [1, 2, 2]);
    const b = tf.tensor3d([5, 6, 7, 8], [1, 2, 2]);
    const y = tf.layers.concatenate({ axis: -2 }).apply([a, b]) as tf.Tensor;
    return { shape: y.shape, data: Array.from(y.dataSync()) };
  });
  expect(own).toEqual({ shape: [1, 2, 4], data: [1, 2, 5, 6, 3, 4, 7, 8] });
  const inputs = [ndArray([1, 2, 2], [1, 2, 3, 4]), ndArray([1, 2, 2], [5, 6, 7, 8])];
  expect(tfjsForward(concatenate, { axis: -2 }, [], inputs)).toEqual({ shape: [1, 4, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
});
