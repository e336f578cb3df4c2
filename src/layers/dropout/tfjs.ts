import * as tf from '@tensorflow/tfjs';
import type { DropoutConfig } from '.';

/** tfjs's Dropout: the identity at predict (training false), like Keras's. */
export function tfjsDropout(config: DropoutConfig, name: string): tf.layers.Layer {
  return tf.layers.dropout({ name, rate: config.rate });
}
