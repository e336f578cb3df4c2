/**
 * One time step: tfjs 4.22's stock recurrent layers cannot be differentiated at timeSteps = 1 without the
 * project's Unpack gradient fix (tensorflow/tfjs#8255, src/backends/gradient-fixes.ts). The fused layers'
 * backward is their own, so they need no fix: their gradients are taken here before the fix is installed,
 * then compared with the stock layers' (with the fix) at grid.test.ts's tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/backends';
import { ensureGradientFixes } from '../../src/backends/gradient-fixes';
import { BASE_CASE, CELLS, maxScaledDiff, runCase, type CaseResult, type LayerCase } from './helpers';

/** grid.test.ts's GRADIENT_TOLERANCE (measured worst there 3.3e-7). */
const GRADIENT_TOLERANCE = 2e-5;
const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];
const CASES: LayerCase[] = CELLS.map((cell, k) => ({ ...BASE_CASE, cell, timeSteps: 1, returnState: true, initialState: true, seed: 500 + k }));

test.each(BACKENDS)('timeSteps 1 on %s: fused gradients without the Unpack fix = stock gradients with it', async (backend) => {
  await selectBackend(backend);
  const fused: CaseResult[] = CASES.map((c) => runCase(c, true, true));
  ensureGradientFixes(tf);
  CASES.forEach((c, i) => {
    const stock = runCase(c, false, true);
    stock.gradients!.forEach((g, k) => expect(maxScaledDiff(fused[i].gradients![k], g)).toBeLessThanOrEqual(GRADIENT_TOLERANCE));
  });
});
