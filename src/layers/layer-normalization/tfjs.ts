import * as tf from '@tensorflow/tfjs';
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
  return tf.layers.layerNormalization({ name, axis: -1, epsilon: config.epsilon, center: config.center, scale: config.scale });
}
