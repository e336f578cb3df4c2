/**
 * Adam in Keras 3's form and in tfjs's form. Same moments, different bias correction and epsilon placement:
 *
 *   Keras (keras/src/optimizers/adam.py, update_step), t = iterations + 1:
 *     alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)      (beta_k here is float32(beta_k), even in float64)
 *     m += (g - m) * (1 - beta1);   v += (g^2 - v) * (1 - beta2)
 *     w -= m * alpha / (sqrt(v) + epsilon)
 *   tfjs (tfjs-core/dist/optimizers/adam_optimizer.js, applyGradients), accBeta_k = beta_k^t kept by multiplying:
 *     m = m * beta1 + g * (1 - beta1);   v = v * beta2 + g^2 * (1 - beta2)
 *     w = (m / (1 - accBeta1)) / (sqrt(v / (1 - accBeta2)) + epsilon) * (-lr) + w
 *
 * Both are lr * mHat / (sqrt(vHat) + eps') with eps' = epsilon in tfjs and epsilon / sqrt(1 - beta2^t) in Keras:
 * 31.6x larger at step 1 with beta2 0.999, shrinking towards epsilon as t grows.
 */
import { kerasCastOfPythonFloat, SlotOptimizer, zeroSlots } from './slot-optimizer';
import type { AdamConfig } from './types';

type AdamState = { readonly name: 'adam' } & AdamConfig;

/** Keras 3's Adam (amsgrad=False), operation for operation. */
export class KerasFormAdam extends SlotOptimizer<AdamState> {
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];

  protected build(sizes: readonly number[]): void {
    this.m = zeroSlots(sizes);
    this.v = zeroSlots(sizes);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    // Scalars as update_step makes them: ops.cast(..., variable.dtype), then scalar tensor ops. The betas in the
    // powers go through ops.cast of a Python float, so they are float32(beta) even in a float64 run.
    const t = this.iterations + 1;
    const beta1Power = r(Math.pow(kerasCastOfPythonFloat(beta1, r), t));
    const beta2Power = r(Math.pow(kerasCastOfPythonFloat(beta2, r), t));
    const lr = r(learningRate);
    const alpha = r(r(lr * r(Math.sqrt(r(1 - beta2Power)))) / r(1 - beta1Power));
    // `1 - self.beta_1` is a Python float (a double) made a tensor of the variable's dtype.
    const oneMinusBeta1 = r(1 - beta1);
    const oneMinusBeta2 = r(1 - beta2);
    const eps = r(epsilon);
    weights.forEach((w, i) => {
      const g = grads[i];
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        m[j] = r(m[j] + r(r(gj - m[j]) * oneMinusBeta1));
        v[j] = r(v[j] + r(r(r(gj * gj) - v[j]) * oneMinusBeta2));
        w[j] = r(r(w[j]) - r(r(m[j] * alpha) / r(r(Math.sqrt(v[j])) + eps)));
      }
    });
  }
}

/** tfjs 4.22's AdamOptimizer, operation for operation (its accBeta powers by repeated multiplication included). */
export class TfjsFormAdam extends SlotOptimizer<AdamState> {
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];
  private accBeta1 = NaN;
  private accBeta2 = NaN;

  protected build(sizes: readonly number[]): void {
    this.m = zeroSlots(sizes);
    this.v = zeroSlots(sizes);
    // The constructor's scalar(beta1).variable(): beta^1, multiplied by beta after every step.
    this.accBeta1 = this.round(this.config.beta1);
    this.accBeta2 = this.round(this.config.beta2);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const oneMinusAccBeta1 = r(1 - this.accBeta1);
    const oneMinusAccBeta2 = r(1 - this.accBeta2);
    // JS numbers made float32 scalars by mul/add: beta1, 1 - beta1 (computed in double first), epsilon, -lr.
    const b1 = r(beta1);
    const b2 = r(beta2);
    const oneMinusBeta1 = r(1 - beta1);
    const oneMinusBeta2 = r(1 - beta2);
    const eps = r(epsilon);
    const minusLr = r(-learningRate);
    weights.forEach((w, i) => {
      const g = grads[i];
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        m[j] = r(r(m[j] * b1) + r(gj * oneMinusBeta1));
        v[j] = r(r(v[j] * b2) + r(r(gj * gj) * oneMinusBeta2));
        const mHat = r(m[j] / oneMinusAccBeta1);
        const vHat = r(v[j] / oneMinusAccBeta2);
        w[j] = r(r(r(mHat / r(r(Math.sqrt(vHat)) + eps)) * minusLr) + r(w[j]));
      }
    });
    this.accBeta1 = r(this.accBeta1 * b1);
    this.accBeta2 = r(this.accBeta2 * b2);
  }
}
