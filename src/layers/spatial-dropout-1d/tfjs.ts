import * as tf from '@tensorflow/tfjs';
import type { SpatialDropout1dConfig } from '.';

/** tfjs's SpatialDropout1D: the identity at predict (training false), like Keras's. */
export function tfjsSpatialDropout1d(config: SpatialDropout1dConfig, name: string): tf.layers.Layer {
  return tf.layers.spatialDropout1d({ name, rate: config.rate });
}
