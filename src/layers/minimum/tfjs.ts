import * as tf from '@tensorflow/tfjs';
import type { MinimumConfig } from '.';

/** tfjs's Minimum: folds its inputs left to right, as Keras 3's does. */
export function tfjsMinimum(_config: MinimumConfig, name: string): tf.layers.Layer {
  return tf.layers.minimum({ name });
}
