/**
 * KerasAdamOptimizer (src/optimizers/tfjs-keras-adam.ts), Keras 3's Adam written with tfjs ops, on the tfjs `cpu`
 * backend: against the Keras float32 goldens, through serialization and model.fit, and next to tfjs's own Adam,
 * which the goldens show is NOT Keras's.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors';
import { KerasAdamOptimizer } from '../../src/optimizers/tfjs-keras-adam';
import { gapAt, goldenCase, loadGoldens, toFloat32, worstGap, type WeightHistory } from './goldens';
import { runTfjsGoldenSequence } from './tfjs-runs';

const ADAM_CASES = ['adam', 'adam-tuned'].map((name) => [name, goldenCase(name)] as const);

/** The case's Keras config as KerasAdamOptimizer options (the float32 run's learning rate is float32 anyway). */
function adamOptions(name: string): { learningRate: number; beta1: number; beta2: number; epsilon: number } {
  const { config } = goldenCase(name);
  return { learningRate: config.learning_rate as number, beta1: config.beta_1 as number, beta2: config.beta_2 as number, epsilon: config.epsilon as number };
}

/** max |Keras float32 - Keras float64| over every step: the float32 rounding floor of a case. */
function float32RoundingFloor(name: string): number {
  const golden = goldenCase(name);
  return worstGap(toFloat32(golden.float32), golden.float64).maxAbs;
}

