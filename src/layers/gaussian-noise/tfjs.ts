import * as tf from '@tensorflow/tfjs';
import type { GaussianNoiseConfig } from '.';

/** tfjs's GaussianNoise: the identity at predict (training false), like Keras's. */
export function tfjsGaussianNoise(config: GaussianNoiseConfig, name: string): tf.layers.Layer {
  return tf.layers.gaussianNoise({ name, stddev: config.stddev });
}
