import * as tf from '@tensorflow/tfjs';
import type { Shape, WeightArray } from '../../graph/model';
import type { LayerNormalizationConfig } from '.';

/**
 * tfjs's LayerNormalization over the last axis, with the file's epsilon (tfjs's default, 1e-3, is Keras's too).
 * Parity note: tfjs computes moments (mean, mean of squared deviations: as tf.nn.moments) and then tfjs-core's
 * batchNorm, (x - mean) * gamma / sqrt(variance + epsilon) + beta; Keras 3 computes x * inv + (beta - mean * inv)
 * with inv = gamma * rsqrt(variance + epsilon). The same function, rounded differently in float32: on 4096 rows
 * of 32 features (cpu), Keras's order in float32 is 8.3e-7 from float64, tfjs's 3.5e-7, the two 9.5e-7 apart
 * (test/layers/layer-normalization.test.ts); well inside the default atol (2e-6).
 */
export function tfjsLayerNormalization(config: LayerNormalizationConfig, name: string): tf.layers.Layer {
  // Always with gamma and beta: see layerNormalizationTfjsWeights.
  return tf.layers.layerNormalization({ name, axis: -1, epsilon: config.epsilon, center: true, scale: true });
}

/**
 * Parity note: tfjs 4.22 cannot differentiate its LayerNormalization without scale or without center (the same
 * batchNorm op as BatchNormalization's, recording the missing gamma or beta as an undefined input: "Cannot read
 * properties of undefined (reading 'id' / 'dataId')"). The layer path always holds both, gamma = 1 and beta = 0
 * where Keras has none, which changes no value (x * 1 and x + 0 are exact).
 * @param inputs [[batch, ..., d]]: d sizes the constant weights when Keras holds neither
 */
export function layerNormalizationTfjsWeights(config: LayerNormalizationConfig, weights: readonly WeightArray[], inputs: readonly Shape[]): WeightArray[] {
  const input = inputs[0];
  const d = input[input.length - 1] as number;
  const gamma = config.scale ? [weights[0]] : [{ name: 'gamma', shape: [d], data: new Float32Array(d).fill(1) }];
  const beta = config.center ? [weights[config.scale ? 1 : 0]] : [{ name: 'beta', shape: [d], data: new Float32Array(d) }];
  return [...gamma, ...beta];
}
