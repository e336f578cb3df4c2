/**
 * The hand backward of the weightless and lookup kinds (Activation, the five inference identities, Flatten,
 * Reshape, RepeatVector, Embedding, Masking) against central finite differences of their own hand forward
 * (test/helpers/kind-gradients.ts), in float64; Masking also against TF's gradient, measured; the float32 mode
 * against float64; and the checker catching a deliberately wrong gradient. Dense: dense-gradients.test.ts.
 * Loads no tfjs.
 */
import { activation } from '../../src/layers/activation';
import { alphaDropout } from '../../src/layers/alpha-dropout';
import { dropout } from '../../src/layers/dropout';
import { embedding, type EmbeddingConfig } from '../../src/layers/embedding';
import { flatten } from '../../src/layers/flatten';
import { gaussianDropout } from '../../src/layers/gaussian-dropout';
import { gaussianNoise } from '../../src/layers/gaussian-noise';
import type { AnyLayerKind, HandTensor } from '../../src/layers/kind';
import { masking } from '../../src/layers/masking';
import { repeatVector } from '../../src/layers/repeat-vector';
import { reshape } from '../../src/layers/reshape';
import { spatialDropout1d } from '../../src/layers/spatial-dropout-1d';
import { ELEMENTWISE, ROWWISE } from '../../src/hand/activations';
import { arithmeticFor } from '../../src/hand/precision';
import { kindGradientMismatches, kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

/** A seeded float64 tensor, N(0, 1) * scale. */
function seeded(shape: readonly number[], seed: number, scale = 1): HandTensor {
  return {
    shape,
    data: seededValues(
      seed,
      shape.reduce((a, b) => a * b, 1),
      scale,
    ),
  };
}

/** A weightless kind on one seeded input. */
function weightless(kind: AnyLayerKind, config: unknown, shape: readonly number[], seed: number, scale = 1): KindGradientCase {
  return { kind, config, weights: [], inputs: [seeded(shape, seed, scale)] };
}

/**
 * The float32 mode's largest relative error (max |f32 - f64| / max |f64| per gradient) against float64, with
 * every gradient a Float32Array.
 */
function float32Error(c: KindGradientCase): number {
  const exact = kindGradients(c, 'float64');
  const rounded = kindGradients(c, 'float32');
  const pairs = [...exact.inputs.map((g, i) => [g, rounded.inputs[i]]), ...exact.weights.map((g, i) => [g, rounded.weights[i]])].filter(([g]) => g !== null);
  for (const [, b] of pairs) expect(b).toBeInstanceOf(Float32Array);
  return Math.max(...pairs.map(([a, b]) => relativeMaxError(b as Float32Array, a as Float64Array)));
}

/**
 * The float32 tolerance of the exact kinds (identities, Flatten, Reshape, Masking: values only move, so float32
 * only rounds dL/dy once on the way in): half a float32 ulp, 2^-24 = 6.0e-8 relative, a bound; measured 3.2e-8.
 */
const MOVE_ONLY_RTOL = 2 ** -24;

describe('Activation backward = finite differences (float64)', () => {
  const names = [...Object.keys(ELEMENTWISE), ...Object.keys(ROWWISE)].sort();
  // sparsemax: logits of scale 0.3 leave Keras's version some outputs inside (0, 1) (wide logits give all zeros)
  test.each(names)('%s on rank 2 [3, 4] and rank 3 [2, 3, 4]', (name) => {
    const scale = name === 'sparsemax' ? 0.3 : 1.5;
    expect(kindGradientMismatches(weightless(activation, { activation: name }, [3, 4], 1, scale))).toEqual([]);
    expect(kindGradientMismatches(weightless(activation, { activation: name }, [2, 3, 4], 2, scale))).toEqual([]);
  });

  /**
   * Measured (relative to the largest |dx| of the case): gelu 3.3e-8, mish 2.5e-8, sparsemax 5.2e-8, log_softmax
   * 8.7e-8, softmax 7.0e-7. softmax's dx = y (dy - <dy, y>) is much smaller than dy when y is peaked, so the
   * float32 rounding of the O(|dy|) terms (half an ulp of 2 is 1.2e-7) shows large next to it. 3e-6 leaves a
   * factor of 4 over softmax; a wrong gradient is off by O(1).
   */
  test('float32 mode: within a few float32 roundings of float64', () => {
    for (const name of ['gelu', 'softmax', 'log_softmax', 'sparsemax', 'mish']) {
      expect(float32Error(weightless(activation, { activation: name }, [2, 3, 4], 3, name === 'sparsemax' ? 0.3 : 1.5))).toBeLessThan(3e-6);
    }
  });
});

describe('the inference identities: dL/dx = dL/dy', () => {
  const identities: [AnyLayerKind, unknown][] = [
    [dropout, { rate: 0.5, noiseShape: null, seed: null }],
    [gaussianNoise, { stddev: 0.1, seed: 3 }],
    [gaussianDropout, { rate: 0.2, seed: null }],
    [alphaDropout, { rate: 0.1, noiseShape: null, seed: null }],
  ];
  test.each(identities.map(([kind, config]) => [kind.kind, kind, config] as const))('%s on rank 2 and rank 3', (_name, kind, config) => {
    expect(kindGradientMismatches(weightless(kind, config, [3, 4], 4))).toEqual([]);
    expect(kindGradientMismatches(weightless(kind, config, [2, 3, 4], 5))).toEqual([]);
    expect(float32Error(weightless(kind, config, [2, 3, 4], 5))).toBeLessThanOrEqual(MOVE_ONLY_RTOL);
  });

  test('spatial-dropout-1d (rank 3 only)', () => {
    const c = weightless(spatialDropout1d, { rate: 0.3, seed: null }, [2, 3, 4], 6);
    expect(kindGradientMismatches(c)).toEqual([]);
    expect(float32Error(c)).toBeLessThanOrEqual(MOVE_ONLY_RTOL);
  });

  test('the gradient is a new array (the caller may accumulate into it)', () => {
    const dy = seededValues(7, 6);
    const g = dropout.backward?.({ rate: 0.5, noiseShape: null, seed: null }, [], [seeded([2, 3], 8)], [dy], arithmeticFor('float64'));
    expect(g?.inputs[0]).not.toBe(dy);
    expect(Array.from(g?.inputs[0] ?? [])).toEqual(Array.from(dy));
  });
});

describe('Flatten, Reshape, RepeatVector', () => {
  test.each([
    ['channels_last', [2, 3, 4]],
    ['channels_first', [2, 3, 4]],
    ['channels_first', [2, 2, 3, 2]],
    ['channels_first', [3, 4]],
    ['channels_last', [2, 2, 3, 2]],
  ] as const)('flatten %s %p', (dataFormat, shape) => {
    const c = weightless(flatten, { dataFormat }, shape, 10);
    expect(kindGradientMismatches(c)).toEqual([]);
    expect(float32Error(c)).toBeLessThanOrEqual(MOVE_ONLY_RTOL);
  });

  test('flatten channels_first really permutes (the check is not vacuous)', () => {
    // in [1, 2, 3] (channels 2, steps 3) -> out[i * 2 + c] = in[c * 3 + i]; dy = 0..5 -> dx[c * 3 + i] = dy[i * 2 + c]
    const g = flatten.backward?.(
      { dataFormat: 'channels_first' },
      [],
      [seeded([1, 2, 3], 11)],
      [Float64Array.from([0, 1, 2, 3, 4, 5])],
      arithmeticFor('float64'),
    );
    expect(Array.from(g?.inputs[0] ?? [])).toEqual([0, 2, 4, 1, 3, 5]);
  });

  test.each([
    [
      [4, -1],
      [2, 3, 4],
    ],
    [[12], [2, 3, 4]],
    [
      [2, 3, 2],
      [3, 12],
    ],
  ] as const)('reshape to %p from %p', (targetShape, shape) => {
    const c = weightless(reshape, { targetShape }, shape, 12);
    expect(kindGradientMismatches(c)).toEqual([]);
    expect(float32Error(c)).toBeLessThanOrEqual(MOVE_ONLY_RTOL);
  });

  test.each([
    [1, [2, 3]],
    [4, [3, 5]],
  ] as const)('repeat-vector n = %p on %p', (n, shape) => {
    const c = weightless(repeatVector, { n }, shape, 13);
    expect(kindGradientMismatches(c)).toEqual([]);
    // sums of n float32 terms: measured 4.4e-8 relative (n = 4); bound 4n half-ulps (2^-24 each)
    expect(float32Error(c)).toBeLessThan(4 * n * 2 ** -24);
  });
});

describe('Embedding: scatter-add into the embedding rows; token ids take no gradient', () => {
  // ids [2, 5] with repeats (1 twice in row 0, 3 three times), id 0 (padding under mask_zero), id 4 never used
  const ids: HandTensor = { shape: [2, 5], data: Float64Array.from([1, 3, 1, 0, 5, 3, 3, 2, 1, 0]) };
  const embeddingCase = (config: EmbeddingConfig): KindGradientCase => ({
    kind: embedding,
    config,
    weights: [seededValues(20, config.inputDim * config.outputDim)],
    inputs: [ids],
    nonDifferentiable: [0],
  });

  test.each([false, true])('mask_zero %p: matches finite differences in the embeddings; input gradient null', (maskZero) => {
    expect(kindGradientMismatches(embeddingCase({ inputDim: 6, outputDim: 3, maskZero }))).toEqual([]);
  });

  test('repeated ids sum, unused rows are 0, row 0 takes its gradient under mask_zero too', () => {
    const dy = Float64Array.from({ length: 30 }, (_, i) => i + 1);
    const g = embedding.backward?.({ inputDim: 6, outputDim: 3, maskZero: true }, [seededValues(20, 18)], [ids], [dy], arithmeticFor('float64'));
    const dE = Array.from(g?.weights[0] ?? []);
    const row = (id: number): number[] => dE.slice(id * 3, id * 3 + 3);
    // id 1 at positions 0, 2, 8: dy rows [1,2,3] + [7,8,9] + [25,26,27]
    expect(row(1)).toEqual([33, 36, 39]);
    // id 3 at positions 1, 5, 6: [4,5,6] + [16,17,18] + [19,20,21]
    expect(row(3)).toEqual([39, 42, 45]);
    // id 0 at positions 3, 9: [10,11,12] + [28,29,30]
    expect(row(0)).toEqual([38, 40, 42]);
    expect(row(4)).toEqual([0, 0, 0]);
    expect(g?.inputs).toEqual([null]);
  });

  test('float32 mode: sums of up to 3 float32 terms (measured 4.1e-8 relative; bound 3 half-ulps, 2^-24 each)', () => {
    expect(float32Error(embeddingCase({ inputDim: 6, outputDim: 3, maskZero: false }))).toBeLessThan(3 * 2 ** -24);
  });
});

describe('Masking: dL/dy at real steps, 0 at padded ones', () => {
  /** [batch 2, timeSteps 4, features 3] with steps (0, 1) and (1, 3) all `value`, and step (1, 0) partly `value`. */
  function maskedInput(value: number): HandTensor {
    const data = seededValues(30, 24);
    for (const s of [1, 7]) data.fill(value, s * 3, s * 3 + 3);
    data[4 * 3] = value;
    return { shape: [2, 4, 3], data };
  }
  const paddedEntries = [3, 4, 5, 21, 22, 23];

  test.each([0, 0.5])(
    'mask_value %p: finite differences agree at every real step and disagree exactly at the padded ones, where the gradient is 0',
    (maskValue) => {
      const c: KindGradientCase = { kind: masking, config: { maskValue }, weights: [], inputs: [maskedInput(maskValue)] };
      // At a padded step the forward jumps (a perturbed feature makes the step real, in both directions), so the
      // central difference there is dL/dy itself; Keras's gradient of inputs * mask is 0 (measured below).
      const mismatches = kindGradientMismatches(c);
      expect(mismatches.map((m) => [m.what, m.index])).toEqual(paddedEntries.map((i) => ['input 0', i]));
      expect(mismatches.map((m) => m.analytic)).toEqual(paddedEntries.map(() => 0));
    },
  );

  test('no padded step: the identity, finite differences agree everywhere', () => {
    expect(kindGradientMismatches(weightless(masking, { maskValue: 0 }, [2, 3, 4], 31))).toEqual([]);
  });

  test("TF's gradient of keras.layers.Masking, measured (TF 2.21, float64, tf.GradientTape)", () => {
    // x = [[[1,2],[0,0],[3,0]], [[0.5,0.5],[0.5,0.5],[1,1]]], dL/dy = 1..12
    const x: HandTensor = { shape: [2, 3, 2], data: Float64Array.from([1, 2, 0, 0, 3, 0, 0.5, 0.5, 0.5, 0.5, 1, 1]) };
    const dy = Float64Array.from({ length: 12 }, (_, i) => i + 1);
    const grad = (maskValue: number): number[] => Array.from(masking.backward?.({ maskValue }, [], [x], [dy], arithmeticFor('float64')).inputs[0] ?? []);
    expect(grad(0)).toEqual([1, 2, 0, 0, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(grad(0.5)).toEqual([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 11, 12]);
  });

  test('float32 mode: exact but for rounding dL/dy once', () => {
    expect(float32Error({ kind: masking, config: { maskValue: 0.5 }, weights: [], inputs: [maskedInput(0.5)] })).toBeLessThanOrEqual(MOVE_ONLY_RTOL);
  });
});

describe('the checker catches a wrong gradient of a weightless kind', () => {
  test("RepeatVector that passes only the first copy's gradient is reported", () => {
    const firstCopyOnly: AnyLayerKind = {
      ...repeatVector,
      backward: (config: { n: number }, _weights, [input], [dy]) => {
        const [batch, features] = input.shape;
        const dx = new Float64Array(batch * features);
        for (let b = 0; b < batch; b++) for (let j = 0; j < features; j++) dx[b * features + j] = dy[b * config.n * features + j];
        return { inputs: [dx], weights: [] };
      },
    };
    const mismatches = kindGradientMismatches(weightless(firstCopyOnly, { n: 3 }, [2, 4], 40));
    expect(mismatches.length).toBe(8);
  });

  test('Flatten channels_first given the channels_last gradient is reported', () => {
    const c = weightless(flatten, { dataFormat: 'channels_first' }, [2, 3, 4], 41);
    const asChannelsLast: AnyLayerKind = {
      ...flatten,
      backward: (_config, ...rest) => (flatten.backward as NonNullable<typeof flatten.backward>)({ dataFormat: 'channels_last' }, ...rest),
    };
    expect(kindGradientMismatches({ ...c, kind: asChannelsLast }).length).toBeGreaterThan(0);
  });
});
