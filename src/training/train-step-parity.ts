/**
 * trainStepParity: K optimizer steps on both paths from the same weights, on the same batches, for the same loss
 * and targets, compared after every step.
 *
 *   layer path   tfjs model, loss with tfjs ops, tfjs's gradients, the tfjs optimizer (float32, chosen backend)
 *   hand path    hand forward + hand backward + the plain-TypeScript optimizer in the same form (float64)
 *
 * Each path follows its own trajectory (nothing is re-synchronised between steps), so the per-step difference is
 * the drift a float32 framework accumulates against the float64 reference: the drift curve. Library code: returns
 * a result or throws a typed error; never prints or exits. The tfjs half (./layer-trainer.ts) loads lazily.
 */
import { selectBackend, type BackendChoice, type BackendInfo } from '../backends';
import { ConfigError, ShapeError } from '../errors';
import { checkInputs } from '../graph/check-inputs';
import { forwardGraph } from '../graph/hand-forward';
import type { GraphModel } from '../graph/model';
import { lossTargets, type LossName } from '../gradients/losses';
import { resolveOptimizerSpec } from '../optimizers/read-options';
import type { OptimizerForm, OptimizerSpec, ResolvedOptimizerConfig } from '../optimizers/types';
import { formatShape, type NdArray } from '../tensor';
import { compareWeights, WeightScales, worstWeight, type WeightDifference, type WorstWeight } from './compare-weights';
import { createHandTrainer } from './hand-trainer';
import type { PathTrainer } from './path-trainer';
import { TRAINING_FLOOR_FACTOR, trainingTolerance, type TrainingTolerance } from './tolerance';
import { nonTrainableWeightNames, trainableWeights, type TrainableWeight } from './trainable';

/** The most steps one run takes (a CLI run with more is a typo, and each step keeps a row). */
export const MAX_TRAINING_STEPS = 10000;

interface TrainStepParityOptions {
  readonly model: GraphModel;
  readonly backend: BackendChoice;
  /** K, the optimizer steps each path takes (1 to MAX_TRAINING_STEPS). */
  readonly steps: number;
  /** Name, form ('keras' or 'tfjs') and hyperparameters; both paths get it (the hand path in float64). */
  readonly optimizer: OptimizerSpec;
  readonly loss: LossName;
  /** How the layer path builds its recurrent layers: tfjs's own (default) or the fused ones (docs/fused-layers.md). */
  readonly layerImpl?: 'tfjs' | 'fused';
  /** Seeds the inputs (as the parity check: np.random.seed(seed + i)) and the targets (seed + 1000 + k). */
  readonly seed: number;
  /** One batch, one array per model input, used at every step; seeded when absent. */
  readonly inputs?: readonly NdArray[];
  /** Several batches, cycled step by step (step s reads batches[(s - 1) % length]); overrides `inputs`. */
  readonly batches?: readonly (readonly NdArray[])[];
  /** Samples of a seeded batch (default 1). */
  readonly batch?: number;
  /** Sequence length of a seeded batch where the model accepts any. */
  readonly timeSteps?: number;
  /** One per model output; seeded when absent (src/gradients/losses.ts). Every batch uses them. */
  readonly targets?: readonly NdArray[];
  /** A tolerance for every step, replacing the measured default (./tolerance.ts); never widened by the float32 floor. */
  readonly tolerance?: number;
  /**
   * The hand path's optimizer where it must differ from the layer path's: a deliberate fault (a wrong form on one
   * side) that the check must catch. Default: `optimizer`.
   */
  readonly handOptimizer?: OptimizerSpec;
}

/** One step: the loss each path had before it, and every trainable weight compared after it. */
export interface TrainingStepRow {
  /** 1-based. */
  readonly step: number;
  /** The loss at the weights before this step's update, on each path. */
  readonly loss: { readonly hand: number; readonly layer: number };
  readonly tensors: readonly WeightDifference[];
  readonly worst: WorstWeight;
  /** The tolerance of this step (it grows with the step count, see ./tolerance.ts). */
  readonly tolerance: number;
  /**
   * Where the default was exceeded: the float32 hand path's drift from the float64 one after this step (the float32
   * floor); the tolerance is then max(default, TRAINING_FLOOR_FACTOR x floor).
   */
  readonly float32Floor?: number;
  readonly pass: boolean;
}

