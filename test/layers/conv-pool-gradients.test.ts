/**
 * The hand backward of Conv1D and the 1-D poolings (max, average, global max, global average) against central
 * finite differences of their own hand forward (test/helpers/kind-gradients.ts), in float64; the float32 mode
 * against float64; the tie rules measured in TF 2.21 (and tfjs 4.22); and the checker catching a wrong gradient.
 * Loads no tfjs.
 */
import { ConfigError } from '../../src/errors';
import { averagePooling1d } from '../../src/layers/average-pooling-1d';
import { conv1d, type Conv1dConfig } from '../../src/layers/conv1d';
import { globalAveragePooling1d } from '../../src/layers/global-average-pooling-1d';
import { globalMaxPooling1d } from '../../src/layers/global-max-pooling-1d';
import type { GlobalPooling1dConfig } from '../../src/layers/global-pooling-1d';
import type { AnyLayerKind, HandTensor } from '../../src/layers/kind';
import { maxPooling1d } from '../../src/layers/max-pooling-1d';
import type { Pooling1dConfig } from '../../src/layers/pooling-1d';
import { kindGradientMismatches, kindGradients, seededValues, type KindGradientCase } from '../helpers/kind-gradients';
import { float32Error, inputGradients, seededTensor } from './gradient-cases';

/** A seeded float64 tensor [batch, timeSteps, channels]. */
const sequence = seededTensor;

function conv1dCase(config: Conv1dConfig, timeSteps: number, seed: number, inputDim = 3, batch = 2): KindGradientCase {
  const weights = [seededValues(seed + 1, config.kernelSize * inputDim * config.filters, 0.5)];
  if (config.useBias) weights.push(seededValues(seed + 2, config.filters, 0.5));
  return { kind: conv1d, config, weights, inputs: [sequence([batch, timeSteps, inputDim], seed)] };
}

const CONV: Conv1dConfig = { filters: 4, kernelSize: 3, strides: 1, padding: 'valid', dilationRate: 1, activation: 'linear', useBias: true };

/**
 * [name, config, timeSteps]: every padding, strides > 1, dilation > 1, even kernels (same's extra zero on the
 * right), elementwise and row activations (softmax and kin work over the filters of each step).
 */
const CONV_CASES: readonly (readonly [string, Conv1dConfig, number])[] = [
  ['valid, linear', CONV, 7],
  ['valid, stride 2, length not a multiple, tanh', { ...CONV, strides: 2, activation: 'tanh' }, 8],
  ['valid, dilation 2, no bias, sigmoid', { ...CONV, dilationRate: 2, useBias: false, activation: 'sigmoid' }, 9],
  ['same, kernel 3, relu', { ...CONV, padding: 'same', activation: 'relu' }, 7],
  ['same, kernel 4 (2 zeros right, 1 left), stride 3', { ...CONV, padding: 'same', kernelSize: 4, strides: 3 }, 8],
  ['same, kernel 2, dilation 3, hard_sigmoid', { ...CONV, padding: 'same', kernelSize: 2, dilationRate: 3, activation: 'hard_sigmoid' }, 7],
  ['causal, kernel 2, dilation 2, tanh', { ...CONV, padding: 'causal', kernelSize: 2, dilationRate: 2, activation: 'tanh' }, 6],
  ['causal, kernel 3, stride 2, no bias', { ...CONV, padding: 'causal', strides: 2, useBias: false }, 7],
  ['kernel 1, 1 filter', { ...CONV, kernelSize: 1, filters: 1 }, 4],
  ['kernel spans the whole sequence', { ...CONV, kernelSize: 5 }, 5],
  ['same, softmax (over the filters of each step)', { ...CONV, padding: 'same', activation: 'softmax' }, 6],
  ['causal, dilation 2, log_softmax', { ...CONV, padding: 'causal', dilationRate: 2, activation: 'log_softmax' }, 6],
  ['valid, stride 2, sparsemax', { ...CONV, strides: 2, activation: 'sparsemax' }, 7],
  ['valid, gelu', { ...CONV, activation: 'gelu' }, 5],
  ['same, elu', { ...CONV, padding: 'same', activation: 'elu' }, 5],
];

function poolCase(kind: AnyLayerKind, config: Pooling1dConfig, timeSteps: number, seed: number): KindGradientCase {
  return { kind, config, weights: [], inputs: [sequence([2, timeSteps, 3], seed)] };
}

