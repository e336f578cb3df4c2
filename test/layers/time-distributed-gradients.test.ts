/**
 * The hand backward of TimeDistributed against central finite differences of its own hand forward
 * (test/helpers/kind-gradients.ts), in float64: the held kind's backward over the batch*timeSteps steps
 * (Dense with several activations and without bias, on rank-3 and rank-4 inputs; Activation, Flatten, Reshape,
 * Dropout); the float32 mode against float64; the checker catching a wrong gradient; and a clear error for a
 * held kind without a backward. Loads no tfjs.
 */
import { ConfigError } from '../../src/errors';
import { activation, type ActivationConfig } from '../../src/layers/activation';
import { dense, type DenseConfig } from '../../src/layers/dense';
import { dropout, type DropoutConfig } from '../../src/layers/dropout';
import { flatten, type FlattenConfig } from '../../src/layers/flatten';
import type { AnyLayerKind } from '../../src/layers/kind';
import { reshape, type ReshapeConfig } from '../../src/layers/reshape';
import { timeDistributed, type TimeDistributedConfig } from '../../src/layers/time-distributed';
import { arithmeticFor } from '../../src/hand/precision';
import { kindGradientMismatches, kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

/** TimeDistributed(kind(config)) on a seeded input of `shape` ([batch, timeSteps, ...]), weights scale 0.5. */
function timeDistributedCase(kind: AnyLayerKind, config: unknown, shape: readonly number[], seed = 17): KindGradientCase {
  const td: TimeDistributedConfig = { layer: { kind, config } };
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const weights = timeDistributed.weightShapes(td, [shape]).map((w, k) => seededValues(seed + 1 + k, size(w.shape), 0.5));
  return { kind: timeDistributed, config: td, weights, inputs: [{ shape, data: seededValues(seed, size(shape)) }] };
}

const DENSE: DenseConfig = { units: 4, activation: 'linear', useBias: true };

const CASES: readonly (readonly [string, AnyLayerKind, unknown, readonly number[]])[] = [
  ['Dense(4), linear, [2, 3, 5]', dense, DENSE, [2, 3, 5]],
  ['Dense(4), tanh, T = 1', dense, { ...DENSE, activation: 'tanh' }, [3, 1, 5]],
  ['Dense(3), relu, no bias', dense, { units: 3, activation: 'relu', useBias: false }, [2, 4, 3]],
  ['Dense(2), sigmoid, rank-4 input [2, 3, 2, 4]', dense, { units: 2, activation: 'sigmoid', useBias: true }, [2, 3, 2, 4]],
  ['Dense(3), hard_sigmoid', dense, { units: 3, activation: 'hard_sigmoid', useBias: true }, [2, 3, 4]],
  ['Dense(3), softmax (along the last axis)', dense, { units: 3, activation: 'softmax', useBias: true }, [2, 3, 4]],
  ['Activation(tanh)', activation, { activation: 'tanh' } satisfies ActivationConfig, [2, 3, 4]],
  ['Flatten on [2, 3, 2, 2]', flatten, { dataFormat: 'channels_last' } satisfies FlattenConfig, [2, 3, 2, 2]],
  ['Reshape to [2, 3]', reshape, { targetShape: [2, 3] } satisfies ReshapeConfig, [2, 3, 6]],
  ['Dropout (the identity at inference)', dropout, { rate: 0.5, noiseShape: null, seed: null } satisfies DropoutConfig, [2, 3, 4]],
];

describe('TimeDistributed backward against finite differences (float64)', () => {
  test.each(CASES)('%s', (_name, kind, config, shape) => {
    expect(kindGradientMismatches(timeDistributedCase(kind, config, shape))).toEqual([]);
  });

  test('gives the input gradient the input’s length and one gradient per weight', () => {
    const c = timeDistributedCase(dense, DENSE, [2, 3, 5]);
    const grads = kindGradients(c);
    expect(grads.inputs.map((g) => g?.length)).toEqual([2 * 3 * 5]);
    expect(grads.weights.map((g) => g.length)).toEqual([5 * 4, 4]);
  });
});

test('the checker catches one wrong Dense kernel gradient entry inside TimeDistributed', () => {
  const c = timeDistributedCase(dense, { ...DENSE, activation: 'tanh' }, [2, 3, 5]);
  const backward = timeDistributed.backward as NonNullable<AnyLayerKind['backward']>;
  const buggy: AnyLayerKind = {
    ...timeDistributed,
    backward: (config, weights, inputs, outputGrads, arith) => {
      const grads = backward(config, weights, inputs, outputGrads, arith);
      const kernel = Float64Array.from(grads.weights[0]);
      kernel[7] -= 1e-3;
      return { ...grads, weights: [kernel, ...grads.weights.slice(1)] };
    },
  };
  expect(kindGradientMismatches({ ...c, kind: buggy })).toEqual([expect.objectContaining({ what: 'weight 0', index: 7 })]);
});

test('a held kind without a backward is refused with the kind named', () => {
  const withoutBackward: AnyLayerKind = { ...dense, backward: undefined };
  const c = timeDistributedCase(withoutBackward, DENSE, [2, 3, 5]);
  const run = () => timeDistributed.backward?.(c.config as TimeDistributedConfig, c.weights, c.inputs, [new Float64Array(2 * 3 * 4)], arithmeticFor('float64'));
  expect(run).toThrow(ConfigError);
  expect(run).toThrow(/TimeDistributed: the held Dense has no backward pass/);
});

test('float32 mode against float64: TimeDistributed(Dense(4, tanh)) within 1e-5', () => {
  // One matmul over 5 terms and one activation per entry, then sums over batch*timeSteps = 6 rows: measured
  // 1.6e-7 here (relativeMaxError over every gradient); the recurrent cells' 1e-5 bounds it with room.
  const c = timeDistributedCase(dense, { ...DENSE, activation: 'tanh' }, [2, 3, 5]);
  const exact = kindGradients(c, 'float64');
  const rounded = kindGradients(c, 'float32');
  const errors = [relativeMaxError(rounded.inputs[0] as Float32Array, exact.inputs[0] as Float64Array)];
  errors.push(...exact.weights.map((g, k) => relativeMaxError(rounded.weights[k], g)));
  expect(Math.max(...errors)).toBeLessThan(1e-5);
  expect(Math.max(...errors)).toBeGreaterThan(0);
});
