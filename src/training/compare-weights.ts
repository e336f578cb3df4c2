/**
 * One step's comparison: every trainable weight of the layer path (float32, tfjs) against the hand path's
 * (float64), per tensor, as the gradient comparison does (src/gradients/compare-gradients.ts) but scaled by the
 * tensor's size over the whole run so far (WeightScales), not only after this step:
 *
 *   scaledMaxError     max_i |a_i - b_i| / max over steps 0..s of max_i |b_i|      (what the tolerance judges)
 *   relativeNormError  ||a - b||_2 / max over steps 0..s of ||b||_2
 *
 * Why the running scale: a weight's float32 rounding is made while it is large, and stays when it shrinks. A
 * one-element tensor (Dense(1)'s bias, a [1, 1] recurrent kernel) that crosses zero has max |b| -> 0 after that
 * step, and the plain scaled error spikes without anything going wrong: measured 1.0e-5 at one step of SGD on
 * text-bilstm-classifier (Dense(1) bias) and 3.1e-3 at one step of Adam on a random model with a [1, 1] kernel,
 * each back at the float32 level (3e-7, 1.7e-4) a step later. Plain TypeScript, no tfjs.
 */
import { compareGradients, maxAbs, norm2, type GradientDifference } from '../gradients/compare-gradients';
import type { TrainableWeight } from './trainable';

/** One weight tensor after one step. */
export interface WeightDifference {
  /** `layer/weight`. */
  readonly name: string;
  readonly difference: GradientDifference;
}

/** The worst tensor of a step: the largest scaled max error (a non-finite one first). */
export interface WorstWeight {
  readonly name: string;
  readonly scaledMaxError: number;
  readonly relativeNormError: number;
}

/** Per tensor, the largest max |w| and ||w||_2 the reference has had so far (NaN and Inf ignored). */
export class WeightScales {
  private readonly maxAbs: number[];
  private readonly norms: number[];

  /** @param initial the weights before the first step, one array per trainable weight */
  constructor(initial: readonly ArrayLike<number>[]) {
    this.maxAbs = initial.map(maxAbs);
    this.norms = initial.map(norm2);
  }

  /** Takes in the reference's weights after a step. */
  update(weights: readonly ArrayLike<number>[]): void {
    weights.forEach((w, i) => {
      const m = maxAbs(w);
      const n = norm2(w);
      if (Number.isFinite(m) && m > this.maxAbs[i]) this.maxAbs[i] = m;
      if (Number.isFinite(n) && n > this.norms[i]) this.norms[i] = n;
    });
  }

  /** Tensor i's running max |w| and ||w||_2 (1 where it has been all zeros, as compareGradients does). */
  scaleOf(i: number): { maxAbs: number; norm: number } {
    return { maxAbs: this.maxAbs[i] > 0 ? this.maxAbs[i] : 1, norm: this.norms[i] > 0 ? this.norms[i] : 1 };
  }
}

/**
 * @param actual the path under test's weights (the layer path's), in `trainable` order
 * @param expected the reference's (the hand path's), after `scales` took them in
 * @param scales the reference's running scales (default: this step's own, as compareGradients scales)
 */
export function compareWeights(
  trainable: readonly TrainableWeight[],
  actual: readonly ArrayLike<number>[],
  expected: readonly ArrayLike<number>[],
  tolerance: number,
  scales?: WeightScales,
): WeightDifference[] {
  return trainable.map((t, i) => {
    const plain = compareGradients(actual[i], expected[i], tolerance);
    if (scales === undefined || plain.nonFinite > 0) return { name: t.name, difference: plain };
    const scale = scales.scaleOf(i);
    let diffSquares = 0;
    for (let j = 0; j < actual[i].length; j++) diffSquares += (actual[i][j] - expected[i][j]) ** 2;
    const scaledMaxError = plain.maxAbsError / scale.maxAbs;
    const difference: GradientDifference = {
      ...plain,
      scale: scale.maxAbs,
      scaledMaxError,
      relativeNormError: Math.sqrt(diffSquares) / scale.norm,
      pass: scaledMaxError <= tolerance,
    };
    return { name: t.name, difference };
  });
}

/** The step's worst tensor; scaled max error 0 for a model with no trainable weight. */
export function worstWeight(differences: readonly WeightDifference[]): WorstWeight {
  let worst: WorstWeight = { name: '', scaledMaxError: 0, relativeNormError: 0 };
  for (const { name, difference: d } of differences) {
    if (Number.isNaN(worst.scaledMaxError)) break;
    if (!(d.scaledMaxError <= worst.scaledMaxError)) worst = { name, scaledMaxError: d.scaledMaxError, relativeNormError: d.relativeNormError };
  }
  return worst;
}
