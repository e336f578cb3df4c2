/**
 * How close a gradient check came to its tolerances, per comparison, as one number each: the worst error /
 * allowed over the tensors (below 1 passes, above 1 fails, exactly as checkGradients decides):
 *   layer vs hand, hand vs Keras, layer vs Keras   scaledMaxError / tolerance
 *   hand vs finite differences                     max over the judged (smooth) probes of scaledError / (tolerance + its rounding floor)
 * A non-finite value counts as Infinity. Plain TypeScript.
 */
import type { GradientCheckResult, GradientPair, TensorGradientRow } from '../../../src/graph/gradient-check';

/** The worst ratio of one comparison over a check's tensors, and the tensor where it was. */
interface PairRatio {
  readonly ratio: number;
  readonly tensor: string;
}

function finiteDifferenceRatio(row: TensorGradientRow, tolerance: number): number {
  let worst = 0;
  for (const probe of row.probes) {
    if (!Number.isFinite(probe.analytic) || !Number.isFinite(probe.numeric)) return Infinity;
    // A probe across a kink (its two steps disagree) is not judged by the check: nor counted here.
    if (probe.smooth === false) continue;
    worst = Math.max(worst, probe.scaledError / (tolerance + probe.scaledFloor));
  }
  return worst;
}

/** The worst error / allowed per comparison the check made (pairs it did not make are absent). */
export function pairRatios(result: GradientCheckResult): Map<GradientPair, PairRatio> {
  const worst = new Map<GradientPair, PairRatio>();
  for (const row of result.rows) {
    for (const { pair, difference } of row.comparisons) {
      const ratio =
        pair === 'hand vs finite differences'
          ? finiteDifferenceRatio(row, result.tolerances.finiteDifferences)
          : difference.nonFinite > 0
            ? Infinity
            : difference.scaledMaxError / difference.tolerance;
      const seen = worst.get(pair);
      if (seen === undefined || ratio > seen.ratio || Number.isNaN(ratio)) worst.set(pair, { ratio, tensor: row.name });
    }
  }
  return worst;
}

/** A ratio for a table: 2 significant digits, x appended (0.31x, 4.2e+3x); Infinity as "inf". */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return Number.isNaN(ratio) ? 'NaN' : 'inf';
  return `${ratio >= 100 || (ratio < 0.01 && ratio > 0) ? ratio.toExponential(1) : ratio.toPrecision(2)}x`;
}
