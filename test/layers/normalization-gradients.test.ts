/**
 * The hand backward of LayerNormalization and BatchNormalization (inference: the moving statistics get
 * gradients too) against central finite differences of their own hand forward (test/helpers/kind-gradients.ts),
 * in float64, over ranks 2 to 4, both ways of writing the last axis, center/scale on and off and two epsilons;
 * the float32 mode against float64; and the checker catching a wrong gradient. Loads no tfjs.
 */
import { batchNormalization, type BatchNormalizationConfig } from '../../src/layers/batch-normalization';
import type { AnyLayerKind } from '../../src/layers/kind';
import { layerNormalization, type LayerNormalizationConfig } from '../../src/layers/layer-normalization';
import { kindGradientMismatches, kindGradients, seededValues, type KindGradientCase } from '../helpers/kind-gradients';
import { float32Error, seededTensor } from './gradient-cases';

/** [name, input shape, axis]: the forward normalizes over the last axis only, written -1 or as its index. */
const SHAPES: readonly (readonly [string, readonly number[], number])[] = [
  ['rank 2, axis -1', [3, 5], -1],
  ['rank 3, axis -1', [2, 3, 4], -1],
  ['rank 3, axis 2', [2, 3, 4], 2],
  ['rank 4, axis -1', [2, 2, 2, 3], -1],
  ['one feature', [2, 3, 1], -1],
];

/** center and scale on and off, with Keras's default epsilon and a small one. */
const OPTIONS: readonly { center: boolean; scale: boolean; epsilon: number }[] = [
  { center: true, scale: true, epsilon: 1e-3 },
  { center: false, scale: true, epsilon: 1e-5 },
  { center: true, scale: false, epsilon: 1e-3 },
  { center: false, scale: false, epsilon: 1e-5 },
];

const EVERY = SHAPES.flatMap(([name, shape, axis]) => OPTIONS.map((o) => [`${name}, ${JSON.stringify(o)}`, shape, { axis, ...o }] as const));

function layerNormCase(config: LayerNormalizationConfig, shape: readonly number[], seed: number, mask?: Uint8Array): KindGradientCase {
  const d = shape[shape.length - 1];
  const weights = [...(config.scale ? [seededValues(seed + 1, d, 0.5).map((g) => 1 + g)] : []), ...(config.center ? [seededValues(seed + 2, d, 0.5)] : [])];
  return { kind: layerNormalization, config, weights, inputs: [seededTensor(shape, seed, mask, 2)] };
}

function batchNormCase(config: BatchNormalizationConfig, shape: readonly number[], seed: number, mask?: Uint8Array): KindGradientCase {
  const d = shape[shape.length - 1];
  const weights = [
    ...(config.scale ? [seededValues(seed + 1, d, 0.5).map((g) => 1 + g)] : []),
    ...(config.center ? [seededValues(seed + 2, d, 0.5)] : []),
    seededValues(seed + 3, d, 0.5),
    // moving_variance: positive, some small enough that epsilon matters
    seededValues(seed + 4, d).map((v) => 0.01 + v * v),
  ];
  return { kind: batchNormalization, config, weights, inputs: [seededTensor(shape, seed, mask)] };
}

