/**
 * RMSprop (plain, momentum, centered) in Keras 3's form and in tfjs's form.
 *
 *   Keras (keras/src/optimizers/rmsprop.py):
 *     v = rho * v + (1 - rho) * g^2
 *     centered:  a = rho * a + (1 - rho) * g;  d = v - a^2 + epsilon     else d = v + epsilon
 *     inc = lr * g / sqrt(d)
 *     momentum > 0:  p = momentum * p + inc;  w -= p        else w -= inc
 *   tfjs (rmsprop_optimizer.js), decay = rho, a momentum accumulator p always kept:
 *     v = v * decay + g^2 * (1 - decay)
 *     centered:  a = a * decay + g * (1 - decay);  d = v - (a^2 + epsilon)     else d = v + epsilon
 *     p = p * momentum + g * lr / sqrt(d);  w = w - p
 *
 * Uncentered, the two are the same operations on the same values (products commute exactly, and p * 0 + inc is inc),
 * so they agree bit for bit. Centered, tfjs SUBTRACTS epsilon under the square root where Keras adds it: tfjs's
 * step is larger, and NaN once the variance estimate v - a^2 falls below epsilon (e.g. a gradient that stays put).
 */
import { SlotOptimizer, zeroSlots } from './slot-optimizer';
import type { RmspropConfig } from './types';

type RmspropState = { readonly name: 'rmsprop' } & RmspropConfig;

/** Keras 3's RMSprop, operation for operation (momentum and average-gradient slots only when Keras builds them). */
export class KerasFormRmsprop extends SlotOptimizer<RmspropState> {
  private velocity: Float64Array[] = [];
  private momentum: Float64Array[] = [];
  private averageGradient: Float64Array[] = [];

  protected build(sizes: readonly number[]): void {
    this.velocity = zeroSlots(sizes);
    if (this.config.momentum > 0) this.momentum = zeroSlots(sizes);
    if (this.config.centered) this.averageGradient = zeroSlots(sizes);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { centered } = this.config;
    const hasMomentum = this.config.momentum > 0;
    const lr = r(this.config.learningRate);
    const rho = r(this.config.rho);
    const oneMinusRho = r(1 - this.config.rho);
    const eps = r(this.config.epsilon);
    const momentum = r(this.config.momentum);
    weights.forEach((w, i) => {
      const g = grads[i];
      const v = this.velocity[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        v[j] = r(r(rho * v[j]) + r(oneMinusRho * r(gj * gj)));
        let denominator: number;
        if (centered) {
          const a = this.averageGradient[i];
          a[j] = r(r(rho * a[j]) + r(oneMinusRho * gj));
          denominator = r(r(v[j] - r(a[j] * a[j])) + eps);
        } else {
          denominator = r(v[j] + eps);
        }
        const increment = r(r(lr * gj) / r(Math.sqrt(denominator)));
        if (hasMomentum) {
          const p = this.momentum[i];
          p[j] = r(r(momentum * p[j]) + increment);
          w[j] = r(r(w[j]) - p[j]);
        } else {
          w[j] = r(r(w[j]) - increment);
        }
      }
    });
  }
}

/** tfjs 4.22's RMSPropOptimizer, operation for operation (epsilon's sign in the centered case included). */
export class TfjsFormRmsprop extends SlotOptimizer<RmspropState> {
  private meanSquare: Float64Array[] = [];
  private moments: Float64Array[] = [];
  private meanGradient: Float64Array[] = [];

  protected build(sizes: readonly number[]): void {
    this.meanSquare = zeroSlots(sizes);
    this.moments = zeroSlots(sizes);
    if (this.config.centered) this.meanGradient = zeroSlots(sizes);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { centered } = this.config;
    const lr = r(this.config.learningRate);
    const decay = r(this.config.rho);
    const oneMinusDecay = r(1 - this.config.rho);
    const eps = r(this.config.epsilon);
    const momentum = r(this.config.momentum);
    weights.forEach((w, i) => {
      const g = grads[i];
      const ms = this.meanSquare[i];
      const p = this.moments[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        ms[j] = r(r(ms[j] * decay) + r(r(gj * gj) * oneMinusDecay));
        let denominator: number;
        if (centered) {
          const a = this.meanGradient[i];
          a[j] = r(r(a[j] * decay) + r(gj * oneMinusDecay));
          denominator = r(ms[j] - r(r(a[j] * a[j]) + eps));
        } else {
          denominator = r(ms[j] + eps);
        }
        p[j] = r(r(p[j] * momentum) + r(r(gj * lr) / r(Math.sqrt(denominator))));
        w[j] = r(r(w[j]) - p[j]);
      }
    });
  }
}
