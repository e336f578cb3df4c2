/**
 * Why a correct model failed a gradient comparison: each failing (tensor, comparison) of a check gets the
 * first cause the evidence supports.
 *
 *   layer vs hand
 *     float32 floor          the hand path run in float32 (every operation rounded) is as far from float64 as tfjs is
 *                            (layer error <= FLOAT32_FLOOR_FACTOR x hand32 error): float32 arithmetic cannot meet the
 *                            tolerance on this tensor, whatever the framework: a tolerance problem
 *     max tie                a GlobalMaxPooling1D input holds an exact tie at its max: tfjs gives every tied step the
 *                            whole gradient, TF (Keras) splits it (src/layers/global-pooling-1d-backward.ts)
 *     one-feature LayerNorm  a LayerNormalization over a last axis of size 1, whose exact input gradient is 0: tfjs
 *                            leaves float32 residue times 1 / sqrt(epsilon) there
 *   (the tfjs causes: ./known-issues.ts has a reproducer of each)
 *   hand vs finite differences
 *     FD truncation          the failing entry's central difference at a step 10x smaller moves >= 30x closer to the
 *                            hand gradient: the difference's h^2 error, not the backward
 *   otherwise 'unexplained': a candidate backward bug, to be read by a person.
 * Plain TypeScript, no tfjs.
 */
import { checkInputs } from '../../../src/graph/check-inputs';
import type { GradientCheckResult, GradientPair } from '../../../src/graph/gradient-check';
import { handLoss, handLossGradients } from '../../../src/graph/hand-backward';
import { forwardGraphValues } from '../../../src/graph/hand-forward';
import type { GraphModel } from '../../../src/graph/model';
import { compareGradients } from '../../../src/gradients/compare-gradients';
import { lossTargets, type LossName } from '../../../src/gradients/losses';
import type { HandTensor } from '../../../src/layers/kind';
import type { NdArray } from '../../../src/tensor';
import { probePasses } from '../../../src/gradients/finite-differences';

export type Cause = 'float32 floor' | 'max tie' | 'one-feature LayerNorm' | 'FD truncation' | 'unexplained';

/** How many times the float32 hand path's own error a layer error may be and still count as the float32 floor. */
const FLOAT32_FLOOR_FACTOR = 10;

export interface Diagnosis {
  readonly tensor: string;
  readonly pair: GradientPair;
  readonly cause: Cause;
  /** The numbers behind it, in words. */
  readonly detail: string;
}

/** What the check ran on: its inputs and targets as checkGradients made them. */
interface CheckedCase {
  readonly model: GraphModel;
  readonly inputs: readonly NdArray[];
  readonly loss: LossName;
  readonly targets: readonly (NdArray | undefined)[];
}

/** The case checkGradients ran for these options (its inputs and targets, made as it makes them). */
export function checkedCase(model: GraphModel, loss: LossName, seed: number, batch: number, inputs?: readonly NdArray[]): CheckedCase {
  const made = checkInputs(model, { seed, batch, ...(inputs ? { inputs } : {}) });
  const values = forwardGraphValues(model, made, 'float64');
  const targets = lossTargets(
    loss,
    model.outputs.map((ref) => ({ name: ref, shape: (values.get(ref) as HandTensor).shape })),
    seed,
  );
  return { model, inputs: made, loss, targets };
}

/** The hand gradients in the check's row order: float inputs, then every weight. */
function rowGradients(c: CheckedCase, precision: 'float64' | 'float32'): ArrayLike<number>[] {
  const { gradients } = handLossGradients(c.model, c.inputs, c.loss, c.targets, precision);
  return [...gradients.inputs.filter((g): g is Float64Array | Float32Array => g !== null), ...gradients.weights.flat()];
}

/** Whether some GlobalMaxPooling1D input has two equal values at the max of one (sample, channel). */
function maxTie(model: GraphModel, values: ReadonlyMap<string, HandTensor>): boolean {
  return model.layers
    .filter((l) => l.kind === 'global-max-pooling-1d')
    .some((l) => {
      const x = values.get(l.inbound[0]) as HandTensor;
      const [batch, timeSteps, channels] = x.shape;
      for (let b = 0; b < batch; b++) {
        for (let c = 0; c < channels; c++) {
          let max = -Infinity;
          let count = 0;
          for (let t = 0; t < timeSteps; t++) {
            const v = x.data[(b * timeSteps + t) * channels + c];
            if (v > max) [max, count] = [v, 1];
            else if (v === max) count++;
          }
          if (count > 1) return true;
        }
      }
      return false;
    });
}

