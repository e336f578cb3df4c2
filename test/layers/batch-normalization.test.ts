/**
 * The BatchNormalization layer kind (inference: the moving statistics): config, shapes, the hand forward in
 * Keras 3's order (x * inv + (beta - moving_mean * inv), inv = gamma * rsqrt(moving_variance + epsilon)),
 * tfjs's BatchNormalization.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { batchNormalization, type BatchNormalizationConfig } from '../../src/layers/batch-normalization';
import { kindForClass } from '../../src/layers/registry';
import { expectClose } from '../helpers/expect-close';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, kerasInitializer, maxAbsDiff, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/batchnorm-stack/model.keras, config.json (Keras 3.15.1): the third BatchNormalization
const KERAS_CONFIG = {
  name: 'batch_normalization_2',
  trainable: true,
  dtype: KERAS_DTYPE,
  axis: -1,
  momentum: 0.99,
  epsilon: 1e-5,
  center: false,
  scale: true,
  beta_initializer: kerasInitializer('Zeros'),
  gamma_initializer: kerasInitializer('Ones'),
  moving_mean_initializer: kerasInitializer('Zeros'),
  moving_variance_initializer: kerasInitializer('Ones'),
  beta_regularizer: null,
  gamma_regularizer: null,
  beta_constraint: null,
  gamma_constraint: null,
  synchronized: false,
  renorm: false,
  renorm_clipping: null,
  renorm_momentum: 0.99,
};

const FULL: BatchNormalizationConfig = { axis: -1, epsilon: 0.001, center: true, scale: true, momentum: 0.99 };

function weightsFor(config: BatchNormalizationConfig, d: number, seed: number): { shape: readonly number[]; data: Float32Array }[] {
  // gamma U(0, 2), beta U(-1, 1), moving_mean U(-1, 1), moving_variance U(0.5, 2.5): a variance is positive
  const offset: Record<string, number> = { gamma: 1, beta: 0, moving_mean: 0, moving_variance: 1.5 };
  return batchNormalization.weightShapes(config, [[null, d]]).map((w, i) => ({ shape: w.shape, data: seeded(d, seed + i, offset[w.name]) }));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('BatchNormalization (batch-normalization)', () => {
  test('is registered under BatchNormalization for both sources', () => {
    expect(kindForClass('BatchNormalization', 'keras')).toBe(batchNormalization);
    expect(kindForClass('BatchNormalization', 'tfjs')).toBe(batchNormalization);
  });

  test('reads a real Keras 3 config; renorm, other axes, bad values and unknown keys are blockers', () => {
    expect(readWith(batchNormalization, KERAS_CONFIG)).toEqual({
      config: { axis: -1, epsilon: 1e-5, center: false, scale: true, momentum: 0.99 },
      blockers: [],
    });
    const raw = { ...KERAS_CONFIG, renorm: true, axis: [1, 2], momentum: 2, scale: 1, fused: true };
    expect(readWith(batchNormalization, raw).blockers.map((b) => [b.option, b.reason])).toEqual([
      ['renorm', 'expected false, the only value rnn-parity checks'],
      ['axis', 'expected -1 (the last axis), the only axis rnn-parity checks'],
      ['scale', 'expected true or false'],
      ['momentum', 'expected a number from 0 to 1'],
      ['fused', 'an option rnn-parity does not know'],
    ]);
  });

  test('outputShape is the input (rank 2 to 4, last axis); weights gamma, beta, moving_mean, moving_variance as present', () => {
    expect(batchNormalization.outputShape(FULL, [[null, 12, 5]])).toEqual([null, 12, 5]);
    expect(batchNormalization.outputShape({ ...FULL, axis: 1 }, [[null, 6]])).toEqual([null, 6]);
    expect(() => batchNormalization.outputShape({ ...FULL, axis: 1 }, [[null, 12, 5]])).toThrow(ShapeError);
    expect(() => batchNormalization.outputShape(FULL, [[null, 1, 2, 3, 4]])).toThrow(/rank 2 to 4/);
    expect(batchNormalization.weightShapes(FULL, [[null, 12, 5]]).map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(batchNormalization.weightShapes({ ...FULL, scale: false }, [[null, 5]]).map((w) => w.name)).toEqual(['beta', 'moving_mean', 'moving_variance']);
    expect(batchNormalization.weightShapes({ ...FULL, center: false }, [[null, 5]]).map((w) => w.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
  });

  test('hand forward with the moving statistics, epsilon 0.5 (exact in both precisions)', () => {
    // x [2, 2] = [[3, 5], [1, -1]]; gamma [2, 1], beta [1, 0], moving_mean [1, 1], moving_variance [3.5, 0.5]
    // inv = gamma * rsqrt(variance + 0.5) = [2 / 2, 1 / 1] = [1, 1]; shift = beta - mean * inv = [0, -1]
    // y = x * inv + shift = [[3, 4], [1, -2]]  (= (x - mean) * gamma / sqrt(variance + epsilon) + beta)
    const x = ndArray([2, 2], [3, 5, 1, -1]);
    const [gamma, beta, mean, variance] = [Float32Array.of(2, 1), Float32Array.of(1, 0), Float32Array.of(1, 1), Float32Array.of(3.5, 0.5)];
    const config = { ...FULL, epsilon: 0.5 };
    for (const precision of ['float64', 'float32'] as const) {
      expect(Array.from(handForward(batchNormalization, config, [gamma, beta, mean, variance], [x], precision).data)).toEqual([3, 4, 1, -2]);
    }
    // center=False: shift = -mean * inv = [-1, -1] -> [[2, 4], [0, -2]]; scale=False: inv = [0.5, 1], shift = [0.5, -1]
    expect(Array.from(handForward(batchNormalization, { ...config, center: false }, [gamma, mean, variance], [x]).data)).toEqual([2, 4, 0, -2]);
    expect(Array.from(handForward(batchNormalization, { ...config, scale: false }, [beta, mean, variance], [x]).data)).toEqual([2, 4, 1, -2]);
  });

  test.each([
    ['rank 3', FULL, [2, 5, 6]],
    ['rank 2, epsilon 1e-5', { ...FULL, epsilon: 1e-5 }, [4, 6]],
    ['no center', { ...FULL, center: false }, [2, 5, 6]],
    ['no scale', { ...FULL, scale: false }, [2, 5, 6]],
  ] as const)("tfjs's BatchNormalization (cpu, %s) agrees with the hand path", (_name, config, shape) => {
    const x = ndArray(
      shape,
      seeded(
        shape.reduce((a, b) => a * b, 1),
        14,
      ),
    );
    const weights = weightsFor(config, 6, 50);
    const layer = tfjsForward(batchNormalization, config, weights, [x]);
    expectClose(
      layer,
      handForward(
        batchNormalization,
        config,
        weights.map((w) => w.data),
        [x],
      ),
      { atol: 1e-6, rtol: 1e-6 },
    );
  });

  test("tfjs's order of operations and Keras's round differently in float32, by a few float32 ulp", () => {
    const x = ndArray([256, 16, 32], seeded(256 * 16 * 32, 15));
    const weights = weightsFor(FULL, 32, 60);
    const reference = handForward(
      batchNormalization,
      FULL,
      weights.map((w) => w.data),
      [x],
    );
    const kerasOrder = handForward(
      batchNormalization,
      FULL,
      weights.map((w) => w.data),
      [x],
      'float32',
    );
    const tfjs = tfjsForward(batchNormalization, FULL, weights, [x]);
    // Measured (cpu): Keras's order in float32 is 5.7e-7 from float64, tfjs's 1.2e-7; the two 4.8e-7 apart (|y| up to 3.4).
    expect(maxAbsDiff(kerasOrder.data, reference.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(tfjs.data, reference.data)).toBeLessThan(1e-6);
  });
});