export interface TrainStepParityResult {
  readonly steps: number;
  readonly optimizer: { readonly form: OptimizerForm; readonly config: ResolvedOptimizerConfig };
  /** Where the hand path's optimizer differed (a fault injected by handOptimizer). */
  readonly handOptimizer?: { readonly form: OptimizerForm; readonly config: ResolvedOptimizerConfig };
  readonly loss: LossName;
  readonly seed: number;
  readonly inputSource: 'given' | 'seed';
  readonly batches: number;
  readonly targetSource: 'given' | 'seed' | 'none';
  readonly backend: BackendInfo;
  /** The weights both optimizers update, and those they leave alone (BatchNormalization's moving statistics). */
  readonly trainable: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly nonTrainable: readonly string[];
  readonly rows: readonly TrainingStepRow[];
  /** The drift curve: the worst scaled weight difference after each step (rows[s].worst.scaledMaxError). */
  readonly drift: readonly number[];
  /** The loss after the last step, on each path (NaN on the layer path when it stopped). */
  readonly lossAfter: { readonly hand: number; readonly layer: number };
  /**
   * Why the layer path stopped, where tfjs cannot differentiate the model on this backend (a tfjs user cannot
   * train it there): the rows end before the step that failed, and the run fails.
   */
  readonly layerPathError?: string;
  readonly tolerance: TrainingTolerance;
  readonly pass: boolean;
  readonly timingsMs: Readonly<Record<'handPath' | 'layerPath' | 'compare', number>>;
}

/** Milliseconds to 0.01. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The batches the steps cycle through, each checked against the model (as the parity check checks its inputs). */
function trainingBatches(options: TrainStepParityOptions): NdArray[][] {
  const { model } = options;
  if (options.batches === undefined) return [checkInputs(model, options)];
  if (options.batches.length === 0) throw new ConfigError('batches: expected at least one batch, got none');
  const batches = options.batches.map((inputs) => checkInputs(model, { inputs, seed: options.seed }));
  const first = batches[0].map((x) => formatShape(x.shape)).join(' ');
  batches.forEach((b, i) => {
    const shapes = b.map((x) => formatShape(x.shape)).join(' ');
    if (shapes !== first) throw new ShapeError(`batch ${i}: expected the shapes of batch 0 (${first}), got ${shapes}`);
  });
  return batches;
}

type StepTrainer = Pick<PathTrainer, 'step' | 'weights'>;

/**
 * The float32 floor after every step: the worst scaled difference between the hand path trained in float32 (every
 * operation rounded) and in float64, on the same batches, scaled as the check scales.
 */
function float32Floor(
  make: (precision: 'float32' | 'float64') => StepTrainer,
  trainable: readonly TrainableWeight[],
  batches: readonly NdArray[][],
  steps: number,
): number[] {
  const hand64 = make('float64');
  const hand32 = make('float32');
  const scales = new WeightScales(hand64.weights());
  const floor: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const inputs = batches[(step - 1) % batches.length];
    hand64.step(inputs);
    hand32.step(inputs);
    const reference = hand64.weights();
    scales.update(reference);
    floor.push(worstWeight(compareWeights(trainable, hand32.weights(), reference, Infinity, scales)).scaledMaxError);
  }
  return floor;
}

/** A row judged again at a wider tolerance (the float32 floor's). */
function rejudged(row: TrainingStepRow, floor: number): TrainingStepRow {
  const tolerance = Math.max(row.tolerance, TRAINING_FLOOR_FACTOR * floor);
  if (!(tolerance > row.tolerance)) return { ...row, float32Floor: floor };
  const tensors = row.tensors.map((t) => ({
    name: t.name,
    difference: { ...t.difference, tolerance, pass: t.difference.nonFinite === 0 && t.difference.scaledMaxError <= tolerance },
  }));
  return { ...row, tensors, tolerance, float32Floor: floor, pass: tensors.every((t) => t.difference.pass) };
}

/**
 * Runs K steps on both paths and compares them after every step.
 * @throws ConfigError for a bad step count or optimizer spec, a model with no trainable weight, or a layer kind
 *   without a hand backward; ShapeError for inputs or targets that do not fit; BackendUnavailableError.
 */
