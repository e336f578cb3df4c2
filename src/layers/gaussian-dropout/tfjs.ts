import * as tf from '@tensorflow/tfjs';
import type { GaussianDropoutConfig } from '.';

/** tfjs's GaussianDropout: the identity at predict (training false), like Keras's. */
export function tfjsGaussianDropout(config: GaussianDropoutConfig, name: string): tf.layers.Layer {
  return tf.layers.gaussianDropout({ name, rate: config.rate });
}
