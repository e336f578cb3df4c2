/**
 * What both paths' trainers offer (the hand path's in ./hand-trainer.ts, the layer path's in ./layer-trainer.ts):
 * the model's trainable weights, a loss with its targets, an optimizer, and one step at a time, so that the two
 * can be walked in lockstep and compared after every step without keeping the whole trajectory. No tfjs here.
 */
import type { LossName } from '../gradients/losses';
import type { GraphModel } from '../graph/model';
import type { OptimizerSpec } from '../optimizers/types';
import type { NdArray } from '../tensor';
import type { TrainableWeight } from './trainable';

/** What a trainer is made from. */
export interface PathTrainerOptions {
  readonly model: GraphModel;
  /** The weights to train (trainableWeights(model)); the others keep the model's values. */
  readonly trainable: readonly TrainableWeight[];
  readonly loss: LossName;
  /** One per model output, as lossTargets gives them (undefined for sum-squares). */
  readonly targets: readonly (NdArray | undefined)[];
  /** The optimizer, in the form this path should use (its precision is the path's own: float64 by hand, float32 in tfjs). */
  readonly optimizer: OptimizerSpec;
  /** How the layer path builds its recurrent layers: tfjs's own (default) or the fused ones (docs/fused-layers.md). */
  readonly layerImpl?: 'tfjs' | 'fused';
}

/** One path, trained one step at a time from the model's weights. */
export interface PathTrainer {
  /**
   * One optimizer step on this batch (one array per model input): the loss and its gradients at the current
   * weights, then the update.
   * @returns the loss before the update (the one whose gradient was applied)
   */
  step(inputs: readonly NdArray[]): number;
  /** The loss at the current weights (no update). */
  loss(inputs: readonly NdArray[]): number;
  /** The trainable weights now, in `trainable` order (copies: the caller may keep them). */
  weights(): (Float64Array | Float32Array)[];
  /** Frees what the trainer holds (tfjs variables and optimizer state); the hand path holds nothing to free. */
  dispose(): void;
}
