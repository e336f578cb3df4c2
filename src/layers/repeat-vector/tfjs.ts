import * as tf from '@tensorflow/tfjs';
import type { RepeatVectorConfig } from '.';

/** tfjs's RepeatVector (K.repeat: expandDims + tile), the same copies as Keras's. */
export function tfjsRepeatVector(config: RepeatVectorConfig, name: string): tf.layers.Layer {
  return tf.layers.repeatVector({ name, n: config.n });
}
