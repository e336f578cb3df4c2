/** The GlobalMaxPooling1D layer kind: the max over all time steps, per channel; keepdims (tfjs lacks it). */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { globalMaxPooling1d } from '../../src/layers/global-max-pooling-1d';
import { kindForClass } from '../../src/layers/registry';
import { expectClose } from '../helpers/expect-close';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

const KIND = globalMaxPooling1d;
// models/keras-models/lstm-layernorm/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = { name: 'global_max_pooling1d', trainable: true, dtype: KERAS_DTYPE, data_format: 'channels_last', keepdims: false };
// x [1, 3, 2] = [[1, -2], [4, 0], [-3, 5]]
const X = ndArray([1, 3, 2], [1, -2, 4, 0, -3, 5]);
// per channel: max(1, 4, -3) = 4, max(-2, 0, 5) = 5 (exact in both precisions)
const WORKED = { float64: [4, 5], float32: [4, 5] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GlobalMaxPooling1D (global-max-pooling-1d)', () => {
  test('is registered under GlobalMaxPooling1D for both sources', () => {
    expect(kindForClass('GlobalMaxPooling1D', 'keras')).toBe(KIND);
    expect(kindForClass('GlobalMaxPooling1D', 'tfjs')).toBe(KIND);
  });

  test('reads a real Keras 3 config; tfjs writes neither key; bad options are blockers', () => {
    expect(readWith(KIND, KERAS_CONFIG)).toEqual({ config: { keepdims: KERAS_CONFIG.keepdims }, blockers: [] });
    expect(readWith(KIND, { name: 'g', trainable: true, dtype: 'float32' }, 'tfjs')).toEqual({ config: { keepdims: false }, blockers: [] });
    const { blockers } = readWith(KIND, { ...KERAS_CONFIG, data_format: 'channels_first', keepdims: 'yes', pool_size: 2 });
    expect(blockers.map((b) => b.option)).toEqual(['data_format', 'keepdims', 'pool_size']);
  });

  test('outputShape [batch, channels], [batch, 1, channels] with keepdims; other ranks are ShapeErrors', () => {
    expect(KIND.outputShape({ keepdims: false }, [[null, null, 6]])).toEqual([null, 6]);
    expect(KIND.outputShape({ keepdims: true }, [[null, 10, 6]])).toEqual([null, 1, 6]);
    expect(KIND.weightShapes({ keepdims: false }, [[null, 10, 6]])).toEqual([]);
    expect(() => KIND.outputShape({ keepdims: false }, [[null, 6]])).toThrow(ShapeError);
  });

  test('hand forward on x = [[1, -2], [4, 0], [-3, 5]], with and without keepdims', () => {
    expect(handForward(KIND, { keepdims: false }, [], [X], 'float64')).toEqual({ shape: [1, 2], data: Float64Array.from(WORKED.float64) });
    expect(handForward(KIND, { keepdims: true }, [], [X], 'float32')).toEqual({ shape: [1, 1, 2], data: Float32Array.from(WORKED.float32) });
  });

  test('keepdims is a parity note (tfjs 4.22 has no keepdims)', () => {
    expect(KIND.parityNotes?.({ keepdims: true }).map((n) => n.id)).toEqual(['global-pooling-keepdims']);
    expect(KIND.parityNotes?.({ keepdims: false })).toEqual([]);
  });

  test.each([false, true])("tfjs's GlobalMaxPooling1D (cpu, keepdims %s) agrees with the hand path", (keepdims) => {
    const x = ndArray([3, 7, 4], seeded(84, 8));
    const layer = tfjsForward(KIND, { keepdims }, [], [x]);
    expectClose(layer, handForward(KIND, { keepdims }, [], [x]), { atol: 1e-7, rtol: 1e-6 });
  });
});
