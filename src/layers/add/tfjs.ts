import * as tf from '@tensorflow/tfjs';
import type { AddConfig } from '.';

/** tfjs's Add: folds its inputs left to right, as Keras 3's does. */
export function tfjsAdd(_config: AddConfig, name: string): tf.layers.Layer {
  return tf.layers.add({ name });
}
