/**
 * The finite-difference probes (the check of the hand backward itself) and the per-tensor gradient
 * comparison, on functions whose gradients are known by hand.
 */
import { compareGradients } from '../../src/gradients/compare-gradients';
import { probePasses, probeTensor } from '../../src/gradients/finite-differences';

/** L(v) = sum v_i^3 + sin(v_0 v_1): dL/dv_i = 3 v_i^2 (+ the sin term's for v_0, v_1). */
function cubic(values: Float64Array): number {
  let sum = Math.sin(values[0] * values[1]);
  for (const v of values) sum += v * v * v;
  return sum;
}
function cubicGradient(values: Float64Array): Float64Array {
  const g = values.map((v) => 3 * v * v);
  g[0] += Math.cos(values[0] * values[1]) * values[1];
  g[1] += Math.cos(values[0] * values[1]) * values[0];
  return g;
}

const point = () => Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 0.3) * 1.5);

test('a right gradient passes every probe, with errors far below the tolerance', () => {
  const values = point();
  const probes = probeTensor(values, cubicGradient(values), () => cubic(values), { entries: 6 });
  expect(probes.filter((p) => p.at === 'direction')).toHaveLength(1);
  expect(probes.filter((p) => p.at !== 'direction')).toHaveLength(6);
  expect(probes.every((p) => p.smooth && probePasses(p, 1e-6))).toBe(true);
  // Measured ~1e-11: the rounding floor of central differences with e = 1e-5.
  expect(Math.max(...probes.map((p) => p.scaledError))).toBeLessThan(1e-8);
  // The values are restored exactly.
  expect(Array.from(values)).toEqual(Array.from(point()));
});

test('a gradient wrong in one term fails at that entry and along the direction', () => {
  const values = point();
  const wrong = cubicGradient(values);
  // Drop the sin term's contribution to v_0 (a "missing term" bug); entries: 10 probes every entry.
  wrong[0] -= Math.cos(values[0] * values[1]) * values[1];
  const probes = probeTensor(values, wrong, () => cubic(values), { entries: 10 });
  const failing = probes.filter((p) => !probePasses(p, 1e-6));
  expect(failing.map((p) => p.at)).toEqual(expect.arrayContaining([0, 'direction']));
  expect(failing.every((p) => p.at === 0 || p.at === 'direction')).toBe(true);
});

test('a probe across a kink is marked and not judged; another entry is drawn in its place', () => {
  // L = sum |v_i|, with v_3 within 1e-7 of the kink at 0: the step 1e-5 crosses it.
  const values = Float64Array.from([1, -2, 0.5, 1e-7, -0.7, 3]);
  const gradient = values.map((v) => Math.sign(v));
  const probes = probeTensor(values, gradient, () => values.reduce((a, v) => a + Math.abs(v), 0), { entries: 6 });
  const kink = probes.filter((p) => p.at === 3);
  expect(kink).toHaveLength(1);
  expect(kink[0].smooth).toBe(false);
  expect(probePasses(kink[0], 1e-6)).toBe(true);
  expect(probes.filter((p) => p.at !== 'direction' && p.smooth)).toHaveLength(5);
});

test('skipped entries are never probed, nor part of the direction', () => {
  const values = point();
  const probes = probeTensor(values, cubicGradient(values), () => cubic(values), { entries: 10, skip: (i) => i < 5 });
  expect(probes.filter((p) => typeof p.at === 'number' && p.at < 5)).toEqual([]);
  expect(probes.filter((p) => p.at !== 'direction')).toHaveLength(5);
});

test('NaN in the loss never passes', () => {
  const values = point();
  const probes = probeTensor(values, cubicGradient(values), () => NaN);
  expect(probes.some((p) => probePasses(p, 1e-6))).toBe(false);
});

describe('compareGradients', () => {
  test('scaled by the reference: max |a - b| / max |b|, and the relative norm', () => {
    const d = compareGradients([1, 2, 4.5], [1, 2, 4], 0.2);
    expect(d.scaledMaxError).toBe(0.125);
    expect(d.relativeNormError).toBeCloseTo(0.5 / Math.sqrt(21), 15);
    expect(d.worstIndex).toBe(2);
    expect([d.worstActual, d.worstExpected]).toEqual([4.5, 4]);
    expect(d.pass).toBe(true);
    expect(compareGradients([1, 2, 4.5], [1, 2, 4], 0.1).pass).toBe(false);
  });

  test('a zero reference is compared absolutely; NaN and Inf never pass', () => {
    expect(compareGradients([0, 1e-9], [0, 0], 1e-8).pass).toBe(true);
    expect(compareGradients([0, 1e-7], [0, 0], 1e-8).pass).toBe(false);
    const nan = compareGradients([NaN, 1], [1, 1], 1);
    expect([nan.pass, nan.nonFinite, nan.worstIndex]).toEqual([false, 1, 0]);
    expect(compareGradients([Infinity], [Infinity], 1).pass).toBe(false);
  });

  test('different lengths are a wiring error, not a numeric disagreement', () => {
    expect(() => compareGradients([1, 2], [1], 1)).toThrow('gradient: expected 1 values, got 2');
  });
});
