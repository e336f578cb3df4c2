/**
 * Adam's update step re-implemented with switches for the bugs of the optimizer fault catalogue: epsilon in the
 * other form's place, the first or the second moment's bias correction left out. With every switch off it is
 * src/optimizers/adam.ts operation for operation, in either form and precision (test/faults/gradient-faults.test.ts
 * checks it bit for bit), so a switch changes one step of the real update and nothing else. The real optimizers
 * are not patched. Plain TypeScript, no tfjs.
 */
import { kerasCastOfPythonFloat, SlotOptimizer, zeroSlots } from '../../../src/optimizers/slot-optimizer';
import type { AdamConfig, OptimizerForm, OptimizerPrecision } from '../../../src/optimizers/types';

/** The bugs, each off by default. */
export interface AdamBugs {
  /**
   * Epsilon where the other form adds it: Keras's form with tfjs's (after the bias correction, w -= lr * mHat /
   * (sqrt(vHat) + eps)), tfjs's form with Keras's (before it, w -= m * alpha / (sqrt(v) + eps)).
   */
  readonly epsilonOtherPlace?: boolean;
  /** The first moment's bias correction 1 / (1 - beta1^t) left out. */
  readonly noFirstMomentCorrection?: boolean;
  /** The second moment's bias correction 1 / (1 - beta2^t) left out. */
  readonly noSecondMomentCorrection?: boolean;
}

type AdamState = { readonly name: 'adam' } & AdamConfig;

/** Adam in one form, with some bugs switched on. */
export class FaultyAdam extends SlotOptimizer<AdamState> {
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];
  /** tfjs's accumulated beta powers (its form only). */
  private accBeta1 = NaN;
  private accBeta2 = NaN;

  constructor(
    form: OptimizerForm,
    precision: OptimizerPrecision,
    config: AdamConfig,
    private readonly bugs: AdamBugs,
  ) {
    super(form, precision, { name: 'adam', ...config });
  }

  protected build(sizes: readonly number[]): void {
    this.m = zeroSlots(sizes);
    this.v = zeroSlots(sizes);
    this.accBeta1 = this.round(this.config.beta1);
    this.accBeta2 = this.round(this.config.beta2);
  }

  protected update(weights: Float64Array[], grads: readonly Float64Array[]): void {
    if (this.form === 'keras') this.kerasUpdate(weights, grads);
    else this.tfjsUpdate(weights, grads);
  }

  /** KerasFormAdam.update, with the switches. */
  private kerasUpdate(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const { epsilonOtherPlace, noFirstMomentCorrection, noSecondMomentCorrection } = this.bugs;
    const t = this.iterations + 1;
    const beta1Power = r(Math.pow(kerasCastOfPythonFloat(beta1, r), t));
    const beta2Power = r(Math.pow(kerasCastOfPythonFloat(beta2, r), t));
    const lr = r(learningRate);
    const firstCorrection = noFirstMomentCorrection ? 1 : r(1 - beta1Power);
    const secondCorrection = noSecondMomentCorrection ? 1 : r(1 - beta2Power);
    const alpha = r(r(lr * r(Math.sqrt(secondCorrection))) / firstCorrection);
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
        w[j] = epsilonOtherPlace
          ? r(r(w[j]) - r(lr * r(r(m[j] / firstCorrection) / r(r(Math.sqrt(r(v[j] / secondCorrection))) + eps))))
          : r(r(w[j]) - r(r(m[j] * alpha) / r(r(Math.sqrt(v[j])) + eps)));
      }
    });
  }

  /** TfjsFormAdam.update, with the switches. */
  private tfjsUpdate(weights: Float64Array[], grads: readonly Float64Array[]): void {
    const r = this.round;
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const { epsilonOtherPlace, noFirstMomentCorrection, noSecondMomentCorrection } = this.bugs;
    const oneMinusAccBeta1 = noFirstMomentCorrection ? 1 : r(1 - this.accBeta1);
    const oneMinusAccBeta2 = noSecondMomentCorrection ? 1 : r(1 - this.accBeta2);
    const b1 = r(beta1);
    const b2 = r(beta2);
    const oneMinusBeta1 = r(1 - beta1);
    const oneMinusBeta2 = r(1 - beta2);
    const eps = r(epsilon);
    const minusLr = r(-learningRate);
    // Keras's placement: epsilon added to sqrt(v) before the correction, alpha = lr sqrt(1 - b2^t) / (1 - b1^t).
    const alpha = r(r(r(learningRate) * r(Math.sqrt(oneMinusAccBeta2))) / oneMinusAccBeta1);
    weights.forEach((w, i) => {
      const g = grads[i];
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < w.length; j++) {
        const gj = r(g[j]);
        m[j] = r(r(m[j] * b1) + r(gj * oneMinusBeta1));
        v[j] = r(r(v[j] * b2) + r(r(gj * gj) * oneMinusBeta2));
        if (epsilonOtherPlace) {
          w[j] = r(r(w[j]) - r(r(m[j] * alpha) / r(r(Math.sqrt(v[j])) + eps)));
          continue;
        }
        const mHat = r(m[j] / oneMinusAccBeta1);
        const vHat = r(v[j] / oneMinusAccBeta2);
        w[j] = r(r(r(mHat / r(r(Math.sqrt(vHat)) + eps)) * minusLr) + r(w[j]));
      }
    });
    this.accBeta1 = r(this.accBeta1 * b1);
    this.accBeta2 = r(this.accBeta2 * b2);
  }
}
