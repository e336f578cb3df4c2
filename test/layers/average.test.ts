/**
 * The Average merge kind: the sum in input order divided by the count, as Keras 3's Average; tfjs 4.22's
 * multiplies by 1 / n instead, so the layer path divides (a parity note).
 */
import * as tf from '@tensorflow/tfjs';
import { average } from '../../src/layers/average';
import { ndArray } from '../helpers/nd-array';
import { handForward, maxAbsDiff, seeded } from './layer-kind-cases';
import { A, B, C, describeMerge } from './merge-cases';

describeMerge({
  kind: average,
  name: 'average',
  maxInputs: 3,
  worked: [
    // (a + b) / 2 = [5, 3, -3] / 2
    ['(a + b) / 2', [A, B], [2.5, 1.5, -1.5], [2.5, 1.5, -1.5]],
    // (a + b + c) / 3 = [5.5, 3.5, -2.5] / 3: float64 1.8333333333333333, 1.1666666666666667, -0.8333333333333334;
    // float32 rounds the quotient: fround(5.5 / 3) = 1.8333333730697632, ...
    ['(a + b + c) / 3', [A, B, C], [5.5 / 3, 3.5 / 3, -2.5 / 3], [1.8333333730697632, 1.1666666269302368, -0.8333333134651184]],
  ],
});

test("tfjs 4.22's own Average multiplies by 1 / 3 and is 1 ulp off Keras's division on a third of the elements; the layer path's is not", async () => {
  await tf.setBackend('cpu');
  const inputs = [0, 1, 2].map((i) => ndArray([64, 16], seeded(1024, 30 + i)));
  const division = Float32Array.from(handForward(average, {}, [], inputs, 'float32').data);
  const tfjsOwn = tf.tidy(() => {
    const xs = inputs.map((x) => tf.tensor(Float32Array.from(x.data), [64, 16]));
    return (tf.layers.average().apply(xs) as tf.Tensor).dataSync() as Float32Array;
  });
  const differing = division.filter((v, i) => v !== tfjsOwn[i]).length;
  // Measured (cpu backend, these seeds): 344 of 1024 elements differ, by at most 5.96e-8 (1 ulp at |y| < 1).
  expect(differing).toBeGreaterThan(0);
  expect(maxAbsDiff(division, tfjsOwn)).toBeLessThanOrEqual(5.960464477539063e-8);
});
