/**
 * Keras as the oracle: every committed case in models/keras/ (real Keras 3.15.1) read from its
 * model.keras by readModelFile and run through checkModel on its input.npy, against Keras's own float32
 * output (expected.npy) on tensorflow, cpu and wasm: layer vs hand, hand vs Keras and layer vs Keras must
 * all pass at the default tolerance (graphTolerance, src/graph/tolerance.ts; measured: every pair here
 * sits within 4.2e-7 of the other). The layer path also meets the NumPy float64 loop (expected64.npy)
 * at that tolerance.
 *
 * The hand path in float64 alone meets NumPy's float64 loop within 1e-12 (measured 5.0e-16): an
 * independent check of the weight import that float32 noise could not hide.
 */
import { selectBackend } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, LAYER_BACKENDS } from '../model/helpers';
import { CASE_NAMES, loadCase } from './helpers';

/** float64 against float64: summation order is all that differs (measured max 5.0e-16). */
const FLOAT64_TOLERANCE = { atol: 1e-12, rtol: 0 };

test('there are 16 committed cases', () => {
  expect(CASE_NAMES).toHaveLength(16);
});

test.each(CASE_NAMES)('%s: the hand path in float64 meets NumPy float64 within 1e-12', (name) => {
  const golden = loadCase(name);
  const { model } = readModelFile(golden.file);
  const [output] = forwardGraph(model, [golden.input], 'float64');
  expect(output.data).toBeInstanceOf(Float64Array);
  expectClose(output, golden.expected64, FLOAT64_TOLERANCE);
});

describe.each(LAYER_BACKENDS)('Keras golden cases on %s', (backend) => {
  beforeAll(async () => {
    // Fails (never skips) when the backend cannot load: all three are set up by this project.
    await selectBackend(backend);
  });

  test.each(CASE_NAMES)('%s: layer and hand paths match Keras', async (name) => {
    const golden = loadCase(name);
    const { model } = readModelFile(golden.file);
    const result = await expectNoLeakedTensors(() =>
      checkModel({ model, backend, seed: 0, precision: 'float64', inputs: [golden.input], expected: [golden.expected] }),
    );
    expect(result.backend.name).toBe(backend);
    expect(result.inputSource).toBe('given');
    expect(result.comparisons.map((c) => [c.output, c.name, c.report.pass])).toEqual([
      ['dense', 'layer vs hand', true],
      ['dense', 'hand vs Keras', true],
      ['dense', 'layer vs Keras', true],
    ]);
    // No case needs the float32-floor widening: the default tolerance holds as it is.
    expect(result.tolerance.widened).toEqual([]);
    expect(result.tolerance.userAtol).toBe(false);
    expect(result.pass).toBe(true);
    const [output] = result.outputs;
    expect(output.layer.shape).toEqual(golden.expected.shape);
    expectClose(output.layer, golden.expected64, result.tolerance.base);
    expectClose(output.hand, golden.expected64, FLOAT64_TOLERANCE);
  });
});