/** [name, config, timeSteps]: lengths the pool and stride do not divide, overlapping windows, same's edge windows. */
const POOL_CASES: readonly (readonly [string, Pooling1dConfig, number])[] = [
  ['valid, pool 2, stride 2, 7 steps (last step dropped)', { poolSize: 2, strides: 2, padding: 'valid' }, 7],
  ['valid, pool 3, stride 1 (overlapping)', { poolSize: 3, strides: 1, padding: 'valid' }, 6],
  ['valid, pool 3, stride 2, 8 steps', { poolSize: 3, strides: 2, padding: 'valid' }, 8],
  ['same, pool 2, stride 2, 5 steps (a window of 1 at the end)', { poolSize: 2, strides: 2, padding: 'same' }, 5],
  ['same, pool 3, stride 1 (windows of 2 at both edges)', { poolSize: 3, strides: 1, padding: 'same' }, 5],
  ['same, pool 4, stride 3, 7 steps', { poolSize: 4, strides: 3, padding: 'same' }, 7],
  ['pool 1', { poolSize: 1, strides: 1, padding: 'valid' }, 3],
];

/** dL/dx of a one-input kind on x with dL/dy = dy, in `precision`. */
function inputGradient(kind: AnyLayerKind, config: unknown, x: HandTensor, dy: readonly number[], precision: 'float64' | 'float32' = 'float64'): number[] {
  return inputGradients(kind, config, [x], dy, precision)[0];
}

describe('Conv1D backward', () => {
  test.each(CONV_CASES)('%s: matches finite differences (input, kernel, bias)', (_name, config, timeSteps) => {
    expect(kindGradientMismatches(conv1dCase(config, timeSteps, 11))).toEqual([]);
  });

  test('a padding mask is ignored, as the forward ignores it', () => {
    const c = conv1dCase({ ...CONV, padding: 'causal' }, 5, 21);
    const masked = { ...c, inputs: [{ ...c.inputs[0], mask: Uint8Array.of(1, 1, 1, 0, 0, 1, 1, 0, 0, 0) }] };
    expect(kindGradients(masked)).toEqual(kindGradients(c));
    expect(kindGradientMismatches(masked)).toEqual([]);
  });

  test('float32 mode stays within 1e-5 of float64 (relative to the largest gradient)', () => {
    // Measured: 7.8e-8 to 5.4e-7 over these configs (the largest with tanh and log_softmax: derivatives of a float32 z; the
    // others are sums of at most 2 * 4 products per kernel entry and kernelSize * filters per input entry, each
    // rounded, after dL/dy itself is rounded to float32: a few ulps of 2^-24 = 6e-8). 1e-5 leaves a factor 18
    // for other seeds and still fails a float32 path that drops or misplaces a term (an error of order 1).
    for (const [, config, timeSteps] of CONV_CASES) expect(float32Error(conv1dCase(config, timeSteps, 31))).toBeLessThan(1e-5);
  });

  test('the checker catches a deliberately wrong gradient (one kernel entry off by 1e-3)', () => {
    const c = conv1dCase({ ...CONV, padding: 'same', strides: 2 }, 7, 41);
    const wrong: AnyLayerKind = {
      ...conv1d,
      backward: (config, weights, inputs, outputGrads, arith) => {
        const grads = conv1d.backward!(config, weights, inputs, outputGrads, arith);
        grads.weights[0][5] += 1e-3;
        return grads;
      },
    };
    const mismatches = kindGradientMismatches({ ...c, kind: wrong });
    expect(mismatches.map((m) => [m.what, m.index])).toEqual([['weight 0', 5]]);
    expect(mismatches[0].analytic - mismatches[0].numeric).toBeCloseTo(1e-3, 8);
  });
});

