/**
 * Keras 3's Adam as a tfjs optimizer: the update of keras/src/optimizers/adam.py (amsgrad=False) with tfjs ops, in
 * float32 like any tfjs optimizer. tf.train.adam has the same defaults but adds epsilon after the bias correction
 * (Keras: before it), which is what makes it drift from Keras; see docs/optimizers.md.
 *
 *   const optimizer = new KerasAdamOptimizer({ learningRate: 0.001 });
 *   model.compile({ optimizer, loss });            // or optimizer.applyGradients({ [variable.name]: gradient })
 *
 * Serializable: registered as "KerasAdam" (tfjs's own "Adam" stays tf.train.adam), so a model saved with
 * includeOptimizer loads back with this optimizer, its moments and its step count.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveOptimizerSpec } from './read-options';
import { KerasFormTfjsOptimizer } from './tfjs-keras-optimizer';
import type { AdamConfig } from './types';

interface AdamStepScalars {
  /** lr * sqrt(1 - beta2^t) / (1 - beta1^t) */
  readonly alpha: tf.Scalar;
}

/** Keras 3's Adam (amsgrad=False) on tfjs. Unset fields take Keras's defaults (0.001, 0.9, 0.999, 1e-7). */
export class KerasAdamOptimizer extends KerasFormTfjsOptimizer<AdamStepScalars> {
  static className = 'KerasAdam';
  readonly config: AdamConfig;

  /** @throws ConfigError naming any bad hyperparameter */
  constructor(config: Partial<AdamConfig> = {}) {
    super();
    const { learningRate, beta1, beta2, epsilon } = config;
    const resolved = resolveOptimizerSpec({ name: 'adam', form: 'keras', learningRate, beta1, beta2, epsilon }).config as AdamConfig;
    this.config = { learningRate: resolved.learningRate, beta1: resolved.beta1, beta2: resolved.beta2, epsilon: resolved.epsilon };
  }

  protected override get slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  protected override prepareStep(step: number): AdamStepScalars {
    const { learningRate, beta1, beta2 } = this.config;
    // ops.cast(self.beta_k, float32) and ops.cast(iterations + 1, float32), then float32 scalar ops.
    const t = tf.scalar(step);
    const beta1Power = tf.pow(tf.scalar(beta1), t);
    const beta2Power = tf.pow(tf.scalar(beta2), t);
    const alpha = tf.div(tf.mul(tf.scalar(learningRate), tf.sqrt(tf.sub(1, beta2Power))), tf.sub(1, beta1Power));
    return { alpha: alpha as tf.Scalar };
  }

  protected override updateVariable(variable: tf.Variable, gradient: tf.Tensor, [m, v]: readonly tf.Variable[], { alpha }: AdamStepScalars): void {
    const { beta1, beta2, epsilon } = this.config;
    // m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)   (1 - beta: a double, then a float32 scalar)
    m.assign(tf.add(m, tf.mul(tf.sub(gradient, m), 1 - beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), 1 - beta2)));
    // w -= m * alpha / (sqrt(v) + epsilon)
    variable.assign(tf.sub(variable, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), epsilon))));
  }
}

tf.serialization.registerClass(KerasAdamOptimizer);
