/**
 * disposeTfjsOptimizer frees everything createTfjsOptimizer made, including the learning-rate scalar tfjs 4.22's
 * MomentumOptimizer.dispose() leaves behind (one tensor per optimizer, measured).
 */
import * as tf from '@tensorflow/tfjs';
import { createTfjsOptimizer, disposeTfjsOptimizer } from '../../src/optimizers/tfjs-optimizers';
import type { OptimizerSpec } from '../../src/optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One step on one variable, then dispose: how many tensors are left behind. */
function leftBehind(spec: OptimizerSpec, dispose: (o: tf.Optimizer) => void): number {
  const w = tf.variable(tf.tensor1d([1, 2, 3]));
  const before = tf.memory().numTensors;
  const optimizer = createTfjsOptimizer(spec);
  const g = tf.tensor1d([0.1, -0.2, 0.3]);
  optimizer.applyGradients({ [w.name]: g });
  g.dispose();
  dispose(optimizer);
  const left = tf.memory().numTensors - before;
  w.dispose();
  return left;
}

test("tfjs's momentum optimizer leaks its learning rate on dispose(); disposeTfjsOptimizer does not", () => {
  const momentum: OptimizerSpec = { name: 'sgd', form: 'tfjs', learningRate: 0.1, momentum: 0.9 };
  expect(leftBehind(momentum, (o) => o.dispose())).toBe(1);
  expect(leftBehind(momentum, disposeTfjsOptimizer)).toBe(0);
});

test.each([
  { name: 'adam', form: 'keras' },
  { name: 'adam', form: 'tfjs' },
  { name: 'sgd', form: 'keras', momentum: 0.9 },
  { name: 'rmsprop', form: 'keras' },
  { name: 'rmsprop', form: 'tfjs', learningRate: 0.001 },
] as OptimizerSpec[])('$name ($form form): nothing left behind', (spec) => {
  expect(leftBehind(spec, disposeTfjsOptimizer)).toBe(0);
});