/** Whether some LayerNormalization normalizes a last axis of size 1. */
function oneFeatureLayerNormalization(model: GraphModel, values: ReadonlyMap<string, HandTensor>): boolean {
  return model.layers.some((l) => l.kind === 'layer-normalization' && (values.get(l.inbound[0]) as HandTensor).shape.at(-1) === 1);
}

/** The central difference of entry `index` of row tensor `row` at step h (the check's relative step, scaled). */
function centralDifference(c: CheckedCase, row: number, index: number, h: number): number {
  const inputs64 = c.inputs.map((x) => ({ shape: x.shape, data: Float64Array.from(x.data) }));
  const weights64 = c.model.layers.map((layer) => layer.weights.map((w) => Float64Array.from(w.data)));
  const floatInputs = c.model.inputs.map((input, i) => (input.dtype === 'int32' ? -1 : i)).filter((i) => i >= 0);
  const tensors = [...floatInputs.map((i) => inputs64[i].data), ...weights64.flat()];
  const values = tensors[row];
  const v = values[index];
  const step = h * Math.max(1, Math.abs(v));
  values[index] = v + step;
  const plus = handLoss(c.model, inputs64, c.loss, c.targets, weights64);
  values[index] = v - step;
  const minus = handLoss(c.model, inputs64, c.loss, c.targets, weights64);
  values[index] = v;
  return (plus - minus) / (2 * step);
}

/** One cause per failing (tensor, comparison) of `result`. */
export function diagnoseFailures(c: CheckedCase, result: GradientCheckResult): Diagnosis[] {
  const failing = result.rows.flatMap((row, n) => row.comparisons.filter((x) => !x.difference.pass).map((x) => ({ row, n, comparison: x })));
  if (failing.length === 0) return [];
  const hand64 = rowGradients(c, 'float64');
  const hand32 = rowGradients(c, 'float32');
  const values = forwardGraphValues(c.model, c.inputs, 'float64');
  const tie = maxTie(c.model, values);
  const oneFeature = oneFeatureLayerNormalization(c.model, values);
  return failing.map(({ row, n, comparison }): Diagnosis => {
    const { pair, difference } = comparison;
    const base = { tensor: row.name, pair };
    if (pair === 'layer vs hand') {
      const floor = compareGradients(hand32[n], hand64[n], 1).scaledMaxError;
      const detail = `layer ${difference.scaledMaxError.toExponential(2)}, float32 hand ${floor.toExponential(2)} (scaled), tolerance ${difference.tolerance.toExponential(1)}`;
      if (difference.scaledMaxError <= FLOAT32_FLOOR_FACTOR * floor) return { ...base, cause: 'float32 floor', detail };
      if (tie) return { ...base, cause: 'max tie', detail };
      if (oneFeature) return { ...base, cause: 'one-feature LayerNorm', detail };
      return { ...base, cause: 'unexplained', detail };
    }
    if (pair === 'hand vs finite differences') {
      const probe = row.probes.find((p) => !probePasses(p, difference.tolerance) && p.at !== 'direction');
      if (probe && typeof probe.at === 'number') {
        const analytic = probe.analytic;
        const near = centralDifference(c, n, probe.at, 1e-6);
        const before = Math.abs(probe.numeric - analytic);
        const after = Math.abs(near - analytic);
        const detail = `entry ${probe.at}: |fd - g| ${before.toExponential(2)} at step 1e-5, ${after.toExponential(2)} at 1e-6 (g ${analytic.toExponential(3)})`;
        return { ...base, cause: after * 30 <= before ? 'FD truncation' : 'unexplained', detail };
      }
      return { ...base, cause: 'unexplained', detail: `the direction probe fails: ${difference.scaledMaxError.toExponential(2)} scaled` };
    }
    return { ...base, cause: 'unexplained', detail: `${difference.scaledMaxError.toExponential(2)} scaled` };
  });
}