describe('MaxPooling1D and AveragePooling1D backward', () => {
  test.each(POOL_CASES)('max, %s: matches finite differences', (_name, config, timeSteps) => {
    expect(kindGradientMismatches(poolCase(maxPooling1d, config, timeSteps, 51))).toEqual([]);
  });

  test.each(POOL_CASES)('average, %s: matches finite differences', (_name, config, timeSteps) => {
    expect(kindGradientMismatches(poolCase(averagePooling1d, config, timeSteps, 61))).toEqual([]);
  });

  test('max: a tie goes to the earliest tied step (measured: TF 2.21 MaxPoolGrad and tfjs 4.22 cpu agree)', () => {
    // The same x and dL/dy = 1, 2, 3, ... through Keras 3.15.1's MaxPooling1D under tf.GradientTape (float32
    // and float64, oneDNN on and off) and tfjs 4.22's maxPooling1d on the cpu backend: identical dL/dx.
    const x: HandTensor = { shape: [1, 5, 1], data: Float64Array.of(1, 3, 3, 2, 3) };
    expect(inputGradient(maxPooling1d, { poolSize: 2, strides: 1, padding: 'valid' }, x, [1, 2, 3, 4])).toEqual([0, 3, 3, 0, 4]);
    expect(inputGradient(maxPooling1d, { poolSize: 3, strides: 1, padding: 'same' }, x, [1, 2, 3, 4, 5])).toEqual([0, 6, 4, 0, 5]);
    expect(inputGradient(maxPooling1d, { poolSize: 2, strides: 2, padding: 'same' }, x, [1, 2, 3], 'float32')).toEqual([0, 1, 2, 0, 3]);
  });

  test('average: a window over the edge (same) divides by the steps it covers', () => {
    const x: HandTensor = { shape: [1, 5, 1], data: Float64Array.of(1, 2, 3, 4, 5) };
    // windows [0, 1], [2, 3], [4]
    expect(inputGradient(averagePooling1d, { poolSize: 2, strides: 2, padding: 'same' }, x, [2, 4, 6])).toEqual([1, 1, 2, 2, 6]);
  });

  test('float32 mode stays within 1e-6 of float64', () => {
    // Measured: max pooling 2.2e-8 to 4.4e-8 (dL/dy rounded to float32, then at most 3 overlapping windows'
    // shares summed); average 3.1e-8 to 7.6e-8 (plus one division per window). 1e-6 is 16 float32 ulps.
    for (const [, config, timeSteps] of POOL_CASES) {
      expect(float32Error(poolCase(maxPooling1d, config, timeSteps, 71))).toBeLessThan(1e-6);
      expect(float32Error(poolCase(averagePooling1d, config, timeSteps, 71))).toBeLessThan(1e-6);
    }
  });
});

describe('GlobalMaxPooling1D and GlobalAveragePooling1D backward', () => {
  const configs: readonly GlobalPooling1dConfig[] = [{ keepdims: false }, { keepdims: true }];

  test.each(configs)('max, %o: matches finite differences', (config) => {
    expect(kindGradientMismatches({ kind: globalMaxPooling1d, config, weights: [], inputs: [sequence([2, 6, 3], 81)] })).toEqual([]);
    expect(kindGradientMismatches({ kind: globalMaxPooling1d, config, weights: [], inputs: [sequence([3, 1, 2], 82)] })).toEqual([]);
  });

  test.each(configs)('average, %o: matches finite differences', (config) => {
    expect(kindGradientMismatches({ kind: globalAveragePooling1d, config, weights: [], inputs: [sequence([2, 7, 3], 91)] })).toEqual([]);
  });

  test('max: tied steps share the gradient equally (measured: TF 2.21 reduce_max; tfjs 4.22 gives each the whole)', () => {
    // Keras 3.15.1's GlobalMaxPooling1D under tf.GradientTape on x = [1, 3, 3, 2, 3], dL/dy = 1: dL/dx =
    // [0, 1/3, 1/3, 0, 1/3] (float32: 0.3333333432674408 = fround(1/3)); tfjs 4.22 cpu: [0, 1, 1, 0, 1].
    const x: HandTensor = { shape: [1, 5, 1], data: Float64Array.of(1, 3, 3, 2, 3) };
    expect(inputGradient(globalMaxPooling1d, { keepdims: false }, x, [1])).toEqual([0, 1 / 3, 1 / 3, 0, 1 / 3]);
    const third = Math.fround(1 / 3);
    expect(inputGradient(globalMaxPooling1d, { keepdims: false }, x, [1], 'float32')).toEqual([0, third, third, 0, third]);
  });

  test('max ignores a padding mask (as its forward); average refuses one (as its forward)', () => {
    const x = sequence([1, 4, 2], 101, Uint8Array.of(1, 1, 0, 0));
    expect(kindGradientMismatches({ kind: globalMaxPooling1d, config: { keepdims: false }, weights: [], inputs: [x] })).toEqual([]);
    expect(() => inputGradient(globalAveragePooling1d, { keepdims: false }, x, [1, 1])).toThrow(ConfigError);
  });

  test('float32 mode stays within 1e-6 of float64', () => {
    // Measured: max 3.1e-8 (dL/dy rounded to float32 and copied: half an ulp); average 1.5e-8 (that and one
    // division). 1e-6 is 16 float32 ulps.
    const x = [sequence([2, 7, 3], 111)];
    expect(float32Error({ kind: globalMaxPooling1d, config: { keepdims: false }, weights: [], inputs: x })).toBeLessThan(1e-6);
    expect(float32Error({ kind: globalAveragePooling1d, config: { keepdims: true }, weights: [], inputs: x })).toBeLessThan(1e-6);
  });
});
