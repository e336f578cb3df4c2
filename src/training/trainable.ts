/**
 * Which of a graph's weights an optimizer trains: Keras's `model.trainable_weights`, in the graph's order (layers
 * in graph order, each layer's weights in Keras's `layer.weights` order). Plain TypeScript, no tfjs.
 *
 * Every weight trains except those Keras creates with trainable=False: BatchNormalization's moving_mean and
 * moving_variance (moved by the batch statistics in training mode, never by the optimizer). A layer saved with
 * `trainable: false` is not modelled (the readers ignore that key): its weights are trained here.
 * tfjs may hold more weights than the graph (GRU's zero bias without use_bias, BatchNormalization's constant gamma
 * and beta without scale or center): those are not graph weights, so they are never in this list.
 */
import type { GraphModel } from '../graph/model';

/** Per kind, the weight names Keras creates with trainable=False. */
const NON_TRAINABLE: Readonly<Record<string, readonly string[]>> = {
  'batch-normalization': ['moving_mean', 'moving_variance'],
};

/** One trainable weight: where it is in the graph and how the reports name it. */
export interface TrainableWeight {
  /** Index of its layer in model.layers. */
  readonly layer: number;
  /** Index in that layer's weights. */
  readonly weight: number;
  /** `layer/weight`, e.g. `lstm/recurrent_kernel` (the gradient check's tensor names). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
}

/** Whether Keras's optimizer trains weight `weightName` of a layer of kind `kind`. */
function isTrainableWeight(kind: string, weightName: string): boolean {
  return !(NON_TRAINABLE[kind] ?? []).includes(weightName);
}

/** The weights an optimizer updates, in the graph's order. */
export function trainableWeights(model: GraphModel): TrainableWeight[] {
  return model.layers.flatMap((layer, l) =>
    layer.weights.flatMap((w, k) =>
      isTrainableWeight(layer.kind, w.name) ? [{ layer: l, weight: k, name: `${layer.name}/${w.name}`, shape: w.shape, size: w.data.length }] : [],
    ),
  );
}

/** The `layer/weight` names of the weights the optimizer leaves alone. */
export function nonTrainableWeightNames(model: GraphModel): string[] {
  return model.layers.flatMap((layer) => layer.weights.filter((w) => !isTrainableWeight(layer.kind, w.name)).map((w) => `${layer.name}/${w.name}`));
}
