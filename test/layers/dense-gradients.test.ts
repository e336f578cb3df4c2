/**
 * Dense's hand backward against central finite differences of its own hand forward (test/helpers/kind-gradients.ts),
 * in float64: ranks 2 to 4, every activation the hand path knows (elementwise and row-wise), use_bias off; the
 * float32 mode against float64; and the checker catching a deliberately wrong gradient. Loads no tfjs.
 */
import { dense, type DenseConfig } from '../../src/layers/dense';
import { ELEMENTWISE, ROWWISE } from '../../src/hand/activations';
import { arithmeticFor } from '../../src/hand/precision';
import { kindGradientMismatches, kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

/**
 * A Dense case: input [..., inputDim] ~ N(0, 1) * inputScale, kernel ~ N(0, 1) / sqrt(inputDim), bias ~ N(0, 0.5^2).
 * Pre-activations are then about N(0, 1): they straddle the kinks at 0, +-0.5, +-1 without sitting on one
 * (probability ~1e-5 that one lies within a finite-difference step).
 */
function denseCase(config: DenseConfig, shape: readonly number[], seed: number, inputScale = 1): KindGradientCase {
  const inputDim = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  const weights = [
    seededValues(seed + 1, inputDim * config.units, 1 / Math.sqrt(inputDim)),
    ...(config.useBias ? [seededValues(seed + 2, config.units, 0.5)] : []),
  ];
  return { kind: dense, config, weights, inputs: [{ shape, data: seededValues(seed, size, inputScale) }] };
}

/** The pre-activation scale that leaves Keras's sparsemax some outputs strictly between 0 and 1 (it is all zeros on wide logits). */
function inputScaleFor(activation: string): number {
  return activation === 'sparsemax' ? 0.3 : 1;
}

const ACTIVATIONS = [...Object.keys(ELEMENTWISE), ...Object.keys(ROWWISE)].sort();

describe('Dense backward = finite differences (float64)', () => {
  test.each(ACTIVATIONS)('rank 2 [3, 4] -> 5 units, %s', (activation) => {
    expect(kindGradientMismatches(denseCase({ units: 5, activation, useBias: true }, [3, 4], 10, inputScaleFor(activation)))).toEqual([]);
  });

  test.each(['linear', 'tanh', 'relu', 'gelu', 'softmax', 'log_softmax', 'sparsemax'])('rank 3 [2, 3, 4] -> 3 units (every step), %s', (activation) => {
    expect(kindGradientMismatches(denseCase({ units: 3, activation, useBias: true }, [2, 3, 4], 20, inputScaleFor(activation)))).toEqual([]);
  });

  test.each(['linear', 'sigmoid', 'softmax'])('use_bias off, rank 2 and rank 3, %s', (activation) => {
    const config = { units: 4, activation, useBias: false };
    expect(kindGradientMismatches(denseCase(config, [3, 5], 30))).toEqual([]);
    expect(kindGradientMismatches(denseCase(config, [2, 2, 5], 31))).toEqual([]);
  });

  test('rank 4 [2, 2, 2, 3] -> 2 units, selu; one unit, one feature', () => {
    expect(kindGradientMismatches(denseCase({ units: 2, activation: 'selu', useBias: true }, [2, 2, 2, 3], 40))).toEqual([]);
    expect(kindGradientMismatches(denseCase({ units: 1, activation: 'tanh', useBias: true }, [4, 1], 41))).toEqual([]);
  });

  test('sparsemax cases are not vacuous: some outputs lie strictly inside (0, 1), and gradients are nonzero', () => {
    const config: DenseConfig = { units: 5, activation: 'sparsemax', useBias: true };
    const c = denseCase(config, [3, 4], 10, inputScaleFor('sparsemax'));
    const y = dense.forward(config, c.weights, c.inputs, arithmeticFor('float64')).data;
    expect(Array.from(y).filter((v) => v > 0 && v < 1).length).toBeGreaterThanOrEqual(2);
    expect(kindGradients(c).weights[0].some((v) => v !== 0)).toBe(true);
  });

  test('gradients have the shapes of the input and the weights', () => {
    const g = kindGradients(denseCase({ units: 3, activation: 'tanh', useBias: true }, [2, 3, 4], 50));
    expect(g.inputs.map((x) => x?.length)).toEqual([24]);
    expect(g.weights.map((w) => w.length)).toEqual([12, 3]);
  });
});

describe('Dense backward in float32 mode', () => {
  /**
   * Largest relative error (max |f32 - f64| / max |f64| per gradient) over the cases below: measured 2.4e-7
   * (tanh's kernel gradient; a few float32 roundings: the recomputed pre-activation, the derivative, the product,
   * sums of 4 to 6 terms; float32's unit roundoff is 6e-8). 1e-6 leaves a factor of 4; a wrong gradient misses
   * by far more.
   */
  const FLOAT32_RTOL = 1e-6;

  test.each(['tanh', 'gelu', 'softmax', 'log_softmax', 'sparsemax', 'linear'])('%s: Float32Arrays within %p of float64', (activation) => {
    const c = denseCase({ units: 4, activation, useBias: true }, [2, 3, 5], 60, inputScaleFor(activation));
    const exact = kindGradients(c, 'float64');
    const rounded = kindGradients(c, 'float32');
    const pairs = [...exact.inputs.map((g, i) => [g, rounded.inputs[i]]), ...exact.weights.map((g, i) => [g, rounded.weights[i]])];
    for (const [a, b] of pairs) {
      expect(b).toBeInstanceOf(Float32Array);
      expect(relativeMaxError(b as Float32Array, a as Float64Array)).toBeLessThan(FLOAT32_RTOL);
    }
  });
});

describe('the checker catches a wrong Dense gradient', () => {
  const backward = dense.backward as NonNullable<typeof dense.backward>;

  test('one kernel entry off by 1e-3 is reported, and only it', () => {
    const c = denseCase({ units: 3, activation: 'tanh', useBias: true }, [2, 4], 70);
    const wrong: typeof dense = {
      ...dense,
      backward: (...args) => {
        const g = backward(...args);
        g.weights[0][5] += 1e-3;
        return g;
      },
    };
    expect(kindGradientMismatches({ ...c, kind: wrong }).map((m) => [m.what, m.index])).toEqual([['weight 0', 5]]);
  });

  test("softmax's backward taken as elementwise y(1 - y) (the Jacobian's diagonal only) is reported", () => {
    const c = denseCase({ units: 4, activation: 'softmax', useBias: true }, [2, 3], 71);
    const diagonalOnly: typeof dense = {
      ...dense,
      backward: (config, weights, inputs, [dy], arith) => {
        const y = dense.forward(config, weights, inputs, arith).data;
        const dz = dy.map((g, i) => g * y[i] * (1 - y[i]));
        return backward({ ...config, activation: 'linear' }, weights, inputs, [dz], arith);
      },
    };
    expect(kindGradientMismatches({ ...c, kind: diagonalOnly }).length).toBeGreaterThan(0);
  });
});
