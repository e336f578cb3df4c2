/**
 * FusedLSTM on the tensorflow backend runs as TensorFlow's BlockLSTMV2 / BlockLSTMGradV2 (src/fused/block-lstm.ts).
 * Each case runs three ways from the same args, weights and inputs: the kernel path (policy 'auto'), the
 * per-step fused path (policy 'off', the path the other backends take) and the stock tf.layers.lstm (tfjs's
 * own cell, time loop and autodiff: the independent reference). Compared: every output, and the gradients of
 * a seeded linear loss with respect to the input, the initial states and every weight. The usage counters
 * prove which path each run took.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { ensureGradientFixes } from '../../src/backends/gradient-fixes';
import { BASE_ATOL, DEFAULT_RTOL } from '../../src/compare/tolerance';
import { blockLstmUnavailable, blockLstmUsage, setBlockLstmPolicy } from '../../src/fused/block-lstm';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors } from '../model/helpers';
import { BASE_CASE, describeCase, maxScaledDiff, runCase, type CaseResult, type LayerCase } from './helpers';

/**
 * Outputs: the project's float32 default (atol 2e-6, rtol 1e-6, src/compare/tolerance.ts). Measured over this
 * grid (the report test prints it): max |block - stock| 8.94e-8, max |block - per-step fused| 8.94e-8. The
 * kernel computes z = [x, h]·[W; U] + b as one gemm per step where tfjs computes (x·W + h·U) + b, and Eigen's
 * own sigmoid/tanh, so the last bits differ.
 */
const OUTPUT_TOLERANCE = { atol: BASE_ATOL, rtol: DEFAULT_RTOL };

/**
 * Gradients, max |block - reference| / max(1, max |reference|) per tensor: the gradient check's float32
 * default (2e-5, as grid.test.ts). Measured worst over this grid: 4.84e-7 against the stock layer's autodiff,
 * 4.84e-7 against the per-step fused backward (the report test prints both), 40x inside the tolerance.
 */
const GRADIENT_TOLERANCE = 2e-5;

function grid(): LayerCase[] {
  const cases: LayerCase[] = [];
  for (const goBackwards of [false, true])
    for (const returnSequences of [false, true])
      for (const returnState of [false, true])
        for (const initialState of [false, true])
          for (const timeSteps of [1, 2, 7, 28])
            for (const batch of [1, 3]) {
              const seed = 700 + cases.length;
              // a third without a bias (zeros go into the kernel, its gradient is dropped)
              cases.push({ ...BASE_CASE, goBackwards, returnSequences, returnState, initialState, timeSteps, batch, useBias: seed % 3 !== 0, seed });
            }
  return cases;
}

/** libtensorflow's own count of live tensor handles (the int64 seq_len_max handle must not leak). */
function nativeHandles(): number {
  return (tf.backend() as unknown as { binding: { getNumOfTensors(): number } }).binding.getNumOfTensors();
}

function withPolicy<T>(policy: 'auto' | 'off', fn: () => T): T {
  const previous = setBlockLstmPolicy(policy);
  try {
    return fn();
  } finally {
    setBlockLstmPolicy(previous);
  }
}

const worst = { outputsStock: 0, outputsSteps: 0, gradientsStock: 0, gradientsSteps: 0 };

beforeAll(async () => {
  await selectBackend('tensorflow');
  // The stock layer needs the project's fix of tfjs's one-time-step gradient (tensorflow/tfjs#8255).
  ensureGradientFixes(tf);
});

test('the kernel is available on tensorflow (the probe passed)', () => {
  expect(blockLstmUnavailable()).toBeNull();
});

