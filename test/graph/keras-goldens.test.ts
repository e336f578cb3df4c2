/**
 * Every golden model made by real Keras (models/keras-models/), in every file format it was saved in,
 * through both paths on tensorflow, cpu and wasm: layer vs hand, hand vs Keras and layer vs Keras must all
 * pass at the default tolerance. And the hand path alone against Keras's own float64 recomputation.
 */
import type { BackendName } from '../../src/backends';
import { compareOutputs } from '../../src/compare/compare';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import { goldenCaseNames, loadGoldenCase } from '../helpers/keras-models';

const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];
const CASES = goldenCaseNames();

test('the golden cases are there (the suite is not vacuous)', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(20);
});

/**
 * Hand path float64 against Keras float64 (TensorFlow's own float64 kernels, a different summation order):
 * measured at most 2.2e-16 .. 4e-15 over the cases; 1e-12 leaves 250x headroom and is still 1e5 below
 * any float32 effect, so it catches a wrong formula that float32 noise would hide.
 */
const FLOAT64_ATOL = 1e-12;

describe.each(CASES)('%s', (name) => {
  const golden = loadGoldenCase(name);

  test('hand path float64 = Keras float64', () => {
    for (const modelPath of golden.modelPaths) {
      const { model } = readModelFile(modelPath);
      const outputs = forwardGraph(model, golden.inputs, 'float64');
      outputs.forEach((out, i) => {
        const report = compareOutputs(out, golden.expected64[i], { atol: FLOAT64_ATOL, rtol: 0 });
        expect({ modelPath, output: i, max: report.maxAbsError, pass: report.pass }).toEqual({ modelPath, output: i, max: report.maxAbsError, pass: true });
      });
    }
  });

  test.each(BACKENDS)('layer, hand and Keras agree on %s', async (backend) => {
    for (const modelPath of golden.modelPaths) {
      const { model } = readModelFile(modelPath);
      const result = await checkModel({ model, backend, precision: 'float64', seed: 0, inputs: golden.inputs, expected: golden.expected });
      const failed = result.comparisons.filter((c) => !c.report.pass).map((c) => `${c.output} ${c.name} ${c.report.maxAbsError}`);
      expect({ modelPath, failed }).toEqual({ modelPath, failed: [] });
      expect(result.comparisons).toHaveLength(3 * golden.expected.length);
    }
  });
});
