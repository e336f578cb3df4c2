import * as tf from '@tensorflow/tfjs';
import type { AveragePooling1dConfig } from '.';

/**
 * tfjs's AveragePooling1D (an avgPool over [batch, timeSteps, 1, channels]).
 * Parity note: with padding same, tfjs's avgPool divides by the number of covered steps on every backend,
 * as TensorFlow's avg_pool (Keras 3) does: checked against the hand path in test/layers/average-pooling-1d.test.ts.
 */
export function tfjsAveragePooling1d(config: AveragePooling1dConfig, name: string): tf.layers.Layer {
  return tf.layers.averagePooling1d({ name, poolSize: config.poolSize, strides: config.strides, padding: config.padding });
}