test.each(grid().map((c) => [describeCase(c), c] as const))('%s: BlockLSTM = per-step fused = stock', async (_title, c) => {
  const before = blockLstmUsage();
  const handles = nativeHandles();
  const block = await expectNoLeakedTensors(() => withPolicy('auto', () => runCase(c, true, true)));
  expect(nativeHandles()).toBe(handles);
  const afterBlock = blockLstmUsage();
  // runCase applies the layer 3 times (building it, the outputs, then under the tape) and backpropagates once
  expect(afterBlock.forward - before.forward).toBe(3);
  expect(afterBlock.backward - before.backward).toBe(1);
  const steps: CaseResult = withPolicy('off', () => runCase(c, true, true));
  expect(blockLstmUsage().forward).toBe(afterBlock.forward);
  const stock = runCase(c, false, true);
  expect(block.outputs.length).toBe(stock.outputs.length);
  block.outputs.forEach((y, k) => {
    expectClose(y, stock.outputs[k], OUTPUT_TOLERANCE);
    expectClose(y, steps.outputs[k], OUTPUT_TOLERANCE);
    worst.outputsStock = Math.max(worst.outputsStock, maxScaledDiff(y, stock.outputs[k]));
    worst.outputsSteps = Math.max(worst.outputsSteps, maxScaledDiff(y, steps.outputs[k]));
  });
  const failed: string[] = [];
  expect(block.gradients!.length).toBe(stock.gradients!.length);
  block.gradients!.forEach((g, k) => {
    const vsStock = maxScaledDiff(g, stock.gradients![k]);
    const vsSteps = maxScaledDiff(g, steps.gradients![k]);
    worst.gradientsStock = Math.max(worst.gradientsStock, vsStock);
    worst.gradientsSteps = Math.max(worst.gradientsSteps, vsSteps);
    if (!(vsStock <= GRADIENT_TOLERANCE)) failed.push(`gradient ${k} vs stock: ${vsStock}`);
    if (!(vsSteps <= GRADIENT_TOLERANCE)) failed.push(`gradient ${k} vs per-step fused: ${vsSteps}`);
  });
  expect(failed).toEqual([]);
});

// runCase builds the layer with one unmasked call (which may take the kernel), then makes 2 calls with the case's options.
test.each([
  ['a mask', { ...BASE_CASE, masked: true, seed: 901 }, 'mask', 1],
  [
    'relu/hardSigmoid',
    { ...BASE_CASE, activation: 'relu', recurrentActivation: 'hardSigmoid', seed: 902 },
    'activations relu/hardSigmoid (kernel: tanh/sigmoid)',
    0,
  ],
] as const)('%s: the per-step path runs, and says why', (_title, c, reason, buildCalls) => {
  const before = blockLstmUsage();
  const fused = runCase(c, true, true);
  const after = blockLstmUsage();
  expect(after.forward - before.forward).toBe(buildCalls);
  expect(after.backward).toBe(before.backward);
  expect((after.fallbacks[reason] ?? 0) - (before.fallbacks[reason] ?? 0)).toBe(3 - buildCalls);
  const stock = runCase(c, false, true);
  fused.outputs.forEach((y, k) => expectClose(y, stock.outputs[k], OUTPUT_TOLERANCE));
  fused.gradients!.forEach((g, k) => expect(maxScaledDiff(g, stock.gradients![k])).toBeLessThanOrEqual(GRADIENT_TOLERANCE));
});

test('on cpu the per-step path runs, and says why', async () => {
  await selectBackend('cpu');
  try {
    expect(blockLstmUnavailable()).toMatch(/^backend cpu: /);
    const before = blockLstmUsage();
    runCase({ ...BASE_CASE, seed: 903 }, true, false);
    expect(blockLstmUsage().forward).toBe(before.forward);
  } finally {
    await selectBackend('tensorflow');
  }
});

test('report', () => {
  console.log(
    `BlockLSTM on tensorflow: outputs max |diff| vs stock ${worst.outputsStock.toExponential(2)}, vs per-step ${worst.outputsSteps.toExponential(2)}; ` +
      `gradients max scaled vs stock ${worst.gradientsStock.toExponential(2)}, vs per-step ${worst.gradientsSteps.toExponential(2)}`,
  );
  expect(worst.gradientsStock).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
});
