/**
 * The MNIST model's initial weights (apps/mnist/init.ts): the distributions Keras 3 and seed 002's TF1 graph
 * draw from, checked by their defining properties, and the stream they come from checked against NumPy.
 */
import { NumpyRandomState } from '../../src/data/numpy-random';
import { ConfigError } from '../../src/errors';
import { initialWeights, orthogonalRows, type InitScheme } from '../../apps/mnist/init';

const INPUT = 28;
const UNITS = 128;
const CLASSES = 10;
const WIDTH = 4 * UNITS;

function stats(values: Float32Array): { min: number; max: number; mean: number; variance: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { min, max, mean, variance: squares / values.length };
}

/** A uniform(-limit, limit) sample: inside the bounds, variance limit^2 / 3. */
function expectGlorotUniform(values: Float32Array, fanIn: number, fanOut: number): void {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const s = stats(values);
  expect(s.min).toBeGreaterThanOrEqual(-limit);
  expect(s.max).toBeLessThanOrEqual(limit);
  // n >= 1280 draws: the sample variance of a uniform is within 10% of limit^2/3 with overwhelming
  // probability (its relative standard error is sqrt(0.8 / n) <= 2.5%, so 10% is 4 standard errors).
  expect(Math.abs(s.variance / (limit ** 2 / 3) - 1)).toBeLessThan(0.1);
}

function expectForgetBiasOne(bias: Float32Array): void {
  // Gate blocks [i|f|c|o]: only f starts at 1.
  expect(Array.from(bias.subarray(UNITS, 2 * UNITS)).every((v) => v === 1)).toBe(true);
  const rest = [...bias.subarray(0, UNITS), ...bias.subarray(2 * UNITS)];
  expect(rest.every((v) => v === 0)).toBe(true);
}

test('keras: glorot_uniform kernels, orthonormal recurrent rows, forget bias 1, zero head bias', () => {
  const w = initialWeights('keras', 42, INPUT, UNITS, CLASSES);
  expect([w.kernel.length, w.recurrentKernel.length, w.bias.length, w.denseKernel.length, w.denseBias.length]).toEqual([
    INPUT * WIDTH,
    UNITS * WIDTH,
    WIDTH,
    UNITS * CLASSES,
    CLASSES,
  ]);
  expectGlorotUniform(w.kernel, INPUT, WIDTH);
  expectGlorotUniform(w.denseKernel, UNITS, CLASSES);
  expectForgetBiasOne(w.bias);
  expect(Array.from(w.denseBias)).toEqual(new Array(CLASSES).fill(0));
  // U Uᵀ = I: each pair of rows of the [128, 512] recurrent kernel. 1e-6: float32 storage rounds each of the
  // 512 entries by <= 2^-24 relative, so a dot product of unit rows moves by <= ~512 * 2^-24 * max|entry|
  // ~ 3e-6 in the worst case and ~1e-7 typically.
  let worst = 0;
  for (let a = 0; a < UNITS; a++) {
    for (let b = a; b < UNITS; b++) {
      let dot = 0;
      for (let c = 0; c < WIDTH; c++) dot += w.recurrentKernel[a * WIDTH + c] * w.recurrentKernel[b * WIDTH + c];
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  expect(worst).toBeLessThan(1e-6);
});

test('the first kernel value is the first number of NumPy RandomState(seed).random_sample() scaled to the limit', () => {
  // NumPy: np.random.RandomState(0).random_sample() == 0.5488135039273248 (the documented first draw of seed 0).
  const limit = Math.sqrt(6 / (INPUT + WIDTH));
  expect(initialWeights('keras', 0, INPUT, UNITS, CLASSES).kernel[0]).toBe(Math.fround(-limit + 2 * limit * 0.5488135039273248));
});

test('seed-002: one glorot_uniform [inputDim + units, 4*units] kernel, head weights and bias normal(0, 1)', () => {
  const w = initialWeights('seed-002', 42, INPUT, UNITS, CLASSES);
  const joint = new Float32Array([...w.kernel, ...w.recurrentKernel]);
  expectGlorotUniform(joint, INPUT + UNITS, WIDTH);
  // Both halves from the one limit sqrt(6 / (156 + 512)), not each from its own fan-in.
  expectGlorotUniform(w.kernel, INPUT + UNITS, WIDTH);
  expectForgetBiasOne(w.bias);
  const head = stats(new Float32Array([...w.denseKernel, ...w.denseBias]));
  // 1290 standard normal draws: the mean's standard error is 0.028, the variance's 0.039; 4 standard errors.
  expect(Math.abs(head.mean)).toBeLessThan(0.12);
  expect(Math.abs(head.variance - 1)).toBeLessThan(0.16);
});

test.each<InitScheme>(['keras', 'seed-002'])('%s: the same seed gives the same weights, another seed others', (scheme) => {
  const a = initialWeights(scheme, 7, INPUT, UNITS, CLASSES);
  const b = initialWeights(scheme, 7, INPUT, UNITS, CLASSES);
  const c = initialWeights(scheme, 8, INPUT, UNITS, CLASSES);
  expect(b).toEqual(a);
  expect(c.kernel).not.toEqual(a.kernel);
  expect(c.recurrentKernel).not.toEqual(a.recurrentKernel);
});

test('orthogonalRows: a square matrix is orthogonal both ways; more rows than columns is refused', () => {
  const q = orthogonalRows(new NumpyRandomState(3), 6, 6);
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 6; b++) {
      let rows = 0;
      let cols = 0;
      for (let k = 0; k < 6; k++) {
        rows += q[a * 6 + k] * q[b * 6 + k];
        cols += q[k * 6 + a] * q[k * 6 + b];
      }
      // float64 Gram-Schmidt on 6 vectors: orthonormal to a few ulp.
      expect(Math.abs(rows - (a === b ? 1 : 0))).toBeLessThan(1e-14);
      expect(Math.abs(cols - (a === b ? 1 : 0))).toBeLessThan(1e-14);
    }
  }
  expect(() => orthogonalRows(new NumpyRandomState(3), 5, 4)).toThrow(ConfigError);
});

test('an unknown scheme is a ConfigError naming it', () => {
  expect(() => initialWeights('he' as InitScheme, 1, INPUT, UNITS, CLASSES)).toThrow(/init: expected one of keras, seed-002, got "he"/);
});
