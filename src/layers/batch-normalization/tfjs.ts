import * as tf from '@tensorflow/tfjs';
import type { WeightArray } from '../../graph/model';
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
  // Always with gamma and beta: see batchNormalizationTfjsWeights.
  return tf.layers.batchNormalization({ name, axis: -1, epsilon: config.epsilon, center: true, scale: true, momentum: config.momentum });
}

/**
 * Parity note: tfjs 4.22 cannot differentiate its BatchNormalization without scale or without center: the
 * batchNorm op records the missing gamma or beta as an undefined input, and backpropagation fails on it
 * ("Cannot read properties of undefined (reading 'dataId')" without scale, "(reading 'id')" without center;
 * measured on cpu and tensorflow). The layer path therefore always holds both, gamma = 1 and beta = 0 where
 * Keras has none, which changes no value (x * 1 and x + 0 are exact).
 */
export function batchNormalizationTfjsWeights(config: BatchNormalizationConfig, weights: readonly WeightArray[]): WeightArray[] {
  const d = weights[weights.length - 1].shape;
  const gamma = config.scale ? [weights[0]] : [{ name: 'gamma', shape: d, data: new Float32Array(d[0]).fill(1) }];
  const rest = weights.slice(config.scale ? 1 : 0);
  const beta = config.center ? [rest[0]] : [{ name: 'beta', shape: d, data: new Float32Array(d[0]) }];
  return [...gamma, ...beta, ...rest.slice(config.center ? 1 : 0)];
}
