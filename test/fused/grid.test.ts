/**
 * Each fused layer against the stock tfjs layer it replaces (the independent reference: tfjs's own cells,
 * time loop and autodiff), from the same args, weights and inputs, over a grid: cells x goBackwards x
 * returnSequences x masks x activations x timeSteps {1, 2, 7} x batch {1, 3} on the cpu backend, and a
 * smaller grid on tensorflow and wasm. Every case returns its states too (returnState), and half of them
 * start from given initial states. Compared: every output, and the gradients of a seeded linear loss with
 * respect to the input, the initial states and every weight.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/backends';
import { ensureGradientFixes } from '../../src/backends/gradient-fixes';
import { BASE_ATOL, DEFAULT_RTOL } from '../../src/compare/tolerance';
import { HARD_SIGMOID_KERAS3 } from '../../src/model/layers';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors } from '../model/helpers';
import { BASE_CASE, CELLS, describeCase, maxScaledDiff, runCase, type LayerCase } from './helpers';

/**
 * Outputs: the project's float32 default (src/compare/tolerance.ts, atol 2e-6, rtol 1e-6). Measured max
 * |fused - stock| over this grid (the report the last test prints): 0 (bit-identical) on cpu and wasm,
 * 1.49e-7 on tensorflow: the fused layers run the stock cells' ops in the stock order, per
 * step, except the input projection, which is one [T*batch, inputDim] matmul (the same dot products). On
 * tensorflow the unmasked tanh/sigmoid LSTM cases run as TensorFlow's BlockLSTMV2 kernels (block-lstm.test.ts
 * checks that path over its own grid); the worst cases here were the same before and after it.
 */
const OUTPUT_TOLERANCE = { atol: BASE_ATOL, rtol: DEFAULT_RTOL };

/**
 * Gradients, max |fused - stock| / max(1, max |stock|) per tensor: the gradient check's float32 default for
 * short reductions (2e-5, defaultGradientTolerances). Measured worst over the grid: 2.07e-7 (cpu), 2.43e-7
 * (tensorflow), 3.30e-7 (wasm); the backward multiplies in another order than tfjs's autodiff (dc * (g * i') rather
 * than (dc * g) * i') and sums the weight gradients over steps inside one matmul.
 */
const GRADIENT_TOLERANCE = 2e-5;

const ACTIVATIONS: readonly [string, string][] = [
  ['tanh', 'sigmoid'],
  ['relu', 'hardSigmoid'],
  ['elu', HARD_SIGMOID_KERAS3],
];

function grid(full: boolean): LayerCase[] {
  const cases: LayerCase[] = [];
  for (const cell of CELLS)
    for (const goBackwards of [false, true])
      for (const returnSequences of [false, true])
        for (const masked of [false, true])
          for (const [activation, recurrentActivation] of full ? ACTIVATIONS : ACTIVATIONS.slice(0, 1))
            for (const timeSteps of full ? [1, 2, 7] : [1, 7])
              for (const batch of full ? [1, 3] : [3]) {
                const seed = cases.length + 1;
                cases.push({
                  ...BASE_CASE,
                  cell,
                  goBackwards,
                  returnSequences,
                  masked,
                  activation,
                  recurrentActivation,
                  timeSteps,
                  batch,
                  returnState: true,
                  initialState: seed % 2 === 0,
                  // GRUResetAfter always holds a bias; the others go without one in a third of the cases.
                  useBias: cell === 'gruResetAfter' || seed % 3 !== 0,
                  seed,
                });
              }
  return cases;
}

const BACKENDS: readonly [BackendName, boolean][] = [
  ['cpu', true],
  ['tensorflow', false],
  ['wasm', false],
];

describe.each(BACKENDS)('on %s', (backend, full) => {
  const worst = { outputs: 0, gradients: 0 };
  beforeAll(async () => {
    await selectBackend(backend);
    // The stock layers need the project's fix of tfjs's one-time-step gradient (tensorflow/tfjs#8255);
    // test/fused/no-unpack-fix.test.ts shows the fused layers do not.
    ensureGradientFixes(tf);
  });

  test.each(grid(full).map((c) => [describeCase(c), c] as const))('%s', async (_title, c) => {
    const fused = await expectNoLeakedTensors(() => runCase(c, true, true));
    const stock = runCase(c, false, true);
    expect(fused.outputs.length).toBe(stock.outputs.length);
    fused.outputs.forEach((y, k) => {
      expectClose(y, stock.outputs[k], OUTPUT_TOLERANCE);
      worst.outputs = Math.max(worst.outputs, maxScaledDiff(y, stock.outputs[k]));
    });
    const failed: string[] = [];
    fused.gradients!.forEach((g, k) => {
      const d = maxScaledDiff(g, stock.gradients![k]);
      worst.gradients = Math.max(worst.gradients, d);
      if (!(d <= GRADIENT_TOLERANCE)) failed.push(`gradient ${k}: ${d}`);
    });
    expect(failed).toEqual([]);
  });

  test('report', () => {
    console.log(`fused vs stock on ${backend}: outputs max |diff| ${worst.outputs.toExponential(2)}, gradients max scaled ${worst.gradients.toExponential(2)}`);
    expect(worst.gradients).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
  });
});
