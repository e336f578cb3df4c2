import * as tf from '@tensorflow/tfjs';
import type { AlphaDropoutConfig } from '.';

/** tfjs's AlphaDropout: the identity at predict (training false), like Keras's. */
export function tfjsAlphaDropout(config: AlphaDropoutConfig, name: string): tf.layers.Layer {
  return tf.layers.alphaDropout({ name, rate: config.rate });
}
