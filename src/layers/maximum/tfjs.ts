import * as tf from '@tensorflow/tfjs';
import type { MaximumConfig } from '.';

/** tfjs's Maximum: folds its inputs left to right, as Keras 3's does. */
export function tfjsMaximum(_config: MaximumConfig, name: string): tf.layers.Layer {
  return tf.layers.maximum({ name });
}
