import * as tf from '@tensorflow/tfjs';
import type { MultiplyConfig } from '.';

/** tfjs's Multiply: folds its inputs left to right, as Keras 3's does. */
export function tfjsMultiply(_config: MultiplyConfig, name: string): tf.layers.Layer {
  return tf.layers.multiply({ name });
}
