/**
 * What tfjs 4.22 cannot differentiate, and the layer path's start-up fixes: a dilated Conv1D (every backend),
 * Conv1D's filter and Embedding's rows on wasm (kernels missing). Each shown failing (or missing) as shipped, then
 * giving the hand backward pass's gradient after the layer path's fixes (ensureGradientFixes).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/backends';
import { ensureGradientFixes } from '../../src/backends/gradient-fixes';
import { conv1d, type Conv1dConfig } from '../../src/layers/conv1d';
import { embedding, type EmbeddingConfig } from '../../src/layers/embedding';
import type { AnyLayerKind } from '../../src/layers/kind';
import { arithmeticFor } from '../../src/hand/precision';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** tfjs's gradients of sum(y * r) with respect to the float input (if any) and the weights, on the active backend. */
function tfjsGradients(kind: AnyLayerKind, config: unknown, weights: Float32Array[], weightShapes: number[][], x: tf.Tensor, r: Float64Array): Float64Array[] {
  const layer = kind.tfjsLayer(config, 'under_test');
  layer.apply(tf.input({ batchShape: [null, ...x.shape.slice(1)], dtype: x.dtype }));
  layer.setWeights(weights.map((w, k) => tf.tensor(w, weightShapes[k])));
  const variables = layer.weights.map((w) => w.read());
  const wrt = x.dtype === 'float32' ? [x, ...variables] : variables;
  const { grads, value } = tf.engine().gradients(
    () => {
      const y = layer.apply(x) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.tensor(Float32Array.from(r), y.shape)));
    },
    wrt,
    undefined,
    true,
  );
  const out = grads.map((g) => Float64Array.from(g.dataSync()));
  tf.dispose([...grads, value]);
  layer.dispose();
  return out;
}

/** The hand backward pass (float64) of the same loss. */
function handGradients(kind: AnyLayerKind, config: unknown, weights: Float32Array[], x: { shape: number[]; data: Float64Array }, floatInput: boolean) {
  const arith = arithmeticFor('float64');
  const out = kind.forward(config, weights, [x], arith);
  const r = Float64Array.from({ length: out.data.length }, (_, i) => Math.sin(1.3 * i));
  const g = kind.backward!(config, weights, [x], [r], arith);
  return { r, expected: [...(floatInput ? [g.inputs[0] as Float64Array] : []), ...g.weights.map((w) => Float64Array.from(w))] };
}

const DILATED: Conv1dConfig = { filters: 4, kernelSize: 3, strides: 1, padding: 'causal', dilationRate: 2, activation: 'tanh', useBias: true };
const STRIDED: Conv1dConfig = { ...DILATED, strides: 2, padding: 'valid', dilationRate: 1 };
const x = { shape: [2, 11, 3], data: Float64Array.from({ length: 66 }, (_, i) => Math.cos(0.7 * i)) };
const kernel = Float32Array.from({ length: 3 * 3 * 4 }, (_, i) => Math.sin(0.9 * i) / 2);
const bias = Float32Array.from({ length: 4 }, (_, i) => 0.1 * i - 0.15);
// float32 autodiff against float64 on these small sums (K = 9): measured up to ~3e-7; 1e-5 leaves 30x.
const ATOL = 1e-5;

test("a dilated Conv1D: tfjs as shipped refuses its gradient; after the fix it is the hand path's", async () => {
  await tf.setBackend('cpu');
  const { r, expected } = handGradients(conv1d, DILATED, [kernel, bias], x, true);
  const input = tf.tensor(Float32Array.from(x.data), x.shape);
  expect(() => tfjsGradients(conv1d, DILATED, [kernel, bias], [[3, 3, 4], [4]], input, r)).toThrow(
    'dilation rates greater than 1 are not yet supported in gradients',
  );
  ensureGradientFixes(tf);
  for (const backend of ['cpu', 'tensorflow', 'wasm'] as BackendName[]) {
    await selectBackend(backend);
    const onBackend = tf.tensor(Float32Array.from(x.data), x.shape);
    const got = tfjsGradients(conv1d, DILATED, [kernel, bias], [[3, 3, 4], [4]], onBackend, r);
    got.forEach((g, k) => expect({ backend, k, diff: maxAbsDiff(g, expected[k]) < ATOL }).toEqual({ backend, k, diff: true }));
    onBackend.dispose();
  }
  input.dispose();
});

test('wasm lacks the Conv2DBackpropFilter and UnsortedSegmentSum kernels; Conv1D and Embedding still train there', async () => {
  await selectBackend('wasm');
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
  ensureGradientFixes(tf);

  const conv = handGradients(conv1d, STRIDED, [kernel, bias], x, true);
  const input = tf.tensor(Float32Array.from(x.data), x.shape);
  tfjsGradients(conv1d, STRIDED, [kernel, bias], [[3, 3, 4], [4]], input, conv.r).forEach((g, k) => expect(maxAbsDiff(g, conv.expected[k])).toBeLessThan(ATOL));
  input.dispose();

  const config: EmbeddingConfig = { inputDim: 7, outputDim: 3, maskZero: false };
  const ids = { shape: [2, 5], data: Float64Array.from([1, 3, 3, 6, 0, 2, 3, 1, 1, 5]) };
  const table = Float32Array.from({ length: 21 }, (_, i) => Math.sin(i));
  const emb = handGradients(embedding, config, [table], ids, false);
  const idTensor = tf.tensor(Int32Array.from(ids.data), ids.shape, 'int32');
  const [rows] = tfjsGradients(embedding, config, [table], [[7, 3]], idTensor, emb.r);
  expect(maxAbsDiff(rows, emb.expected[0])).toBeLessThan(ATOL);
  idTensor.dispose();
});
