/**
 * The plain-TypeScript Keras forms against real Keras 3.15.1 (TF 2.21 backend): the goldens of
 * scripts/optimizers/make_optimizer_goldens.py, 20 apply_gradients steps per case on float64 variables (and again on
 * float32 ones), compared after every step.
 */
import { createOptimizer, KERAS_DEFAULTS } from '../../src/optimizers';
import { argumentsSpecOf, loadGoldens, runGoldenSequence, specOf, toFloat32, worstGap } from './goldens';

const goldens = loadGoldens();
const CASES = goldens.cases.map((c) => [c.name, c] as const);

/**
 * Keras float64 vs the float64 Keras form: measured max |relative error| 1.11e-15 (adam-tuned) and 2.5e-16 (adam),
 * one element each of 320 compared values; every other case is bit for bit equal (0 elements differ). The Adam
 * difference is the power beta^t: Keras takes it from glibc's pow, the Keras form from V8's Math.pow, and the two
 * may differ in the last bit (2.2e-16 relative), which 1 / (1 - beta1^t) amplifies by up to beta1^t / (1 - beta1^t)
 * = 4 (beta1 0.8, t = 1). 4e-15 is that bound (4 x 2.2e-16 x a few operations) with 3.6x margin over the measured worst.
 */
const KERAS_FLOAT64_RTOL = 4e-15;

describe('Keras form (plain TypeScript) vs Keras 3 goldens', () => {
  test('the goldens are the committed ones: versions, seeds, 20 steps, 9 cases', () => {
    expect(goldens.versions).toMatchObject({ keras: '3.15.1', tensorflow: '2.21.0' });
    expect(goldens.steps).toBe(20);
    expect(goldens.shapes).toEqual([[3, 4], [4]]);
    expect(goldens.gradients).toHaveLength(20);
    expect(goldens.cases.map((c) => c.name)).toEqual([
      'adam',
      'adam-tuned',
      'sgd',
      'sgd-momentum',
      'sgd-nesterov',
      'rmsprop',
      'rmsprop-momentum',
      'rmsprop-centered',
      'rmsprop-centered-momentum',
    ]);
  });

  test.each(CASES)(`%s: float64 within ${KERAS_FLOAT64_RTOL} relative of Keras float64 at every step`, (_name, golden) => {
    const history = runGoldenSequence(createOptimizer(specOf(golden, 'keras')));
    const gap = worstGap(history, golden.float64);
    expect(gap.bothNaN).toBe(0);
    expect(gap.maxRel).toBeLessThanOrEqual(KERAS_FLOAT64_RTOL);
    if (golden.optimizer !== 'Adam') {
      // No pow in SGD or RMSprop: the same IEEE operations in the same order give the same bits.
      expect(gap.differing).toBe(0);
    }
  });

  test.each(CASES)('%s: float32 precision equals Keras float32 bit for bit at every step', (_name, golden) => {
    // Measured: 0 elements differ in all 9 cases x 20 steps. TF's float32 kernels round each operation once, as
    // Math.fround after each double operation does (for +, -, *, /, sqrt the double result rounds to the same
    // float32), and powf(beta, t) happened to agree with fround(Math.pow) on every step here.
    const history = runGoldenSequence(createOptimizer(specOf(golden, 'keras', 'float32')));
    expect(worstGap(history, toFloat32(golden.float32)).differing).toBe(0);
  });

  test.each(CASES.filter(([, c]) => Object.keys(c.arguments).length === 0))('%s: the Keras form defaults are Keras 3.15.1 defaults', (_name, golden) => {
    // The case was built with no arguments, so its recorded config is Keras's defaults.
    const optimizer = createOptimizer(argumentsSpecOf(golden, 'keras'));
    const fromGolden = createOptimizer(specOf(golden, 'keras'));
    expect(optimizer.config).toEqual(fromGolden.config);
    expect(optimizer.config).toEqual({ name: golden.optimizer.toLowerCase(), ...KERAS_DEFAULTS[optimizer.config.name] });
  });

  test("Keras's float64 SGD used float32(momentum): ops.cast of a Python float goes through a float32 tensor", () => {
    // Two steps of Keras's SGD-momentum formula written out, once with momentum float32(0.9) widened (what
    // ops.cast(0.9, "float64") gives on the TF backend) and once with the double 0.9: the goldens hold the first.
    const golden = goldens.cases.find((c) => c.name === 'sgd-momentum')!;
    const lr = golden.config.learning_rate as number;
    const twoSteps = (momentum: number): number[][] =>
      goldens.initialWeights.map((w0, i) =>
        w0.map((w, j) => {
          const m1 = 0 * momentum - goldens.gradients[0][i][j] * lr;
          const m2 = m1 * momentum - goldens.gradients[1][i][j] * lr;
          return w + m1 + m2;
        }),
      );
    expect(twoSteps(Math.fround(0.9))).toEqual(golden.float64[1]);
    expect(twoSteps(0.9)).not.toEqual(golden.float64[1]);
  });

  test('iterations count steps', () => {
    const optimizer = createOptimizer({ name: 'adam', form: 'keras' });
    expect(optimizer.iterations).toBe(0);
    runGoldenSequence(optimizer, 3);
    expect(optimizer.iterations).toBe(3);
  });
});
