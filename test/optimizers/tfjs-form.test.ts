/**
 * The plain-TypeScript tfjs forms against tfjs 4.22's own optimizers (tf.train.adam, sgd, momentum, rmsprop) on the
 * pure-JS `cpu` backend, over the golden gradient sequence with each golden case's hyperparameters.
 */
import * as tf from '@tensorflow/tfjs';
import { createOptimizer, TFJS_DEFAULTS } from '../../src/optimizers';
import { createTfjsOptimizer } from '../../src/optimizers/tfjs-optimizers';
import { argumentsSpecOf, loadGoldens, runGoldenSequence, specOf, worstGap } from './goldens';
import { runTfjsGoldenSequence } from './tfjs-runs';

/**
 * float64 tfjs form vs tfjs (float32): measured max |difference| 3.8e-7 over all cases and 20 steps (sgd-momentum;
 * adam 2.3e-7, rmsprop 2.2e-7). It is float32 rounding of the weights themselves: |w| < 1.95 here, where a float32
 * ulp is at most 2.4e-7, and every step rounds w once more (20 half-ulp roundings could add up to 2.4e-6, a random
 * walk of them to ~5e-7). 1e-6 leaves 2.6x margin over the measurement and is still 75x below the gap this project
 * cares about (tf.train.adam vs Keras's Adam: 7.5e-5 after one step; the Keras form fails this check).
 */
const FLOAT32_ROUNDING_ATOL = 1e-6;

const goldens = loadGoldens();
const CASES = goldens.cases.map((c) => [c.name, c] as const);

/** Runs tfjs's own optimizer (from a spec: tfjs's constructor with the spec's hyperparameters) and disposes it. */
function runStockTfjs(spec: Parameters<typeof createTfjsOptimizer>[0] | (() => tf.Optimizer)): number[][][] {
  const optimizer = typeof spec === 'function' ? spec() : createTfjsOptimizer(spec);
  try {
    return runTfjsGoldenSequence(optimizer);
  } finally {
    optimizer.dispose();
  }
}

describe('tfjs form (plain TypeScript) vs tfjs optimizers on the cpu backend', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  test('the backend is cpu and its epsilon is the tfjs-form default epsilon', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.backend().epsilon()).toBe(TFJS_DEFAULTS.adam.epsilon);
    expect(tf.backend().epsilon()).toBe(TFJS_DEFAULTS.rmsprop.epsilon);
  });

  test.each(CASES)('%s: float32 precision equals tfjs bit for bit at every step (NaN where tfjs has NaN)', (_name, golden) => {
    // Measured: 0 elements differ in all 9 cases x 20 steps. The cpu backend computes each op in double on float32
    // inputs and stores the result in a Float32Array: exactly Math.fround after each operation.
    const stock = runStockTfjs(specOf(golden, 'tfjs'));
    const plain = runGoldenSequence(createOptimizer(specOf(golden, 'tfjs', 'float32')));
    expect(worstGap(plain, stock).differing).toBe(0);
  });

  test.each(CASES)(`%s: float64 within ${FLOAT32_ROUNDING_ATOL} of tfjs at every step`, (_name, golden) => {
    const stock = runStockTfjs(specOf(golden, 'tfjs'));
    const plain = runGoldenSequence(createOptimizer(specOf(golden, 'tfjs')));
    const gap = worstGap(plain, stock);
    if (golden.name.startsWith('rmsprop-centered')) {
      // tfjs's centered RMSprop takes sqrt(v - (a^2 + epsilon)): the bias's gradients (1e-4) give v - a^2 = 9e-10 at
      // step 1, below epsilon, so its 4 weights are NaN in both, from step 1 on.
      expect(gap.bothNaN).toBe(4);
    } else {
      expect(gap.bothNaN).toBe(0);
    }
    expect(gap.maxAbs).toBeLessThanOrEqual(FLOAT32_ROUNDING_ATOL);
  });

  test('the tolerance tells the forms apart: the Keras form of Adam misses tf.train.adam by 50x it', () => {
    // Measured: 7.45e-5 after step 1 (the bias, gradients ~1e-4), 75x FLOAT32_ROUNDING_ATOL.
    const golden = goldens.cases.find((c) => c.name === 'adam')!;
    const stock = runStockTfjs(specOf(golden, 'tfjs'));
    const kerasForm = runGoldenSequence(createOptimizer(specOf(golden, 'keras')));
    expect(worstGap(kerasForm, stock).maxAbs).toBeGreaterThan(50 * FLOAT32_ROUNDING_ATOL);
  });

  test("tfjs's defaults: tf.train.adam() and the tfjs form with no options agree bit for bit", () => {
    const stock = runStockTfjs(() => tf.train.adam());
    const plain = runGoldenSequence(createOptimizer({ name: 'adam', form: 'tfjs', precision: 'float32' }));
    expect(worstGap(plain, stock).differing).toBe(0);
  });

  test("tfjs's defaults: tf.train.rmsprop(lr) (decay 0.9, momentum 0, backend epsilon, uncentered) and the tfjs form", () => {
    const stock = runStockTfjs(() => tf.train.rmsprop(0.001));
    const plain = runGoldenSequence(createOptimizer({ name: 'rmsprop', form: 'tfjs', learningRate: 0.001, precision: 'float32' }));
    expect(worstGap(plain, stock).differing).toBe(0);
  });

  test('tfjs form with only the Keras arguments of a case takes tfjs defaults for the rest (sgd needs a learning rate)', () => {
    const sgd = loadGoldens().cases.find((c) => c.name === 'sgd')!;
    expect(() => createOptimizer(argumentsSpecOf(sgd, 'tfjs'))).toThrow(
      'sgd (tfjs form): learningRate: expected a finite number > 0 (tf.train.sgd and tf.train.momentum have no default), got undefined',
    );
  });

  test('momentum 0 is tf.train.sgd, momentum > 0 tf.train.momentum', () => {
    const plain = createTfjsOptimizer({ name: 'sgd', form: 'tfjs', learningRate: 0.1 });
    const momentum = createTfjsOptimizer({ name: 'sgd', form: 'tfjs', learningRate: 0.1, momentum: 0.5, nesterov: true });
    expect(plain.getClassName()).toBe('SGD');
    expect(momentum.getClassName()).toBe('Momentum');
    expect(momentum.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.5, useNesterov: true });
    plain.dispose();
    momentum.dispose();
  });
});