describe('KerasAdamOptimizer (tfjs, Keras 3 form)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  test.each(ADAM_CASES)('%s: equals Keras float32 bit for bit at every step', (name, golden) => {
    // Measured: 0 of 16 elements differ at each of the 20 steps, in both cases. Same float32 operations in the same
    // order as Keras's update_step; tf.pow on cpu (fround(Math.pow)) agreed with TF's powf on every step.
    const optimizer = new KerasAdamOptimizer(adamOptions(name));
    const history = runTfjsGoldenSequence(optimizer);
    optimizer.dispose();
    expect(worstGap(history, toFloat32(golden.float32)).differing).toBe(0);
  });

  test.each(ADAM_CASES)("%s: tfjs's own tf.train.adam does NOT match Keras: the gap is far above float32 rounding", (name, golden) => {
    const { learningRate, beta1, beta2, epsilon } = adamOptions(name);
    const stockAdam = tf.train.adam(learningRate, beta1, beta2, epsilon);
    const stock = runTfjsGoldenSequence(stockAdam);
    stockAdam.dispose();
    const keras32 = toFloat32(golden.float32);
    // Measured (max |tf.train.adam - Keras float32| over the 16 weights):
    //   adam:       7.45e-5 after step 1, 8.55e-5 after step 20 (all of it in the bias, whose gradients are ~1e-4:
    //               Keras's effective epsilon 1e-7 / sqrt(1 - 0.999^t) is 3.2e-6 at step 1, 3% of such a gradient)
    //   adam-tuned: 5.16e-3 after step 1, 1.26e-2 after step 20 (epsilon 1e-5, beta2 0.99)
    // The rounding floor (max |Keras float32 - Keras float64| over the 20 steps) is 1.79e-7 and 2.43e-7: a float32
    // ulp of these weights (|w| < 1.95) is at most 2.4e-7.
    const floor = float32RoundingFloor(name);
    expect(floor).toBeLessThan(2.5e-7);
    for (const step of [1, 20]) {
      expect(gapAt(stock, keras32, step).maxAbs).toBeGreaterThan(100 * floor);
    }
    expect(gapAt(stock, keras32, 1).maxAbs).toBeCloseTo(name === 'adam' ? 7.45e-5 : 5.16e-3, name === 'adam' ? 6 : 4);
  });

  test('is registered for serialization as KerasAdam, and fromConfig(getConfig()) is the same optimizer', () => {
    const optimizer = new KerasAdamOptimizer({ learningRate: 0.01, beta2: 0.99 });
    expect(optimizer.getClassName()).toBe('KerasAdam');
    expect(optimizer.getConfig()).toEqual({ learningRate: 0.01, beta1: 0.9, beta2: 0.99, epsilon: 1e-7 });
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.KerasAdam;
    expect(cls).toBe(KerasAdamOptimizer);
    const copy = fromConfig(cls, optimizer.getConfig()) as KerasAdamOptimizer;
    expect(copy).toBeInstanceOf(KerasAdamOptimizer);
    expect(copy.getConfig()).toEqual(optimizer.getConfig());
    optimizer.dispose();
    copy.dispose();
  });

  test("tfjs's own Adam keeps its registration (className Adam)", () => {
    expect(tf.serialization.SerializationMap.getMap().classNameMap.Adam[0]).not.toBe(KerasAdamOptimizer);
  });

  test('Keras defaults when no option is given', () => {
    const optimizer = new KerasAdamOptimizer();
    expect(optimizer.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    optimizer.dispose();
  });

  test('a bad option is a one-line ConfigError naming it', () => {
    expect(() => new KerasAdamOptimizer({ beta1: 1 })).toThrow(new ConfigError('adam (keras form): beta1: expected a number in [0, 1), got 1'));
    expect(() => new KerasAdamOptimizer({ learningRate: -0.1 })).toThrow('adam (keras form): learningRate: expected a finite number > 0, got -0.1');
  });

  test('state round trip: getWeights after 10 steps, setWeights into a fresh optimizer, 10 more steps = Keras', async () => {
    const { initialWeights, gradients, steps } = loadGoldens();
    const variables = initialWeights.map((w) => tf.tidy(() => tf.variable(tf.tensor1d(w, 'float32'))));
    const first = new KerasAdamOptimizer(adamOptions('adam-tuned'));
    const second = new KerasAdamOptimizer(adamOptions('adam-tuned'));
    const history: WeightHistory = [];
    for (let k = 0; k < steps; k++) {
      if (k === 10) {
        const saved = await first.getWeights();
        // [iter, then each variable's momentum, then each variable's velocity]
        expect(saved.map((w) => w.name)).toEqual(['iter', ...variables.map((v) => `${v.name}/momentum`), ...variables.map((v) => `${v.name}/velocity`)]);
        await second.setWeights(saved);
        first.dispose();
        expect(second.iterations).toBe(10);
      }
      const optimizer = k < 10 ? first : second;
      tf.tidy(() => optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(gradients[k][i], 'float32') }))));
      history.push(variables.map((v) => Array.from(v.dataSync())));
    }
    second.dispose();
    tf.dispose(variables);
    expect(worstGap(history, toFloat32(goldenCase('adam-tuned').float32)).differing).toBe(0);
  });

  test('leaves no tensor behind once disposed', () => {
    const before = tf.memory().numTensors;
    const optimizer = new KerasAdamOptimizer();
    runTfjsGoldenSequence(optimizer, 3);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('with model.compile / model.fit', () => {
    const x = [
      [0.5, -1, 2],
      [1.5, 0.25, -0.5],
      [-1, 1, 0.75],
      [0.1, 0.2, 0.3],
    ];
    const y = [
      [1, 0],
      [0, 1],
      [0.5, 0.5],
      [-1, 2],
    ];
    const kernel = [
      [0.3, -0.2],
      [0.1, 0.4],
      [-0.5, 0.25],
    ];
    const meanSquaredError = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => tf.mean(tf.square(tf.sub(yPred, yTrue)));

    function denseModel(): tf.Sequential {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
      model.setWeights([tf.tensor2d(kernel), tf.tensor1d([0.05, -0.05])]);
      return model;
    }

    test('fit trains with it: the same weights as applying it by hand to the same gradients', async () => {
      const xs = tf.tensor2d(x);
      const ys = tf.tensor2d(y);
      const fitted = denseModel();
      const fitOptimizer = new KerasAdamOptimizer({ learningRate: 0.05 });
      fitted.compile({ optimizer: fitOptimizer, loss: meanSquaredError });
      const history = await fitted.fit(xs, ys, { epochs: 5, batchSize: 4, shuffle: false, verbose: 0 });
      expect(fitOptimizer.iterations).toBe(5);
      const losses = history.history.loss as number[];
      expect(losses[4]).toBeLessThan(losses[0]);

      const byHand = denseModel();
      const handOptimizer = new KerasAdamOptimizer({ learningRate: 0.05 });
      const variables = byHand.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let k = 0; k < 5; k++) {
        tf.tidy(() => {
          handOptimizer.minimize(() => meanSquaredError(ys, byHand.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, false, variables);
        });
      }
      // Measured: bit for bit equal (fit's loss is the same scalar, so its gradients are the same float32 values).
      expect(fitted.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(byHand.getWeights().map((w) => Array.from(w.dataSync())));
      fitOptimizer.dispose();
      handOptimizer.dispose();
      fitted.dispose();
      byHand.dispose();
      tf.dispose([xs, ys]);
    });

    test('a model saved with includeOptimizer loads back with a KerasAdam, its config, step count and moments', async () => {
      const xs = tf.tensor2d(x);
      const ys = tf.tensor2d(y);
      const model = denseModel();
      const optimizer = new KerasAdamOptimizer({ learningRate: 0.02, epsilon: 1e-6 });
      model.compile({ optimizer, loss: 'meanSquaredError' });
      await model.fit(xs, ys, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });

      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
        { includeOptimizer: true },
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      expect(loaded.optimizer).toBeInstanceOf(KerasAdamOptimizer);
      expect(loaded.optimizer.getConfig()).toEqual(optimizer.getConfig());
      expect(loaded.optimizer.iterations).toBe(3);

      // Both continue for 2 more steps and stay equal: the moments came back too.
      await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      await loaded.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
      loaded.optimizer.dispose();
      optimizer.dispose();
      loaded.dispose();
      model.dispose();
      tf.dispose([xs, ys]);
    });
  });
});
