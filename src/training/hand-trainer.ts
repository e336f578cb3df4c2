/**
 * The hand path's training: the hand forward and backward passes (src/graph/hand-backward.ts) and the
 * plain-TypeScript optimizer (src/optimizers), in float64 (the reference), or with every operation rounded to
 * float32 (the float32 floor of the trajectory: what any float32 framework could at best do). No tfjs.
 */
import { handLoss, handLossGradients } from '../graph/hand-backward';
import type { Precision } from '../hand/precision';
import { createOptimizer } from '../optimizers';
import type { NdArray } from '../tensor';
import type { PathTrainer, PathTrainerOptions } from './path-trainer';

/** A Float64Array of the values (the same array when it already is one). */
function asFloat64(values: Float32Array | Float64Array): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/**
 * The hand path's trainer. Forward, backward and optimizer all run in `precision` whatever the spec's precision says.
 * @param precision 'float64' (the reference, default) or 'float32' (every operation rounded, the weights float32)
 * @throws ConfigError for a bad optimizer spec, or a layer kind without a hand backward (on the first step)
 */
export function createHandTrainer(options: PathTrainerOptions, precision: Precision = 'float64'): PathTrainer {
  const { model, trainable, loss, targets } = options;
  const optimizer = createOptimizer({ ...options.optimizer, precision });
  // Every layer's weights as float64 copies (float32 values in float32 mode: the optimizer rounds what it writes);
  // the trainable ones are updated in place by the optimizer.
  const weights64 = model.layers.map((layer) => layer.weights.map((w) => Float64Array.from(w.data)));
  const trained = trainable.map((t) => weights64[t.layer][t.weight]);
  return {
    step(inputs: readonly NdArray[]): number {
      const { loss: value, gradients } = handLossGradients(model, inputs, loss, targets, precision, weights64);
      optimizer.step(
        trained,
        trainable.map((t) => asFloat64(gradients.weights[t.layer][t.weight])),
      );
      return value;
    },
    loss: (inputs) => handLoss(model, inputs, loss, targets, weights64),
    weights: () => trained.map((w) => w.slice()),
    dispose: () => undefined,
  };
}
