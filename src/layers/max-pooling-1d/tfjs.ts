import * as tf from '@tensorflow/tfjs';
import type { MaxPooling1dConfig } from '.';

/** tfjs's MaxPooling1D (a maxPool over [batch, timeSteps, 1, channels]; same padding as TensorFlow's). */
export function tfjsMaxPooling1d(config: MaxPooling1dConfig, name: string): tf.layers.Layer {
  return tf.layers.maxPooling1d({ name, poolSize: config.poolSize, strides: config.strides, padding: config.padding });
}
