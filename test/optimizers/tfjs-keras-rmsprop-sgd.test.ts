/**
 * KerasRmspropOptimizer and KerasSgdOptimizer (src/optimizers/tfjs-keras-{rmsprop,sgd}.ts) on the tfjs `cpu` backend
 * against the Keras float32 goldens, next to tfjs's own rmsprop / sgd / momentum, and through serialization.
 */
import * as tf from '@tensorflow/tfjs';
import { createTfjsOptimizer } from '../../src/optimizers/tfjs-optimizers';
import { KerasRmspropOptimizer } from '../../src/optimizers/tfjs-keras-rmsprop';
import { KerasSgdOptimizer } from '../../src/optimizers/tfjs-keras-sgd';
import { gapAt, goldenCase, loadGoldens, specOf, toFloat32, worstGap } from './goldens';
import { runTfjsGoldenSequence } from './tfjs-runs';

const CASES = loadGoldens()
  .cases.filter((c) => c.optimizer !== 'Adam')
  .map((c) => [c.name, c] as const);

/** Runs an optimizer over the golden sequence and disposes it. */
function runAndDispose(optimizer: tf.Optimizer): number[][][] {
  try {
    return runTfjsGoldenSequence(optimizer);
  } finally {
    optimizer.dispose();
  }
}

