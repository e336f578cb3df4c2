/**
 * SGD (plain, momentum, Nesterov) in Keras 3's form and in tfjs's form.
 *
 *   Keras (keras/src/optimizers/sgd.py), a velocity that carries the learning rate:
 *     plain:     w -= g * lr
 *     momentum:  m = m * momentum - g * lr;  w += m         (momentum here is float32(momentum), even in float64)
 *     nesterov:  m = m * momentum - g * lr;  w += m * momentum - g * lr
 *   tfjs (sgd_optimizer.js, momentum_optimizer.js), c = -lr, an accumulator of raw gradients:
 *     tf.train.sgd:                  w = c * g + w
 *     tf.train.momentum:             a = momentum * a + g;  w = c * a + w
 *     tf.train.momentum, nesterov:   a = momentum * a + g;  w = c * (g + a * momentum) + w
 *
 * With a constant learning rate m = -lr * a, so the two are the same algorithm and differ by rounding only; plain
 * SGD is the same arithmetic in both (x + (-y) is x - y exactly). They part when the learning rate changes between
 * steps: tfjs rescales the whole accumulated history by the new rate, Keras only the new gradient.
 */
import { kerasCastOfPythonFloat, SlotOptimizer, zeroSlots } from './slot-optimizer';
import type { SgdConfig } from './types';

type SgdState = { readonly name: 'sgd' } & SgdConfig;

/** Keras 3's SGD, operation for operation (no velocity at all when momentum is 0, as in Keras's build). */
export class KerasFormSgd extends SlotOptimizer<SgdState> {
  private velocity: Float64Array[] = [];

  protected build(sizes: readonly number[]): void {
    if (this.config.momentum !== 0) this.velocity = zeroSlots(sizes);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const lr = r(this.config.learningRate);
    // ops.cast(self.momentum, variable.dtype): float32(momentum) even in a float64 run.
    const momentum = kerasCastOfPythonFloat(this.config.momentum, r);
    const { nesterov } = this.config;
    weights.forEach((w, i) => {
      const g = grads[i];
      if (this.config.momentum === 0) {
        for (let j = 0; j < w.length; j++) w[j] = r(r(w[j]) - r(r(g[j]) * lr));
        return;
      }
      const m = this.velocity[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        m[j] = r(r(m[j] * momentum) - r(gj * lr));
        w[j] = nesterov ? r(r(w[j]) + r(r(m[j] * momentum) - r(gj * lr))) : r(r(w[j]) + m[j]);
      }
    });
  }
}

/** tfjs 4.22's SGDOptimizer (momentum 0) or MomentumOptimizer (momentum > 0), operation for operation. */
export class TfjsFormSgd extends SlotOptimizer<SgdState> {
  private accumulation: Float64Array[] = [];

  protected build(sizes: readonly number[]): void {
    if (this.config.momentum !== 0) this.accumulation = zeroSlots(sizes);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    // SGDOptimizer's this.c = scalar(-learningRate); MomentumOptimizer's this.m = scalar(momentum).
    const c = r(-this.config.learningRate);
    const momentum = r(this.config.momentum);
    const { nesterov } = this.config;
    weights.forEach((w, i) => {
      const g = grads[i];
      if (this.config.momentum === 0) {
        for (let j = 0; j < w.length; j++) w[j] = r(r(c * r(g[j])) + r(w[j]));
        return;
      }
      const a = this.accumulation[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        a[j] = r(r(momentum * a[j]) + gj);
        const direction = nesterov ? r(gj + r(a[j] * momentum)) : a[j];
        w[j] = r(r(c * direction) + r(w[j]));
      }
    });
  }
}
