/** The Conv1D layer kind: config, shapes, the hand forward (valid, same, causal, strides, dilation), tfjs's Conv1D. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import { conv1d, type Conv1dConfig } from '../../src/layers/conv1d';
import { kindForClass } from '../../src/layers/registry';
import { ndArray } from '../helpers/nd-array';
import { expectClose } from '../helpers/expect-close';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, kerasInitializer, seeded, tfjsForward } from './layer-kind-cases';

// models/keras-models/tcn-causal/model.keras, config.json (Keras 3.15.1): the second Conv1D
const KERAS_CONFIG = {
  name: 'conv1d_1',
  trainable: true,
  dtype: KERAS_DTYPE,
  filters: 8,
  kernel_size: [2],
  strides: [1],
  padding: 'causal',
  data_format: 'channels_last',
  dilation_rate: [2],
  groups: 1,
  activation: 'relu',
  use_bias: true,
  kernel_initializer: {
    module: 'keras.initializers',
    class_name: 'GlorotUniform',
    config: { seed: null, input_axes: null, output_axes: null },
    registered_name: null,
  },
  bias_initializer: kerasInitializer('Zeros'),
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

const BASE: Conv1dConfig = { filters: 1, kernelSize: 2, strides: 1, padding: 'valid', dilationRate: 1, activation: 'linear', useBias: true };
// kernel [kernelSize 2, inputDim 1, filters 1] = taps [1, 10]; bias 0.5
const TAPS = [Float32Array.of(1, 10), Float32Array.of(0.5)];
const X4 = ndArray([1, 4, 1], [1, 2, 3, 4]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Conv1D (conv1d)', () => {
  test('is registered under Conv1D for both sources', () => {
    expect(kindForClass('Conv1D', 'keras')).toBe(conv1d);
    expect(kindForClass('Conv1D', 'tfjs')).toBe(conv1d);
  });

  test('reads a real Keras 3 config; a tfjs model.json (bare numbers, no data_format, no groups) too', () => {
    expect(readWith(conv1d, KERAS_CONFIG)).toEqual({
      config: { filters: 8, kernelSize: 2, strides: 1, padding: 'causal', dilationRate: 2, activation: 'relu', useBias: true },
      blockers: [],
    });
    const tfjsConfig = {
      name: 'c',
      trainable: true,
      dtype: 'float32',
      filters: 3,
      kernel_size: 5,
      strides: 2,
      padding: 'same',
      dilation_rate: 1,
      activation: 'linear',
      use_bias: false,
    };
    expect(readWith(conv1d, tfjsConfig, 'tfjs')).toEqual({
      config: { filters: 3, kernelSize: 5, strides: 2, padding: 'same', dilationRate: 1, activation: 'linear', useBias: false },
      blockers: [],
    });
  });

  test('every unsupported option is a blocker, by name', () => {
    const raw = { ...KERAS_CONFIG, groups: 2, data_format: 'channels_first', padding: 'full', kernel_size: [3, 3], strides: [2], colour: 'red' };
    expect(readWith(conv1d, raw).blockers.map((b) => [b.option, b.reason])).toEqual([
      ['data_format', 'expected "channels_last", the only value rnn-parity checks'],
      ['groups', 'expected 1, the only value rnn-parity checks'],
      ['kernel_size', 'expected an integer from 1 to 4096, or a list of one'],
      ['padding', 'expected one of valid, same, causal'],
      ['strides', 'expected 1 with dilation_rate 2 (Keras and tfjs refuse strides > 1 with dilation_rate > 1)'],
      ['colour', 'an option rnn-parity does not know'],
    ]);
    expect(readWith(conv1d, { ...KERAS_CONFIG, filters: 0 }).blockers.map((b) => b.option)).toEqual(['filters']);
  });

  test('outputShape: valid floor((T - span) / s) + 1, same and causal ceil(T / s); weights [k, in, filters], [filters]', () => {
    const c = { ...BASE, filters: 4, kernelSize: 3 };
    expect(conv1d.outputShape(c, [[null, 10, 2]])).toEqual([null, 8, 4]);
    expect(conv1d.outputShape({ ...c, strides: 2 }, [[null, 10, 2]])).toEqual([null, 4, 4]);
    // dilation 4, kernel 3: span 9
    expect(conv1d.outputShape({ ...c, dilationRate: 4 }, [[null, 10, 2]])).toEqual([null, 2, 4]);
    expect(conv1d.outputShape({ ...c, padding: 'same', strides: 3 }, [[null, 10, 2]])).toEqual([null, 4, 4]);
    expect(conv1d.outputShape({ ...c, padding: 'causal', dilationRate: 4 }, [[null, 10, 2]])).toEqual([null, 10, 4]);
    expect(conv1d.outputShape({ ...c, padding: 'causal' }, [[null, null, 2]])).toEqual([null, null, 4]);
    expect(conv1d.weightShapes(c, [[null, 10, 2]])).toEqual([
      { name: 'kernel', shape: [3, 2, 4] },
      { name: 'bias', shape: [4] },
    ]);
    expect(conv1d.weightShapes({ ...c, useBias: false }, [[null, 10, 2]])).toEqual([{ name: 'kernel', shape: [3, 2, 4] }]);
    expect(conv1d.reductionSize(c, [[null, 10, 2]])).toBe(6);
    expect(() => conv1d.outputShape(c, [[null, 2, 2]])).toThrow(new ShapeError('Conv1D: expected at least 3 time steps for a valid window of 3, got 2'));
    expect(() => conv1d.outputShape(c, [[null, 2]])).toThrow(/expected one input \[batch, timeSteps, features\]/);
  });

  test.each([
    // y[t] = x[t] * 1 + x[t + 1] * 10 + 0.5
    ['valid', {}, [21.5, 32.5, 43.5]],
    // padLeft = floor(((4 - 1) * 1 + 2 - 4) / 2) = 0, one zero on the right: the last is 4 * 1 + 0 * 10 + 0.5
    ['same', { padding: 'same' }, [21.5, 32.5, 43.5, 4.5]],
    // one zero on the left: y[t] = x[t - 1] * 1 + x[t] * 10 + 0.5; y[0] = 0 + 10 + 0.5
    ['causal', { padding: 'causal' }, [10.5, 21.5, 32.5, 43.5]],
    // dilation 2: two zeros on the left, y[t] = x[t - 2] * 1 + x[t] * 10 + 0.5
    ['causal, dilation 2', { padding: 'causal', dilationRate: 2 }, [10.5, 20.5, 31.5, 42.5]],
    // stride 2: windows at t = 0 and 2
    ['valid, stride 2', { strides: 2 }, [21.5, 43.5]],
  ] as const)('hand forward, %s, on x = [1, 2, 3, 4] (float64 and float32, exact here)', (_name, options, expected) => {
    const config = { ...BASE, ...options };
    for (const precision of ['float64', 'float32'] as const) {
      const y = handForward(conv1d, config, TAPS, [X4], precision);
      expect(y.shape).toEqual([1, expected.length, 1]);
      expect(Array.from(y.data)).toEqual(expected);
    }
  });

  test('hand forward: two channels, two filters, activation after the bias; float32 rounds every operation', () => {
    // x [1, 2, 2] = [[1, 2], [3, 4]], kernel 1 tap [1, 2, 2] = [[1, -1], [2, 1]] (rows: channel, columns: filter)
    // y[t, f] = x[t, 0] * W[0, f] + x[t, 1] * W[1, f]: t0 = [1 + 4, -1 + 2] = [5, 1], t1 = [3 + 8, -3 + 4] = [11, 1]
    // bias [-6, 0], relu: [[0, 1], [5, 1]]
    const config = { ...BASE, filters: 2, kernelSize: 1, activation: 'relu' };
    const y = handForward(conv1d, config, [Float32Array.of(1, -1, 2, 1), Float32Array.of(-6, 0)], [ndArray([1, 2, 2], [1, 2, 3, 4])]);
    expect(Array.from(y.data)).toEqual([0, 1, 5, 1]);
    // x = [0.1, 0.2] (as float32), taps [1, 1], no bias: float64 sums the float32 inputs exactly,
    // fround(0.1) + fround(0.2) = 0.30000000447034836; float32 rounds the sum: 0.30000001192092896
    const tiny = { ...BASE, useBias: false };
    const x = ndArray([1, 2, 1], Float32Array.of(0.1, 0.2));
    expect(Array.from(handForward(conv1d, tiny, [Float32Array.of(1, 1)], [x], 'float64').data)).toEqual([0.30000000447034836]);
    expect(Array.from(handForward(conv1d, tiny, [Float32Array.of(1, 1)], [x], 'float32').data)).toEqual([0.30000001192092896]);
  });

  test("tfjs 4.22's own Conv1D refuses padding 'causal' (the difference the layer path works around)", () => {
    const layer = tf.layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal' });
    expect(() => tf.tidy(() => layer.apply(tf.ones([1, 4, 1])) as tf.Tensor)).toThrow(/CAUSAL padding mode in conv1dWithBias is not implemented/);
    expect(conv1d.parityNotes?.({ ...BASE, padding: 'causal' }).map((n) => n.id)).toEqual(['conv1d-causal']);
    expect(conv1d.parityNotes?.(BASE)).toEqual([]);
  });

  test.each([
    ['valid', {}],
    ['same', { padding: 'same' }],
    ['causal', { padding: 'causal' }],
    ['valid, stride 2', { strides: 2 }],
    ['same, stride 3', { padding: 'same', strides: 3 }],
    ['valid, dilation 2', { dilationRate: 2 }],
    ['same, dilation 2', { padding: 'same', dilationRate: 2 }],
    ['causal, dilation 3, relu', { padding: 'causal', dilationRate: 3, activation: 'relu' }],
    ['causal, no bias, softmax', { padding: 'causal', useBias: false, activation: 'softmax' }],
  ] as const)("tfjs's Conv1D (cpu, %s) agrees with the hand path", (_name, options) => {
    const config: Conv1dConfig = { ...BASE, filters: 4, kernelSize: 3, ...options };
    const x = ndArray([2, 9, 3], seeded(2 * 9 * 3, 1));
    const weights = conv1d.weightShapes(config, [[null, 9, 3]]).map((w, i) => ({
      shape: w.shape,
      data: seeded(
        w.shape.reduce((a, b) => a * b, 1),
        10 + i,
      ),
    }));
    const layer = tfjsForward(conv1d, config, weights, [x]);
    const hand = handForward(
      conv1d,
      config,
      weights.map((w) => w.data),
      [x],
    );
    expect(layer.shape).toEqual(hand.shape);
    expectClose(layer, hand, { atol: 1e-6, rtol: 1e-6 });
  });
});