describe('KerasRmspropOptimizer and KerasSgdOptimizer (tfjs, Keras 3 form)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  test.each(CASES)('%s: equals Keras float32 bit for bit at every step', (_name, golden) => {
    // Measured: 0 of 16 elements differ at each of the 20 steps, in all 7 cases.
    const optimizer = createTfjsOptimizer(specOf(golden, 'keras', 'float32'));
    expect(optimizer).toBeInstanceOf(golden.optimizer === 'SGD' ? KerasSgdOptimizer : KerasRmspropOptimizer);
    const history = runAndDispose(optimizer);
    expect(worstGap(history, toFloat32(golden.float32)).differing).toBe(0);
  });

  test.each(['sgd', 'rmsprop', 'rmsprop-momentum'])("%s: tfjs's own optimizer already equals Keras float32 bit for bit", (name) => {
    // Same operations on the same values (docs/optimizers.md): measured 0 elements differ at every step.
    const golden = goldenCase(name);
    expect(worstGap(runAndDispose(createTfjsOptimizer(specOf(golden, 'tfjs'))), toFloat32(golden.float32)).differing).toBe(0);
  });

  test.each(['sgd-momentum', 'sgd-nesterov'])('%s: tf.train.momentum differs from Keras by float32 rounding only', (name) => {
    // Measured max |tf.train.momentum - Keras float32| over 20 steps: 1.19e-7 (sgd-momentum) and 8.9e-8 (nesterov):
    // at most one float32 ulp of the larger weights (2.4e-7 for 1 <= |w| < 2; |w| stays below 1.95) and below the
    // rounding floor |Keras float32 - Keras float64| (3.3e-7 and 3.0e-7). Same algorithm, different order: tfjs
    // accumulates raw gradients and scales by -lr at the end.
    const golden = goldenCase(name);
    const gap = worstGap(runAndDispose(createTfjsOptimizer(specOf(golden, 'tfjs'))), toFloat32(golden.float32));
    expect(gap.differing).toBeGreaterThan(0);
    expect(gap.maxAbs).toBeLessThanOrEqual(2.4e-7);
  });

  test.each(['rmsprop-centered', 'rmsprop-centered-momentum'])("%s: tfjs's own centered RMSprop is NOT Keras's: NaN for small gradients", (name) => {
    const golden = goldenCase(name);
    const stock = runAndDispose(createTfjsOptimizer(specOf(golden, 'tfjs')));
    const keras32 = toFloat32(golden.float32);
    // The bias (gradients ~1e-4): v - a^2 = 9e-10 < epsilon at step 1, tfjs takes the square root of a negative number.
    expect(stock[0][1].every(Number.isNaN)).toBe(true);
    expect(keras32[19][1].every(Number.isFinite)).toBe(true);
    // The kernel (gradients ~1): measured 4.77e-7 after step 1 (2 ulps; Keras's rounding floor here is 2.6e-7 and
    // 1.7e-7), and 3.7e-6 after step 20 with momentum 0.9.
    expect(gapAt(stock, keras32, 1, [0]).maxAbs).toBeCloseTo(4.77e-7, 9);
    if (name === 'rmsprop-centered-momentum') expect(gapAt(stock, keras32, 20, [0]).maxAbs).toBeCloseTo(3.7e-6, 7);
  });

  test.each([
    [KerasRmspropOptimizer, 'KerasRMSprop', { learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true }],
    [KerasSgdOptimizer, 'KerasSGD', { learningRate: 0.1, momentum: 0.9, nesterov: true }],
  ] as const)('%p is registered as %s; fromConfig(getConfig()) is the same optimizer', (cls, className, config) => {
    const optimizer = new cls(config);
    expect(optimizer.getClassName()).toBe(className);
    expect(optimizer.getConfig()).toEqual(config);
    const [registered, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[className];
    expect(registered).toBe(cls);
    const copy = fromConfig(registered, optimizer.getConfig()) as tf.Optimizer;
    expect(copy.getConfig()).toEqual(config);
    optimizer.dispose();
    copy.dispose();
  });

  test('Keras defaults when no option is given', () => {
    expect(new KerasRmspropOptimizer().getConfig()).toEqual({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(new KerasSgdOptimizer().getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
  });

  test('getWeights / setWeights: centered RMSprop with momentum saves velocity, momentum and average_gradient per variable', async () => {
    const golden = goldenCase('rmsprop-centered-momentum');
    const { initialWeights, gradients, steps } = loadGoldens();
    const variables = initialWeights.map((w) => tf.tidy(() => tf.variable(tf.tensor1d(w, 'float32'))));
    const first = createTfjsOptimizer(specOf(golden, 'keras'));
    const second = createTfjsOptimizer(specOf(golden, 'keras'));
    const history: number[][][] = [];
    for (let k = 0; k < steps; k++) {
      if (k === 7) {
        const saved = await first.getWeights();
        expect(saved.map((w) => w.name.slice(w.name.lastIndexOf('/') + 1))).toEqual([
          'iter',
          'velocity',
          'velocity',
          'momentum',
          'momentum',
          'average_gradient',
          'average_gradient',
        ]);
        await second.setWeights(saved);
        first.dispose();
      }
      const optimizer = k < 7 ? first : second;
      tf.tidy(() => optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(gradients[k][i], 'float32') }))));
      history.push(variables.map((v) => Array.from(v.dataSync())));
    }
    second.dispose();
    tf.dispose(variables);
    expect(worstGap(history, toFloat32(golden.float32)).differing).toBe(0);
  });

  test('setWeights rejects weights of another optimizer with a one-line ConfigError', async () => {
    const sgd = new KerasSgdOptimizer({ momentum: 0.9 });
    const v = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const weights = [
      { name: 'iter', tensor: tf.scalar(3, 'int32') },
      { name: `${v.name}/velocity`, tensor: tf.tensor1d([0, 0]) },
    ];
    await expect(sgd.setWeights(weights)).rejects.toThrow(`KerasSGD.setWeights: expected weight 1 to be a "<variable>/momentum", got "${v.name}/velocity"`);
    tf.dispose([v, ...weights.map((w) => w.tensor)]);
    sgd.dispose();
  });

  test('leave no tensor behind once disposed', () => {
    const before = tf.memory().numTensors;
    runAndDispose(new KerasRmspropOptimizer({ centered: true, momentum: 0.5 }));
    runAndDispose(new KerasSgdOptimizer({ momentum: 0.5 }));
    expect(tf.memory().numTensors).toBe(before);
  });
});
