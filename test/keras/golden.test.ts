/**
 * Keras as the oracle: every committed case in weights/keras/ (real Keras 3.15.1) imported from its
 * model.keras and run through both paths on its input.npy, against Keras's own float32 output
 * (expected.npy) and the NumPy float64 reference (expected64.npy), on tensorflow, cpu and wasm.
 *
 * Tolerances: kerasTolerance(spec) (= defaultTolerance, src/keras/tolerance.ts, with the measured
 * errors: every pair here sits within 4.2e-7 of the other). The hand path in float64 also meets NumPy's
 * float64 loop within 1e-12 (measured 5.0e-16), an independent check of the weight import.
 */
import { selectBackend } from '../../src/backends';
import { runKerasCheck } from '../../src/keras/check';
import { kerasTolerance } from '../../src/keras/tolerance';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, LAYER_BACKENDS } from '../model/helpers';
import { CASE_NAMES, loadCase } from './helpers';

/** float64 against float64: summation order is all that differs (measured max 5.0e-16). */
const FLOAT64_TOLERANCE = { atol: 1e-12, rtol: 0 };

test('there are 16 committed cases', () => {
  expect(CASE_NAMES).toHaveLength(16);
});

describe.each(LAYER_BACKENDS)('Keras golden cases on %s', (backend) => {
  beforeAll(async () => {
    // Fails (never skips) when the backend cannot load: all three are set up by this project.
    await selectBackend(backend);
  });

  test.each(CASE_NAMES)('%s: layer and hand paths match Keras', async (name) => {
    const golden = loadCase(name);
    const result = await expectNoLeakedTensors(() =>
      runKerasCheck({ file: golden.file, backend, seed: 0, precision: 'float64', input: golden.input, expected: golden.expected }),
    );
    expect(result.spec).toEqual(golden.spec);
    expect(result.backend.name).toBe(backend);
    const tolerance = kerasTolerance(result.spec);
    expectClose(result.layerOutput, golden.expected, tolerance);
    expectClose(result.manualOutput, golden.expected, tolerance);
    expectClose(result.layerOutput, golden.expected64, tolerance);
    expectClose(result.manualOutput, golden.expected64, FLOAT64_TOLERANCE);
    expect(result.comparisons.map((c) => [c.name, c.report.pass])).toEqual([
      ['layer vs hand', true],
      ['hand vs Keras', true],
      ['layer vs Keras', true],
    ]);
    expect(result.pass).toBe(true);
  });
});
