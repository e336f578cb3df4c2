/**
 * Keras 3's RMSprop as a tfjs optimizer: the update of keras/src/optimizers/rmsprop.py with tfjs ops, in float32.
 * Uncentered, tf.train.rmsprop already computes exactly this (same operations on the same values); centered, it
 * subtracts epsilon under the square root where Keras adds it (and gives NaN once v - a^2 < epsilon). Use this one
 * for centered=true parity with Keras; see docs/optimizers.md.
 *
 * Serializable: registered as "KerasRMSprop" (tfjs's own "RMSProp" stays tf.train.rmsprop).
 */
import * as tf from '@tensorflow/tfjs';
import { resolveOptimizerSpec } from './read-options';
import { KerasFormTfjsOptimizer } from './tfjs-keras-optimizer';
import type { RmspropConfig } from './types';

interface RmspropStepScalars {
  readonly learningRate: tf.Scalar;
}

/** Keras 3's RMSprop on tfjs. Unset fields take Keras's defaults (0.001, rho 0.9, momentum 0, 1e-7, uncentered). */
export class KerasRmspropOptimizer extends KerasFormTfjsOptimizer<RmspropStepScalars> {
  static className = 'KerasRMSprop';
  readonly config: RmspropConfig;

  /** @throws ConfigError naming any bad hyperparameter */
  constructor(config: Partial<RmspropConfig> = {}) {
    super();
    const { learningRate, rho, momentum, epsilon, centered } = config;
    const resolved = resolveOptimizerSpec({ name: 'rmsprop', form: 'keras', learningRate, rho, momentum, epsilon, centered }).config as RmspropConfig;
    this.config = {
      learningRate: resolved.learningRate,
      rho: resolved.rho,
      momentum: resolved.momentum,
      epsilon: resolved.epsilon,
      centered: resolved.centered,
    };
  }

  /** Keras builds a momentum slot only for momentum > 0 and an average_gradient slot only when centered. */
  protected override get slotNames(): readonly string[] {
    return ['velocity', ...(this.config.momentum > 0 ? ['momentum'] : []), ...(this.config.centered ? ['average_gradient'] : [])];
  }

  protected override prepareStep(): RmspropStepScalars {
    return { learningRate: tf.scalar(this.config.learningRate) };
  }

  protected override updateVariable(variable: tf.Variable, gradient: tf.Tensor, slots: readonly tf.Variable[], { learningRate }: RmspropStepScalars): void {
    const { rho, momentum, epsilon, centered } = this.config;
    const [velocity] = slots;
    const momentumSlot = momentum > 0 ? slots[1] : undefined;
    const averageGradient = centered ? slots[slots.length - 1] : undefined;
    // v = rho * v + (1 - rho) * g^2
    velocity.assign(tf.add(tf.mul(rho, velocity), tf.mul(1 - rho, tf.square(gradient))));
    let denominator: tf.Tensor;
    if (averageGradient !== undefined) {
      // a = rho * a + (1 - rho) * g;  v - a^2 + epsilon
      averageGradient.assign(tf.add(tf.mul(rho, averageGradient), tf.mul(1 - rho, gradient)));
      denominator = tf.add(tf.sub(velocity, tf.square(averageGradient)), epsilon);
    } else {
      denominator = tf.add(velocity, epsilon);
    }
    const increment = tf.div(tf.mul(learningRate, gradient), tf.sqrt(denominator));
    if (momentumSlot !== undefined) {
      momentumSlot.assign(tf.add(tf.mul(momentum, momentumSlot), increment));
      variable.assign(tf.sub(variable, momentumSlot));
    } else {
      variable.assign(tf.sub(variable, increment));
    }
  }
}

tf.serialization.registerClass(KerasRmspropOptimizer);