export async function trainStepParity(options: TrainStepParityOptions): Promise<TrainStepParityResult> {
  const { model, steps, loss, seed } = options;
  if (!Number.isSafeInteger(steps) || steps < 1 || steps > MAX_TRAINING_STEPS) {
    throw new ConfigError(`steps: expected an integer from 1 to ${MAX_TRAINING_STEPS}, got ${steps}`);
  }
  const resolved = resolveOptimizerSpec(options.optimizer);
  const handResolved = options.handOptimizer ? resolveOptimizerSpec(options.handOptimizer) : undefined;
  const trainable = trainableWeights(model);
  if (trainable.length === 0) throw new ConfigError('model: expected a layer with trainable weights to train, got none');
  const batches = trainingBatches(options);
  const outputs = forwardGraph(model, batches[0], 'float64');
  const targets = lossTargets(
    loss,
    outputs.map((o, k) => ({ name: model.outputs[k], shape: o.shape })),
    seed,
    options.targets,
  );
  const tolerance = trainingTolerance(options.tolerance);

  const backend = await selectBackend(options.backend);
  const { createLayerTrainer } = await import('./layer-trainer');
  const common = { model, trainable, loss, targets };
  const hand: PathTrainer = createHandTrainer({ ...common, optimizer: options.handOptimizer ?? options.optimizer });
  const layer: PathTrainer = createLayerTrainer({ ...common, optimizer: options.optimizer, layerImpl: options.layerImpl ?? 'tfjs' });
  const timings = { handPath: 0, layerPath: 0, compare: 0 };
  const timed = <T>(key: keyof typeof timings, run: () => T): T => {
    const t = performance.now();
    try {
      return run();
    } finally {
      timings[key] += performance.now() - t;
    }
  };
  try {
    let rows: TrainingStepRow[] = [];
    const scales = new WeightScales(hand.weights());
    let layerPathError: string | undefined;
    for (let step = 1; step <= steps; step++) {
      const inputs = batches[(step - 1) % batches.length];
      const handLoss = timed('handPath', () => hand.step(inputs));
      let layerLoss: number;
      try {
        layerLoss = timed('layerPath', () => layer.step(inputs));
      } catch (error) {
        // tfjs's own limitation (a gradient it does not implement on this backend): a finding, not a crash.
        if ((error as Error).name !== 'LayerPathGradientError') throw error;
        layerPathError = (error as Error).message;
        break;
      }
      const allowed = tolerance.at(step);
      const tensors = timed('compare', () => {
        const reference = hand.weights();
        scales.update(reference);
        return compareWeights(trainable, layer.weights(), reference, allowed, scales);
      });
      const worst = worstWeight(tensors);
      rows.push({
        step,
        loss: { hand: handLoss, layer: layerLoss },
        tensors,
        worst,
        tolerance: allowed,
        pass: tensors.every((t) => t.difference.pass),
      });
    }
    // The float32-floor rule (./tolerance.ts, 2.): only where the default failed on finite values.
    let widenedSteps = 0;
    const finite = rows.every((r) => r.tensors.every((t) => t.difference.nonFinite === 0));
    if (!tolerance.summary.userSet && finite && rows.some((r) => !r.pass)) {
      const floor = timed('handPath', () =>
        float32Floor(
          (precision) => createHandTrainer({ ...common, optimizer: options.handOptimizer ?? options.optimizer }, precision),
          trainable,
          batches,
          rows.length,
        ),
      );
      rows = rows.map((row, s) => rejudged(row, floor[s]));
      widenedSteps = rows.filter((r) => r.float32Floor !== undefined && r.tolerance > tolerance.at(r.step)).length;
    }
    const next = batches[steps % batches.length];
    const lossAfter = {
      hand: timed('handPath', () => hand.loss(next)),
      layer: layerPathError === undefined ? timed('layerPath', () => layer.loss(next)) : Number.NaN,
    };
    return {
      steps,
      optimizer: { form: resolved.form, config: resolved.config },
      ...(handResolved ? { handOptimizer: { form: handResolved.form, config: handResolved.config } } : {}),
      loss,
      seed,
      inputSource: options.inputs || options.batches ? 'given' : 'seed',
      batches: batches.length,
      targetSource: loss === 'sum-squares' ? 'none' : options.targets ? 'given' : 'seed',
      backend,
      trainable: trainable.map((t) => ({ name: t.name, shape: t.shape })),
      nonTrainable: nonTrainableWeightNames(model),
      rows,
      drift: rows.map((r) => r.worst.scaledMaxError),
      lossAfter,
      ...(layerPathError !== undefined ? { layerPathError } : {}),
      tolerance: { ...tolerance.summary, widenedSteps },
      pass: layerPathError === undefined && rows.every((r) => r.pass) && Number.isFinite(lossAfter.hand) && Number.isFinite(lossAfter.layer),
      timingsMs: { handPath: roundMs(timings.handPath), layerPath: roundMs(timings.layerPath), compare: roundMs(timings.compare) },
    };
  } finally {
    layer.dispose();
    hand.dispose();
  }
}
