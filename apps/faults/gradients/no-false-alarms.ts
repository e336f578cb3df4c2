/**
 * The no-false-alarm sweep: the correct code through checkGradients on many valid models, at the default
 * tolerances. Every comparison must pass; the sweep records how close each came (the worst error / allowed
 * per comparison, and where), how many models held each layer kind, and every model that failed, with what
 * a person needs to rebuild it. Library code: returns a summary, never prints.
 */
import type { BackendChoice } from '../../../src/backends';
import { checkGradients, type GradientPair } from '../../../src/graph/gradient-check';
import type { GraphModel } from '../../../src/graph/model';
import { LOSSES, type LossName } from '../../../src/gradients/losses';
import type { NdArray } from '../../../src/tensor';
import { checkedCase, diagnoseFailures, type Cause, type Diagnosis } from './diagnose';
import { pairRatios } from './ratios';

/** One model of the sweep. */
export interface SweepModel {
  /** How to find it again, e.g. `random graph 17 (seed 42)`. */
  readonly name: string;
  readonly model: GraphModel;
  readonly batch: number;
  /** Given where the model needs particular values (padding); else seeded. */
  readonly inputs?: readonly NdArray[];
  /** Each output's last axis (which losses fit: sweepLoss). */
  readonly outputWidths: readonly number[];
  /** The model in words (layers, configs, shapes), for a failure report. */
  readonly describe: () => string;
}

/** The worst ratio of one comparison over the sweep, and where. */
export interface SweepWorst {
  readonly ratio: number;
  readonly model: string;
  readonly tensor: string;
  readonly loss: LossName;
}

/** A model that failed a comparison (a false alarm, or a backward bug: read its description). */
interface SweepFailure {
  readonly model: string;
  readonly loss: LossName;
  readonly seed: number;
  readonly pairs: readonly { pair: GradientPair; ratio: number; tensor: string }[];
  /** Each failing (tensor, comparison)'s cause (./diagnose.ts). */
  readonly diagnoses: readonly Diagnosis[];
  readonly description: string;
}

/** Models tfjs could not differentiate (checkGradients' layerPathError: a fail about tfjs, not a comparison). */
interface LayerPathErrors {
  /** The error's first line, numbers and names as they were in its first model. */
  readonly message: string;
  readonly count: number;
  /** The first model it happened to. */
  readonly example: string;
  readonly description: string;
  /** The layer kinds every model of the group holds (where the cause must be). */
  readonly commonKinds: readonly string[];
}

export interface SweepSummary {
  readonly models: number;
  /** Models holding each layer kind (a Bidirectional's or TimeDistributed's held kind not counted separately). */
  readonly kinds: ReadonlyMap<string, number>;
  /** The worst ratio per comparison over every model. */
  readonly worst: ReadonlyMap<GradientPair, SweepWorst>;
  /** The worst ratio per comparison among the comparisons that passed: the margin the correct code keeps. */
  readonly worstPassing: ReadonlyMap<GradientPair, SweepWorst>;
  readonly failures: readonly SweepFailure[];
  /** Failing (tensor, comparison)s by cause, over the failures. */
  readonly causes: ReadonlyMap<Cause, number>;
  /** Grouped by message (the layer-path comparisons of these models were not made; the others were, and count above). */
  readonly layerPathErrors: readonly LayerPathErrors[];
  /** Models checkGradients refused (an error, not a comparison): they count as failures too. */
  readonly errors: readonly { model: string; message: string }[];
}

interface SweepOptions {
  readonly backend?: BackendChoice;
  /** Skip the layer path. Default false. */
  readonly handOnly?: boolean;
  /** The seed of the inputs and targets; model i uses seed + i. Default 0. */
  readonly seed?: number;
  readonly onModelDone?: (done: number) => void;
}

/**
 * The loss for model i: the four losses in turn, softmax-crossentropy replaced by mse where an output has one
 * class (its loss would be constant: checkGradients refuses it).
 * @param outputWidths each output's last axis
 */
export function sweepLoss(outputWidths: readonly number[], i: number): LossName {
  const loss = LOSSES[i % LOSSES.length];
  return loss === 'softmax-crossentropy' && outputWidths.some((w) => w === 1) ? 'mse' : loss;
}

/** Runs the sweep over `models` (consumed lazily, one check at a time), model i with sweepLoss's loss i. */
export async function sweepNoFalseAlarms(models: Iterable<SweepModel>, options: SweepOptions = {}): Promise<SweepSummary> {
  const kinds = new Map<string, number>();
  const worst = new Map<GradientPair, SweepWorst>();
  const worstPassing = new Map<GradientPair, SweepWorst>();
  const failures: SweepFailure[] = [];
  const layerPathErrors = new Map<string, LayerPathErrors>();
  const causes = new Map<Cause, number>();
  const errors: { model: string; message: string }[] = [];
  let count = 0;
  for (const sweepModel of models) {
    const i = count++;
    for (const kind of new Set(sweepModel.model.layers.map((l) => l.kind))) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const loss = sweepLoss(sweepModel.outputWidths, i);
    const seed = (options.seed ?? 0) + i;
    try {
      const result = await checkGradients({
        model: sweepModel.model,
        backend: options.backend ?? 'cpu',
        loss,
        seed,
        batch: sweepModel.batch,
        ...(sweepModel.inputs ? { inputs: sweepModel.inputs } : {}),
        handOnly: options.handOnly ?? false,
      });
      const ratios = pairRatios(result);
      for (const [pair, { ratio, tensor }] of ratios) {
        const seen = worst.get(pair);
        if (seen === undefined || !(ratio <= seen.ratio)) worst.set(pair, { ratio, model: sweepModel.name, tensor, loss });
        const passing = worstPassing.get(pair);
        if (ratio <= 1 && (passing === undefined || ratio > passing.ratio)) worstPassing.set(pair, { ratio, model: sweepModel.name, tensor, loss });
      }
      const pairs = [...ratios].filter(([, r]) => !(r.ratio <= 1)).map(([pair, r]) => ({ pair, ...r }));
      if (pairs.length > 0) {
        const diagnoses = diagnoseFailures(checkedCase(sweepModel.model, loss, seed, sweepModel.batch, sweepModel.inputs), result);
        for (const d of diagnoses) causes.set(d.cause, (causes.get(d.cause) ?? 0) + 1);
        failures.push({ model: sweepModel.name, loss, seed, pairs, diagnoses, description: sweepModel.describe() });
      }
      if (result.layerPathError !== undefined) {
        const message = result.layerPathError.split('\n')[0];
        const kindsHere = [...new Set(sweepModel.model.layers.map((l) => l.kind))];
        const seen = layerPathErrors.get(message);
        layerPathErrors.set(
          message,
          seen
            ? { ...seen, count: seen.count + 1, commonKinds: seen.commonKinds.filter((k) => kindsHere.includes(k)) }
            : { message, count: 1, example: sweepModel.name, description: sweepModel.describe(), commonKinds: kindsHere },
        );
      }
    } catch (error) {
      errors.push({ model: sweepModel.name, message: `${(error as Error).message}\n${sweepModel.describe()}` });
    }
    options.onModelDone?.(count);
  }
  return { models: count, kinds, worst, worstPassing, failures, causes, layerPathErrors: [...layerPathErrors.values()], errors };
}
