/**
 * The LayerNormalization layer kind: config, shapes, the hand forward in Keras 3's order of operations
 * (x * inv + (beta - mean * inv), inv = gamma * rsqrt(variance + epsilon)), tfjs's LayerNormalization.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { layerNormalization, type LayerNormalizationConfig } from '../../src/layers/layer-normalization';
import { kindForClass } from '../../src/layers/registry';
import { expectClose } from '../helpers/expect-close';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, kerasInitializer, maxAbsDiff, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/lstm-layernorm/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'layer_normalization',
  trainable: true,
  dtype: KERAS_DTYPE,
  axis: [-1],
  epsilon: 0.001,
  center: true,
  scale: true,
  rms_scaling: false,
  beta_initializer: kerasInitializer('Zeros'),
  gamma_initializer: kerasInitializer('Ones'),
  beta_regularizer: null,
  gamma_regularizer: null,
  beta_constraint: null,
  gamma_constraint: null,
};

const FULL: LayerNormalizationConfig = { axis: -1, epsilon: 0.001, center: true, scale: true };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LayerNormalization (layer-normalization)', () => {
  test('is registered under LayerNormalization for both sources', () => {
    expect(kindForClass('LayerNormalization', 'keras')).toBe(layerNormalization);
    expect(kindForClass('LayerNormalization', 'tfjs')).toBe(layerNormalization);
  });

  test("reads a real Keras 3 config, and tfjs's (axis resolved to [2] by its build)", () => {
    expect(readWith(layerNormalization, KERAS_CONFIG)).toEqual({ config: FULL, blockers: [] });
    const tfjsConfig = {
      name: 'ln',
      trainable: true,
      dtype: 'float32',
      axis: [2],
      epsilon: 1e-5,
      center: false,
      scale: true,
      beta_initializer: null,
      gamma_initializer: null,
      beta_regularizer: null,
      gamma_regularizer: null,
    };
    expect(readWith(layerNormalization, tfjsConfig, 'tfjs')).toEqual({ config: { axis: 2, epsilon: 1e-5, center: false, scale: true }, blockers: [] });
  });

  test('other axes, rms_scaling, a bad epsilon and unknown keys are blockers', () => {
    const raw = { ...KERAS_CONFIG, axis: [1, 2], rms_scaling: true, epsilon: -1, center: 'yes', extra: 0 };
    expect(readWith(layerNormalization, raw).blockers.map((b) => [b.option, b.reason])).toEqual([
      ['rms_scaling', 'expected false, the only value rnn-parity checks'],
      ['axis', 'expected -1 (the last axis), the only axis rnn-parity checks'],
      ['epsilon', 'expected a number from 0 to 1'],
      ['center', 'expected true or false'],
      ['extra', 'an option rnn-parity does not know'],
    ]);
  });

  test('outputShape is the input shape; an axis that is not the last is a ShapeError; weights gamma, beta', () => {
    expect(layerNormalization.outputShape(FULL, [[null, 10, 8]])).toEqual([null, 10, 8]);
    expect(layerNormalization.outputShape({ ...FULL, axis: 2 }, [[null, 10, 8]])).toEqual([null, 10, 8]);
    expect(() => layerNormalization.outputShape({ ...FULL, axis: 1 }, [[null, 10, 8]])).toThrow(
      new ShapeError('LayerNormalization: expected axis -1 or 2 (the last axis of [None, 10, 8]), got 1'),
    );
    expect(() => layerNormalization.outputShape(FULL, [[null, 10, null]])).toThrow(ShapeError);
    expect(layerNormalization.weightShapes(FULL, [[null, 10, 8]])).toEqual([
      { name: 'gamma', shape: [8] },
      { name: 'beta', shape: [8] },
    ]);
    expect(layerNormalization.weightShapes({ ...FULL, scale: false }, [[null, 8]])).toEqual([{ name: 'beta', shape: [8] }]);
    expect(layerNormalization.reductionSize(FULL, [[null, 10, 8]])).toBe(8);
  });

  test('hand forward on x = [1, 2, 3, 6], epsilon 0.5 (exact in both precisions)', () => {
    // mean 3; deviations [-2, -1, 0, 3], variance (4 + 1 + 0 + 9) / 4 = 3.5; rsqrt(3.5 + 0.5) = 0.5
    // gamma [1, 2, 1, 1]: inv = [0.5, 1, 0.5, 0.5]; beta [0, 0, 1, 0]: res = -3 * inv + beta = [-1.5, -3, -0.5, -1.5]
    // y = x * inv + res = [0.5 - 1.5, 2 - 3, 1.5 - 0.5, 3 - 1.5] = [-1, -1, 1, 1.5]
    const x = ndArray([1, 4], [1, 2, 3, 6]);
    const gamma = Float32Array.of(1, 2, 1, 1);
    const beta = Float32Array.of(0, 0, 1, 0);
    const config = { ...FULL, epsilon: 0.5 };
    for (const precision of ['float64', 'float32'] as const) {
      expect(Array.from(handForward(layerNormalization, config, [gamma, beta], [x], precision).data)).toEqual([-1, -1, 1, 1.5]);
    }
    // center=False: no beta, y = [-1, -1, 0, 1.5]; scale=False: inv = 0.5, y = [-1, -0.5, 1, 1.5]
    expect(Array.from(handForward(layerNormalization, { ...config, center: false }, [gamma], [x]).data)).toEqual([-1, -1, 0, 1.5]);
    expect(Array.from(handForward(layerNormalization, { ...config, scale: false }, [beta], [x]).data)).toEqual([-1, -0.5, 1, 1.5]);
  });

  test.each([
    ['epsilon 1e-3', FULL],
    ['epsilon 1e-5', { ...FULL, epsilon: 1e-5 }],
    ['no center', { ...FULL, center: false }],
    ['no scale', { ...FULL, scale: false }],
    ['neither', { ...FULL, center: false, scale: false }],
  ] as const)("tfjs's LayerNormalization (cpu, %s) agrees with the hand path", (_name, config) => {
    const x = ndArray([2, 5, 8], seeded(80, 9));
    const weights = layerNormalization
      .weightShapes(config, [[null, 5, 8]])
      .map((w, i) => ({ shape: w.shape, data: seeded(8, 40 + i, w.name === 'gamma' ? 1 : 0) }));
    const layer = tfjsForward(layerNormalization, config, weights, [x]);
    expectClose(
      layer,
      handForward(
        layerNormalization,
        config,
        weights.map((w) => w.data),
        [x],
      ),
      { atol: 1e-6, rtol: 1e-6 },
    );
  });

  test("tfjs's order of operations and Keras's round differently in float32, by a few float32 ulp", () => {
    // 4096 rows of 32 features U(-1, 1), gamma U(0, 2), beta U(-1, 1), epsilon 1e-3: max |y - float64 reference|
    const x = ndArray([128, 32, 32], seeded(128 * 32 * 32, 11));
    const gamma = seeded(32, 12, 1);
    const beta = seeded(32, 13);
    const reference = handForward(layerNormalization, FULL, [gamma, beta], [x]);
    const kerasOrder = handForward(layerNormalization, FULL, [gamma, beta], [x], 'float32');
    const tfjs = tfjsForward(
      layerNormalization,
      FULL,
      [
        { shape: [32], data: gamma },
        { shape: [32], data: beta },
      ],
      [x],
    );
    // Measured (cpu): Keras's order in float32 is 8.3e-7 from float64, tfjs's 3.5e-7; the two 9.5e-7 apart (|y| up to 5.0).
    expect(maxAbsDiff(kerasOrder.data, reference.data)).toBeLessThan(1e-6);
    expect(maxAbsDiff(tfjs.data, reference.data)).toBeLessThan(1e-6);
  });
});
