/**
 * tfjs 4.22 cannot backpropagate into a recurrent layer over one time step (tensorflow/tfjs#8255): shown with
 * tfjs as shipped (a forward-only selectBackend leaves tfjs as it is), then fixed by the layer path before it
 * first differentiates; the gradients then agree with the hand backward pass and finite differences, and the
 * report names the fix.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { ensureUnpackGradient, unpackGradientFails, UNPACK_GRADIENT_NOTE } from '../../src/backends/unpack-gradient-fix';
import { checkGradients } from '../../src/graph/gradient-check';
import { presetModel } from '../../src/presets/flags';
import { validateSpec } from '../../src/spec';

/** Two stacked LSTMs over timeSteps = 1: the gradient with respect to the input and the weights. */
function stackedOneStepGradient(): void {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 3, inputShape: [1, 2], returnSequences: true }));
  model.add(tf.layers.lstm({ units: 3 }));
  const x = tf.randomNormal([2, 1, 2]);
  try {
    tf.tidy(() => {
      tf.engine().gradients(() => tf.sum(model.apply(x) as tf.Tensor), [x, ...model.weights.map((w) => w.read())], undefined, true);
    });
  } finally {
    x.dispose();
    model.dispose();
  }
}

test("tfjs as shipped fails; the layer path's gradient check applies the fix and passes, naming it", async () => {
  await selectBackend('cpu');
  expect(unpackGradientFails(tf)).toBe(true);
  expect(stackedOneStepGradient).toThrow('Argument tensors passed to stack must be a `Tensor[]` or `TensorLike[]`');

  const model = presetModel(validateSpec({ cell: 'lstm', layers: 2, timeSteps: 1, batch: 3, units: 4 }), 42);
  const result = await checkGradients({ model, backend: 'cpu', loss: 'mse', seed: 42, batch: 3 });
  const failed = result.rows.flatMap((r) => r.comparisons.filter((c) => !c.difference.pass).map((c) => `${r.name} ${c.pair}`));
  expect(failed).toEqual([]);
  // Every weight and the input: layer vs hand and hand vs finite differences.
  expect(result.rows.length).toBe(1 + 3 + 3 + 2);
  expect(result.rows.every((r) => r.comparisons.length === 2)).toBe(true);
  expect(result.tfjsFixes).toEqual([UNPACK_GRADIENT_NOTE]);

  // Fixed for the whole process, once.
  expect(unpackGradientFails(tf)).toBe(false);
  expect(ensureUnpackGradient(tf)).toBe('fixed');
  expect(stackedOneStepGradient).not.toThrow();
});

test('the fix changes nothing for two or more steps (no note)', async () => {
  await selectBackend('cpu');
  const model = presetModel(validateSpec({ cell: 'gru', layers: 2, timeSteps: 3, batch: 2, units: 3 }), 7);
  const result = await checkGradients({ model, backend: 'cpu', loss: 'sum-squares', seed: 7, batch: 2 });
  expect(result.pass).toBe(true);
  expect(result.tfjsFixes).toEqual([]);
});