describe('LayerNormalization backward', () => {
  test.each(EVERY)('%s: matches finite differences (input, gamma, beta)', (_name, shape, config) => {
    expect(kindGradientMismatches(layerNormCase(config, shape, 11))).toEqual([]);
  });

  test('rows of nearly constant values (variance below epsilon): still matches', () => {
    const c = layerNormCase({ axis: -1, center: true, scale: true, epsilon: 1e-3 }, [2, 6], 21);
    const x = c.inputs[0].data.map((v) => 0.5 + 0.01 * v);
    expect(kindGradientMismatches({ ...c, inputs: [{ ...c.inputs[0], data: x }] })).toEqual([]);
  });

  test('a padding mask passes through and is ignored, as in the forward', () => {
    const config: LayerNormalizationConfig = { axis: -1, center: true, scale: true, epsilon: 1e-3 };
    const masked = layerNormCase(config, [2, 3, 4], 31, Uint8Array.of(1, 1, 0, 1, 0, 0));
    expect(kindGradientMismatches(masked)).toEqual([]);
    expect(kindGradients(masked)).toEqual(kindGradients(layerNormCase(config, [2, 3, 4], 31)));
  });

  test('float32 mode stays within 1e-5 of float64 (relative to the largest gradient)', () => {
    // Measured: 0 (one feature, no center: every gradient 0) to 4.2e-7 (rank 3, no scale) over these cases: the
    // recomputed mean and rsqrt, then dx = rsqrt * (g - mean(g) - xhat * mean(g * xhat)), whose subtraction
    // cancels to a few ulps of g (2^-24 = 6e-8 each); dgamma sums 2 to 8 rows. 1e-5 leaves a factor 24 and still
    // fails a float32 path that drops a term (an error of order 1).
    for (const [, shape, config] of EVERY) expect(float32Error(layerNormCase(config, shape, 41))).toBeLessThan(1e-5);
  });

  test('the checker catches a deliberately wrong gradient (the mean(g * xhat) term dropped)', () => {
    const c = layerNormCase({ axis: -1, center: true, scale: true, epsilon: 1e-3 }, [1, 4], 51);
    // dx without the variance's term: rsqrt * (g - mean(g)), the gradient with the variance held constant
    const wrong: AnyLayerKind = {
      ...layerNormalization,
      backward: (config, weights, inputs, outputGrads, arith) => {
        const right = layerNormalization.backward!(config, weights, inputs, outputGrads, arith);
        const x = Array.from(inputs[0].data);
        const mean = x.reduce((a, b) => a + b, 0) / x.length;
        const rsqrt = 1 / Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length + (config as LayerNormalizationConfig).epsilon);
        const g = Array.from(outputGrads[0], (dy, i) => dy * weights[0][i]);
        const gMean = g.reduce((a, b) => a + b, 0) / g.length;
        return { ...right, inputs: [Float64Array.from(g, (v) => rsqrt * (v - gMean))] };
      },
    };
    const mismatches = kindGradientMismatches({ ...c, kind: wrong });
    expect(mismatches.map((m) => m.what)).toEqual(['input 0', 'input 0', 'input 0', 'input 0']);
    for (const m of mismatches) expect(Math.abs(m.analytic - m.numeric)).toBeGreaterThan(1e-3);
  });
});

describe('BatchNormalization backward (inference)', () => {
  test.each(EVERY)('%s: matches finite differences (input, gamma, beta, moving_mean, moving_variance)', (_name, shape, config) => {
    expect(kindGradientMismatches(batchNormCase({ ...config, momentum: 0.99 }, shape, 61))).toEqual([]);
  });

  test('a padding mask passes through and is ignored, as in the forward', () => {
    const config: BatchNormalizationConfig = { axis: -1, center: true, scale: true, epsilon: 1e-3, momentum: 0.99 };
    const masked = batchNormCase(config, [2, 3, 4], 71, Uint8Array.of(1, 0, 0, 1, 1, 0));
    expect(kindGradientMismatches(masked)).toEqual([]);
    expect(kindGradients(masked)).toEqual(kindGradients(batchNormCase(config, [2, 3, 4], 71)));
  });

  test('float32 mode stays within 1e-5 of float64 (relative to the largest gradient)', () => {
    // Measured: 4.6e-8 to 3.4e-7 over these cases (sums of at most 8 rounded products per feature, then
    // sum(dy * x) - moving_mean * sum(dy), which can cancel, and rsqrt^3 for the variance: a few ulps of
    // 2^-24 = 6e-8). 1e-5 leaves a factor 29.
    for (const [, shape, config] of EVERY) expect(float32Error(batchNormCase({ ...config, momentum: 0.99 }, shape, 81))).toBeLessThan(1e-5);
  });

  test('the checker catches a deliberately wrong gradient (moving_variance without the factor 1/2)', () => {
    const c = batchNormCase({ axis: -1, center: true, scale: true, epsilon: 1e-3, momentum: 0.99 }, [3, 2], 91);
    const wrong: AnyLayerKind = {
      ...batchNormalization,
      backward: (config, weights, inputs, outputGrads, arith) => {
        const right = batchNormalization.backward!(config, weights, inputs, outputGrads, arith);
        return { ...right, weights: right.weights.map((g, k) => (k === 3 ? g.map((v) => 2 * v) : g)) };
      },
    };
    const mismatches = kindGradientMismatches({ ...c, kind: wrong });
    expect(mismatches.map((m) => [m.what, m.index])).toEqual([
      ['weight 3', 0],
      ['weight 3', 1],
    ]);
  });
});
