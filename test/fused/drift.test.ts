/**
 * A short training trajectory of the fused LSTM against tfjs's own (apps/mnist/fused-drift.ts): seed 002's
 * model at a smaller size (LSTM(16), batch 32), 40 steps of Keras-form Adam on real MNIST batches, both models
 * from the same initial weights, on tensorflow, cpu and wasm. The full 781-step seed-002 curve is
 * scripts/fused-drift.ts (docs/fused-drift.svg).
 */
import { selectBackend, type BackendName } from '../../src/backends';
import { fusedDrift } from '../../apps/mnist/fused-drift';
import { loadMnist, pixelScaling } from '../../apps/mnist/dataset';

/**
 * The training-parity drift bound the project uses for two float32 trajectories (README "Gradients":
 * 1e-4 * sqrt(step)). Measured here over 40 steps: worst 8.7e-7 (tensorflow, where the fused LSTM runs as
 * TensorFlow's BlockLSTMV2 kernels; 3.4e-7 with the per-step fused path), 6.4e-7 (cpu), 7.0e-7 (wasm); see the
 * printed curve.
 */
const driftBound = (step: number) => 1e-4 * Math.sqrt(step);
const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];
const data = loadMnist();

test.each(BACKENDS)('fused LSTM trains as tfjs LSTM on %s: 40 steps within 1e-4 * sqrt(step)', async (backend) => {
  await selectBackend(backend);
  const { drift, loss } = await fusedDrift(data.train, { units: 16, batchSize: 32, steps: 40, seed: 42, scaling: pixelScaling('standardize', data.train) });
  console.log(
    `${backend}: drift at steps 1, 10, 40: ${[0, 9, 39].map((s) => drift[s].toExponential(2)).join(', ')}; max ${Math.max(...drift).toExponential(2)}`,
  );
  drift.forEach((d, s) => expect(d).toBeLessThanOrEqual(driftBound(s + 1)));
  // Both trained: the loss went down on both.
  expect(loss.fused[39]).toBeLessThan(loss.fused[0]);
  expect(Math.abs(loss.fused[39] - loss.tfjs[39])).toBeLessThan(1e-3);
});
