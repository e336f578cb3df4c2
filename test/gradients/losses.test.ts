/**
 * The losses the gradient check differentiates: values worked by hand, gradients against central
 * differences, seeded targets as NumPy draws them, and the refusals.
 */
import { lossAndGradient, lossName, lossTargets, modelLoss, seededTargets, LOSSES } from '../../src/gradients/losses';
import { ConfigError, ShapeError } from '../../src/errors';
import type { NdArray } from '../../src/tensor';
import { NumpyRandomState } from '../../src/data/numpy-random';

const y: NdArray = { shape: [2, 2], data: Float64Array.from([1, -2, 0.5, 3]) };

test('values worked by hand', () => {
  // sum of squares: 1 + 4 + 0.25 + 9
  expect(lossAndGradient('sum-squares', y, undefined).value).toBe(14.25);
  // mse against [0, 0, 0, 0]: 14.25 / 4
  expect(lossAndGradient('mse', y, { shape: [2, 2], data: new Float64Array(4) }).value).toBe(3.5625);
  // softmax cross-entropy, rows [1, -2] (class 0) and [0.5, 3] (class 1):
  // log(e^1 + e^-2) - 1 = log(1 + e^-3) and log(e^0.5 + e^3) - 3 = log(1 + e^-2.5), mean of the two
  const ce = (Math.log1p(Math.exp(-3)) + Math.log1p(Math.exp(-2.5))) / 2;
  expect(lossAndGradient('softmax-crossentropy', y, { shape: [2], data: Float64Array.from([0, 1]) }).value).toBeCloseTo(ce, 15);
  // binary cross-entropy from logits, targets [1, 0, 1, 0]: log(1 + e^-z) for t = 1, log(1 + e^z) for t = 0
  const bce = (Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-0.5)) + Math.log1p(Math.exp(3))) / 4;
  expect(lossAndGradient('binary-crossentropy', y, { shape: [2, 2], data: Float64Array.from([1, 0, 1, 0]) }).value).toBeCloseTo(bce, 15);
});

test.each(LOSSES)('%s: gradient = central differences', (loss) => {
  const x: NdArray = { shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => Math.sin(1.7 * i) * 2) };
  const targets = seededTargets(loss, x.shape, 5, 0);
  const { gradient } = lossAndGradient(loss, x, targets);
  for (let i = 0; i < 12; i++) {
    const h = 1e-6;
    const plus = Float64Array.from(x.data);
    const minus = Float64Array.from(x.data);
    plus[i] += h;
    minus[i] -= h;
    const fd =
      (lossAndGradient(loss, { shape: x.shape, data: plus }, targets).value - lossAndGradient(loss, { shape: x.shape, data: minus }, targets).value) / (2 * h);
    // Central differences of smooth functions of unit scale: error ~1e-10.
    expect(Math.abs(gradient[i] - fd)).toBeLessThan(1e-8);
  }
});

test('seeded targets are NumPy draws: np.random.seed(42 + 1000 + k)', () => {
  // NumpyRandomState is NumPy's legacy stream bit for bit (test/data/numpy-random*.test.ts check it against NumPy).
  const ce = seededTargets('softmax-crossentropy', [2, 3, 5], 42, 0)!;
  expect(ce.shape).toEqual([2, 3]);
  expect(Array.from(ce.data)).toEqual(Array.from(new NumpyRandomState(1042).randint(0, 5, 6)));
  const bce = seededTargets('binary-crossentropy', [2, 2], 42, 1)!;
  expect(Array.from(bce.data)).toEqual(Array.from(new NumpyRandomState(1043).randint(0, 2, 4)));
  const mse = seededTargets('mse', [2, 2], 42, 0)!;
  expect(mse.data).toBeInstanceOf(Float32Array);
  expect(Array.from(mse.data)).toEqual(Array.from(Float32Array.from(new NumpyRandomState(1042).randn([4]))));
  expect(seededTargets('sum-squares', [2, 2], 42, 0)).toBeUndefined();
});

test('a model loss is the sum over outputs', () => {
  const a = modelLoss('sum-squares', [y, y], [undefined, undefined]);
  expect(a.value).toBe(28.5);
  expect(a.gradients).toHaveLength(2);
});

test('refusals name the bad value', () => {
  expect(() => lossName('hinge')).toThrow(new ConfigError('--loss: expected one of sum-squares, mse, softmax-crossentropy, binary-crossentropy, got "hinge"'));
  expect(() => lossTargets('softmax-crossentropy', [{ name: 'out', shape: [4, 1] }], 42)).toThrow(/output "out" with 1/);
  expect(() => lossTargets('mse', [{ name: 'out', shape: [4, 2] }], 42, [{ shape: [4, 3], data: new Float64Array(12) }])).toThrow(ShapeError);
  expect(() => lossTargets('softmax-crossentropy', [{ name: 'out', shape: [2, 3] }], 42, [{ shape: [2], data: Float64Array.from([0, 3]) }])).toThrow(
    /expected a class id in \[0, 3\) at flat index 1, got 3/,
  );
  expect(() => lossTargets('binary-crossentropy', [{ name: 'out', shape: [1, 2] }], 42, [{ shape: [1, 2], data: Float64Array.from([0, NaN]) }])).toThrow(
    /got NaN/,
  );
  expect(() => lossTargets('sum-squares', [{ name: 'out', shape: [1, 2] }], 42, [{ shape: [1, 2], data: new Float64Array(2) }])).toThrow(/expected none/);
});
