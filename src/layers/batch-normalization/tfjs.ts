import * as tf from '@tensorflow/tfjs';
import type { BatchNormalizationConfig } from '.';

/**
 * tfjs's BatchNormalization over the last axis; at predict (training false) it uses the moving statistics,
 * as Keras does. Weights in the same order (gamma, beta, moving_mean, moving_variance, those present).
 * Parity note: tfjs-core's batchNorm computes (x - mean) * gamma / sqrt(variance + epsilon) + beta (cpu and
 * wasm; tfjs-node's FusedBatchNorm op the same function), Keras 3 x * inv + (beta - mean * inv) with
 * inv = gamma * rsqrt(variance + epsilon): the same function, rounded differently in float32: on 131072 values
 * (cpu), Keras's order in float32 is 5.7e-7 from float64, tfjs's 1.2e-7, the two 4.8e-7 apart
 * (test/layers/batch-normalization.test.ts). tfjs-layers' doc comment's "sqrt(var) + epsilon" is not what
 * any backend computes.
 */
export function tfjsBatchNormalization(config: BatchNormalizationConfig, name: string): tf.layers.Layer {
  return tf.layers.batchNormalization({ name, axis: -1, epsilon: config.epsilon, center: config.center, scale: config.scale, momentum: config.momentum });
}
