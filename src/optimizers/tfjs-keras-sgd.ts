/**
 * Keras 3's SGD as a tfjs optimizer: the update of keras/src/optimizers/sgd.py with tfjs ops, in float32. With a
 * constant learning rate tf.train.sgd / tf.train.momentum compute the same algorithm (plain SGD even the same
 * arithmetic); momentum differs by rounding (tfjs accumulates raw gradients and scales by -lr at the end) and, when
 * the learning rate changes between steps, in what it rescales. This one matches Keras bit for bit; see
 * docs/optimizers.md.
 *
 * Serializable: registered as "KerasSGD" (tfjs's own "SGD" and "Momentum" stay tf.train's).
 */
import * as tf from '@tensorflow/tfjs';
import { resolveOptimizerSpec } from './read-options';
import { KerasFormTfjsOptimizer } from './tfjs-keras-optimizer';
import type { SgdConfig } from './types';

interface SgdStepScalars {
  readonly learningRate: tf.Scalar;
}

/** Keras 3's SGD on tfjs. Unset fields take Keras's defaults (0.01, momentum 0, no Nesterov). */
export class KerasSgdOptimizer extends KerasFormTfjsOptimizer<SgdStepScalars> {
  static className = 'KerasSGD';
  readonly config: SgdConfig;

  /** @throws ConfigError naming any bad hyperparameter */
  constructor(config: Partial<SgdConfig> = {}) {
    super();
    const { learningRate, momentum, nesterov } = config;
    const resolved = resolveOptimizerSpec({ name: 'sgd', form: 'keras', learningRate, momentum, nesterov }).config as SgdConfig;
    this.config = { learningRate: resolved.learningRate, momentum: resolved.momentum, nesterov: resolved.nesterov };
  }

  /** Keras builds a momentum slot only for momentum != 0. */
  protected override get slotNames(): readonly string[] {
    return this.config.momentum !== 0 ? ['momentum'] : [];
  }

  protected override prepareStep(): SgdStepScalars {
    return { learningRate: tf.scalar(this.config.learningRate) };
  }

  protected override updateVariable(variable: tf.Variable, gradient: tf.Tensor, [m]: readonly tf.Variable[], { learningRate }: SgdStepScalars): void {
    const { momentum, nesterov } = this.config;
    if (m === undefined) {
      // w -= g * lr
      variable.assign(tf.sub(variable, tf.mul(gradient, learningRate)));
      return;
    }
    // m = m * momentum - g * lr;  w += m  (Nesterov: w += m * momentum - g * lr)
    m.assign(tf.sub(tf.mul(m, momentum), tf.mul(gradient, learningRate)));
    variable.assign(tf.add(variable, nesterov ? tf.sub(tf.mul(m, momentum), tf.mul(gradient, learningRate)) : m));
  }
}

tf.serialization.registerClass(KerasSgdOptimizer);
