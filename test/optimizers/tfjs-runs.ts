/**
 * Runs a tfjs optimizer over the golden gradient sequence (test/fixtures/optimizers/keras-optimizers.json) on the
 * active tfjs backend: float32 variables from the golden initial weights, one applyGradients per step.
 */
import * as tf from '@tensorflow/tfjs';
import { loadGoldens, type WeightHistory } from './goldens';

/** The weights after each step, read back as numbers (float32 values). Leaves no tensor behind. */
export function runTfjsGoldenSequence(optimizer: tf.Optimizer, steps = loadGoldens().steps): WeightHistory {
  const { initialWeights, gradients } = loadGoldens();
  const variables = initialWeights.map((w) => tf.tidy(() => tf.variable(tf.tensor1d(w, 'float32'))));
  const history: WeightHistory = [];
  try {
    for (let k = 0; k < steps; k++) {
      tf.tidy(() => {
        const named: tf.NamedTensorMap = {};
        variables.forEach((v, i) => (named[v.name] = tf.tensor1d(gradients[k][i], 'float32')));
        optimizer.applyGradients(named);
      });
      history.push(variables.map((v) => Array.from(v.dataSync())));
    }
  } finally {
    tf.dispose(variables);
  }
  return history;
}
