/**
 * The layer path's activations (tfjs built-ins and ./custom-tfjs.ts) on the cpu backend against Keras 3's
 * float64 values (models/keras-models/activation-names.json, x = linspace(-6, 6, 49), every x exact in
 * float32), through tfjs-layers' own lookup by name, as Dense and Activation use it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { applyActivation } from '../../src/hand/activations';
import { activationNameFrom } from '../../src/layers/activations/names';
import { tfjsActivation, tfjsActivationNames } from '../../src/layers/activations/tfjs';
import { expectClose } from '../helpers/expect-close';

interface KerasTable {
  readonly x: number[];
  readonly activations: Record<string, { y: number[] | null }>;
}

const table = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'models', 'keras-models', 'activation-names.json'), 'utf8')) as KerasTable;
const withValues = Object.entries(table.activations).filter(([, e]) => e.y !== null);

/**
 * float32 against float64. rtol = 2^-23 (one float32 epsilon, two roundings' worth); atol = 1e-7 covers the
 * cancellations Keras's own float32 has too, measured: squareplus (x + sqrt(x^2 + 4)) 8.4e-8 beyond rtol at
 * x = -6, tanh_shrink (x - tanh x) 3.5e-9. Every other name is within rtol alone (largest: softmax 8.7e-8
 * relative, mish 8.4e-8, silu 8.2e-8).
 */
const FLOAT32 = { atol: 1e-7, rtol: 1.2e-7 };
/**
 * tfjs's gelu: its erf is Abramowitz-Stegun 7.1.26 (absolute error up to 1.5e-7), measured 3.5e-7 from Keras
 * at x = 4.25 (2.2e-7 beyond rtol), and 0 where Keras gives -5.9e-9 at x = -6. See src/layers/activations/tfjs.ts.
 */
const GELU_FLOAT32 = { atol: 2.5e-7, rtol: 1.2e-7 };

/** The tfjs Activation layer with our name's tfjs identifier, on one row [1, n]. */
function tfjsValues(ours: string, x: readonly number[]): Float32Array {
  return tf.tidy(() => {
    const layer = tf.layers.activation({ activation: tfjsActivation(ours) as 'linear' });
    return (layer.apply(tf.tensor2d([Array.from(x)])) as tf.Tensor).dataSync() as Float32Array;
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('activations: tfjs layer path (cpu) against Keras 3 float64', () => {
  test.each(withValues.map(([name]) => [name]))('%s', (name) => {
    const before = tf.memory().numTensors;
    const y = tfjsValues(activationNameFrom(name, 'keras'), table.x);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(y, table.activations[name].y as number[], name === 'gelu' ? GELU_FLOAT32 : FLOAT32);
  });

  test("tfjs's gelu is the documented exception: beyond FLOAT32, within GELU_FLOAT32", () => {
    const y = tfjsValues('gelu', table.x);
    const keras = table.activations.gelu.y as number[];
    const worst = Math.max(...keras.map((k, i) => Math.abs(y[i] - k) - FLOAT32.rtol * Math.abs(k)));
    expect(worst).toBeGreaterThan(FLOAT32.atol);
  });

  test('row activations on several rows: each row of the last axis on its own', () => {
    // [2, 3, 4]: six rows of width 4, values in [-3, 3]
    const x = Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i * 1.3) * 3));
    for (const name of ['softmax', 'log_softmax', 'sparsemax']) {
      const y = tf.tidy(() => {
        const layer = tf.layers.activation({ activation: tfjsActivation(name) as 'linear' });
        return (layer.apply(tf.tensor3d(x, [2, 3, 4])) as tf.Tensor).dataSync();
      });
      const hand = Float64Array.from(x);
      applyActivation(name, hand, 4, (v) => v);
      expectClose(y, hand, FLOAT32);
    }
  });

  test("sparsemax: Keras's tau on a row where it differs from the paper's", () => {
    // [0.5, 0.4]: Keras tau = (0.5 + 0.9 - 1) / 2 = 0.2 -> [0.3, 0.2] (test/layers/activations.test.ts)
    expectClose(tfjsValues('sparsemax', [0.5, 0.4]), [0.3, 0.2], FLOAT32);
  });
});

describe('activation names survive a tfjs model.json round trip', () => {
  test.each(tfjsActivationNames().map((name) => [name]))('%s', async (name) => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: tfjsActivation(name) as 'linear' })] });
    const json = model.toJSON(undefined, false) as { config: { layers: { config: { activation: string } }[] } };
    const saved = json.config.layers[0].config.activation;
    // what tfjs wrote reads back as our name (aliases resolved)
    expect(activationNameFrom(saved, 'tfjs')).toBe(activationNameFrom(name, 'keras'));
    // and tfjs itself can rebuild the model from it (the class is registered under the camel-cased name)
    const rebuilt = await tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON);
    const x = tf.tensor2d([[-2, 0.5, 3]]);
    rebuilt.setWeights(model.getWeights());
    expectClose((rebuilt.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync(), { atol: 0, rtol: 0 });
    tf.dispose([x]);
    model.dispose();
    rebuilt.dispose();
  });
});

describe('custom activations work in recurrent cells (elementwise only)', () => {
  test('SimpleRNN with celu and LSTM with hard_silu build and run', () => {
    tf.tidy(() => {
      const x = tf.ones([1, 3, 2]);
      const rnn = tf.layers.simpleRNN({ units: 2, activation: tfjsActivation('celu') as 'linear' });
      const lstm = tf.layers.lstm({ units: 2, activation: tfjsActivation('hard_silu') as 'linear', recurrentActivation: 'sigmoid' });
      expect((rnn.apply(x) as tf.Tensor).shape).toEqual([1, 2]);
      expect((lstm.apply(x) as tf.Tensor).shape).toEqual([1, 2]);
    });
  });
});
