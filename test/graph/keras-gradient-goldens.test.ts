/**
 * Every golden model's gradients as real Keras computed them (GradientTape, models/keras-models/<case>/gradients/,
 * scripts/keras-models/make_gradients.py): the hand backward pass (float64) against Keras's float64 rebuild, and the
 * layer path (tfjs's autodiff, float32) against Keras float32 and the hand path on tensorflow, cpu and wasm, all at
 * the gradient check's default tolerances. Plus the loss: the hand path's, with its own seeded targets, equals
 * Keras's float64 loss, which shows both sides drew the same targets.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BackendName } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { checkGradients } from '../../src/graph/gradient-check';
import { readKerasGradients } from '../../src/io/keras-gradients';
import { goldenCaseNames, KERAS_MODELS_DIR, loadGoldenCase } from '../helpers/keras-models';

const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];
const CASES = goldenCaseNames().filter((name) => fs.existsSync(path.join(KERAS_MODELS_DIR, name, 'gradients', 'manifest.json')));
/** 784 relu steps over 512 samples: 20 s of hand BPTT and 10 s of tfjs-node autodiff; cpu and wasm would take minutes. */
const SLOW = new Set(['irnn-relu-784']);

test('every golden case has Keras gradients (the suite is not vacuous)', () => {
  expect(CASES.length).toBe(goldenCaseNames().length);
  expect(CASES.length).toBeGreaterThanOrEqual(30);
});

/** The four losses all appear among the goldens. */
test('the goldens cover every loss', () => {
  const losses = new Set(CASES.map((name) => JSON.parse(fs.readFileSync(path.join(KERAS_MODELS_DIR, name, 'gradients', 'manifest.json'), 'utf8')).loss));
  expect([...losses].sort()).toEqual(['binary-crossentropy', 'mse', 'softmax-crossentropy', 'sum-squares']);
});

/*
 * What tfjs 4.22 gets wrong here, found by this very check, is fixed by the layer path at start-up (each fix has
 * its own test in test/backends/): wasm has no Conv2DBackpropFilter nor UnsortedSegmentSum kernels (Conv1D and
 * Embedding could not train there), cpu's and wasm's AvgPool 'same' gradient divided edge windows by the pool
 * size (37% off upstream in conv-strided-gru), and no backend would differentiate a dilated Conv1D (tcn-causal).
 * So every case must pass on every backend.
 */

/**
 * The loss values: both float64, the same formula, summed in a different order: measured at most 4e-16
 * relative over the cases (1 ulp). 1e-13 relative would still catch a different target draw or reduction.
 */
const LOSS_RTOL = 1e-13;

describe.each(CASES)('%s', (name) => {
  const golden = loadGoldenCase(name);
  const { model } = readModelFile(golden.modelPaths[0]);
  const keras = readKerasGradients(path.join(KERAS_MODELS_DIR, name, 'gradients'), model);
  const backends = SLOW.has(name) ? BACKENDS.slice(0, 1) : BACKENDS;

  test('hand backward (float64) = Keras float64; loss = Keras float64 loss', async () => {
    const result = await checkGradients({
      model,
      backend: 'cpu',
      loss: keras.loss,
      seed: keras.seed,
      inputs: golden.inputs,
      keras: { float64: keras.gradients.float64! },
      handOnly: true,
      skipFiniteDifferences: true,
    });
    const rows = result.rows.filter((r) => r.comparisons.some((c) => c.pair === 'hand vs Keras'));
    expect(rows.length).toBe(
      result.rows.filter((r) => !r.name.startsWith('input ')).length + (SLOW.has(name) ? 0 : result.rows.filter((r) => r.name.startsWith('input ')).length),
    );
    const failed = rows.flatMap((r) => r.comparisons.filter((c) => !c.difference.pass).map((c) => `${r.name} ${c.pair} ${c.difference.scaledMaxError}`));
    expect(failed).toEqual([]);
    const kerasLoss = keras.lossValue.float64!;
    expect(Math.abs(result.lossValue.hand - kerasLoss)).toBeLessThanOrEqual(LOSS_RTOL * Math.max(1, Math.abs(kerasLoss)));
  });

  test.each(backends)('layer path on %s = Keras float32 = hand path', async (backend) => {
    const result = await checkGradients({
      model,
      backend,
      loss: keras.loss,
      seed: keras.seed,
      inputs: golden.inputs,
      keras: { float32: keras.gradients.float32! },
      skipFiniteDifferences: true,
    });
    const failed = result.rows.flatMap((r) => r.comparisons.filter((c) => !c.difference.pass).map((c) => `${r.name} ${c.pair} ${c.difference.scaledMaxError}`));
    expect({ failed, layerPathError: result.layerPathError, inputsError: result.inputsError }).toEqual({ failed: [] });
    expect(result.rows.every((r) => r.comparisons.some((c) => c.pair === 'layer vs hand'))).toBe(true);
    expect(result.pass).toBe(true);
  });
});
