/**
 * The Activation layer kind: config reading (Keras 3 and tfjs names), shapes, the hand forward on worked
 * numbers, and tfjs's Activation layer against the hand path.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { activation } from '../../src/layers/activation';
import { kindForClass } from '../../src/layers/registry';
import { arithmeticFor } from '../../src/hand/precision';
import { expectClose } from '../helpers/expect-close';
import { readWith } from './inference-identity-cases';

// models/keras-models/activation-layer-head/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'activation',
  trainable: true,
  dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140471883068368 },
  activation: 'softmax',
};

const f64 = arithmeticFor('float64');

describe('Activation (activation)', () => {
  test('is registered under Activation for both sources', () => {
    expect(kindForClass('Activation', 'keras')).toBe(activation);
    expect(kindForClass('Activation', 'tfjs')).toBe(activation);
  });

  test('reads a real Keras 3 config; aliases resolve; tfjs names map back', () => {
    expect(readWith(activation, KERAS_CONFIG)).toEqual({ config: { activation: 'softmax' }, blockers: [] });
    expect(readWith(activation, { ...KERAS_CONFIG, activation: 'swish' }).config).toEqual({ activation: 'silu' });
    expect(readWith(activation, { name: 'a', trainable: true, dtype: 'float32', activation: 'leaky_relu_keras' }, 'tfjs').config).toEqual({
      activation: 'leaky_relu',
    });
    expect(readWith(activation, { name: 'a', activation: 'hard_sigmoid' }, 'tfjs').config).toEqual({ activation: 'hard_sigmoid_tfjs' });
  });

  test('lists every bad option: unknown name, glu, missing, unknown key', () => {
    const bad = readWith(activation, { ...KERAS_CONFIG, activation: 'swishy', colour: 'red' }).blockers;
    expect(bad.map((b) => b.option)).toEqual(['activation', 'colour']);
    expect(readWith(activation, { ...KERAS_CONFIG, activation: 'glu' }).blockers[0].reason).toMatch(/halves the last axis/);
    const missing: Record<string, unknown> = { ...KERAS_CONFIG };
    delete missing.activation;
    expect(readWith(activation, missing).blockers.map((b) => b.reason)).toEqual(['expected an activation name']);
  });

  test('outputShape is the input shape; a row activation needs a feature axis', () => {
    expect(activation.outputShape({ activation: 'softmax' }, [[null, 12, 5]])).toEqual([null, 12, 5]);
    expect(activation.outputShape({ activation: 'relu' }, [[null]])).toEqual([null]);
    expect(() => activation.outputShape({ activation: 'softmax' }, [[null]])).toThrow(ShapeError);
    expect(() =>
      activation.outputShape({ activation: 'relu' }, [
        [null, 2],
        [null, 2],
      ]),
    ).toThrow(/Activation\(relu\): expected one input/);
    expect(activation.weightShapes({ activation: 'relu' }, [[null, 2]])).toEqual([]);
  });

  test('hand forward, worked: relu, leaky_relu, softmax along the last axis; the input is not written to', () => {
    // x [1, 2, 2] = [[-1, 2], [0, ln 3]]
    const data = Float64Array.from([-1, 2, 0, Math.log(3)]);
    const input = { shape: [1, 2, 2], data };
    // relu: [0, 2, 0, ln 3]
    expect(Array.from(activation.forward({ activation: 'relu' }, [], [input], f64).data)).toEqual([0, 2, 0, Math.log(3)]);
    // leaky_relu: -1 * float32(0.2) = -0.20000000298023224
    expect(activation.forward({ activation: 'leaky_relu' }, [], [input], f64).data[0]).toBe(-0.20000000298023224);
    // softmax per row: [e^-1, e^2] / (e^-1 + e^2) = [0.04742587317756678, 0.9525741268224334]; [1, 3] / 4
    const y = activation.forward({ activation: 'softmax' }, [], [input], f64);
    expect(y.shape).toEqual([1, 2, 2]);
    expectClose(y.data, [0.04742587317756678, 0.9525741268224334, 0.25, 0.75], { atol: 0, rtol: 1e-15 });
    expect(Array.from(data)).toEqual([-1, 2, 0, Math.log(3)]);
  });

  test.each(['relu', 'gelu', 'sparsemax', 'log_softmax', 'hard_sigmoid', 'celu'])("tfjs's Activation(%s) (cpu) agrees with the hand path", async (name) => {
    await tf.setBackend('cpu');
    const x = Array.from({ length: 12 }, (_, i) => Math.fround(Math.cos(i * 2.1) * 4));
    const y = tf.tidy(() => (activation.tfjsLayer({ activation: name }, 'act').apply(tf.tensor3d(x, [1, 3, 4])) as tf.Tensor).dataSync());
    const hand = activation.forward({ activation: name }, [], [{ shape: [1, 3, 4], data: Float64Array.from(x) }], f64);
    // float32 against float64, as in test/layers/activations-tfjs.test.ts (gelu's erf: atol 2.5e-7)
    expectClose(y, hand.data, { atol: 2.5e-7, rtol: 1.2e-7 });
  });
});
