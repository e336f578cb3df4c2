/**
 * Models far from unit scale: a 3-layer linear SimpleRNN whose values grow until float32 rounding alone
 * exceeds the default atol. The check then measures the model's own float32 floor and allows FLOOR_FACTOR
 * times it; an explicit --atol is never widened.
 */
import { runCheck } from '../../src/check';
import { defaultTolerance, FLOOR_FACTOR } from '../../src/compare/tolerance';
import { validateSpec } from '../../src/spec';

// From the no-false-alarm sweep (scripts/no-false-alarms.ts, sweep seed 1): failed at 1.75x the default on wasm.
const growing = validateSpec({ cell: 'simple', layers: 3, batch: 7, timeSteps: 11, inputDim: 18, units: 115, denseUnits: 7, activation: 'linear' });
const seed = 4143956457;

test('the default tolerance is exceeded, the float32 floor is measured and the check passes at 16x it', async () => {
  const result = await runCheck({ spec: growing, seed, backend: 'wasm', precision: 'float64' });
  expect(result.float32Floor).toBeDefined();
  const floor = result.float32Floor as number;
  expect(result.report.maxAbsError).toBeGreaterThan(defaultTolerance(growing).atol);
  expect(result.report.tolerance.atol).toBe(FLOOR_FACTOR * floor);
  expect(result.report.pass).toBe(true);
});

test("an explicit atol is the user's word: no floor, no widening", async () => {
  const atol = defaultTolerance(growing).atol;
  const result = await runCheck({ spec: growing, seed, backend: 'wasm', precision: 'float64', tolerance: { atol } });
  expect(result.float32Floor).toBeUndefined();
  expect(result.report.tolerance.atol).toBe(atol);
  expect(result.report.pass).toBe(false);
});

test('a model at unit scale passes at the default tolerance without measuring a floor', async () => {
  const result = await runCheck({ spec: validateSpec({ batch: 4 }), seed: 42, backend: 'wasm', precision: 'float64' });
  expect(result.report.pass).toBe(true);
  expect(result.float32Floor).toBeUndefined();
});
