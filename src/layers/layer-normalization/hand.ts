/** LayerNormalization on the hand path, in Keras 3's order of operations. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, WeightData } from '../kind';
import type { LayerNormalizationConfig } from '.';

/**
 * Per row x of the last axis (d values), as keras.ops.layer_normalization computes it (TensorFlow backend,
 * keras/src/ops/nn.py _layer_normalization, moments = tf.nn.moments):
 *   mean = sum(x) / d;  variance = sum((x - mean)^2) / d
 *   inv = rsqrt(variance + epsilon) [* gamma]
 *   res = -mean * inv [+ beta]
 *   y = x * inv + res
 * @param weights gamma [d] (scale), beta [d] (center), those present, in that order
 * @param input [..., d]
 * @returns the input's shape
 */
export function layerNormalizationForward(config: LayerNormalizationConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): HandTensor {
  const { round } = arith;
  const d = input.shape[input.shape.length - 1];
  const rows = input.data.length / d;
  const gamma = config.scale ? arith.load(weights[0]) : undefined;
  const beta = config.center ? arith.load(weights[config.scale ? 1 : 0]) : undefined;
  // Parity note: TensorFlow adds epsilon as a float32 constant in float32.
  const epsilon = round(config.epsilon);
  const x = input.data;
  const out = arith.alloc(x.length);
  for (let r = 0; r < rows; r++) {
    const row = r * d;
    let sum = 0;
    for (let i = 0; i < d; i++) sum = round(sum + x[row + i]);
    const mean = round(sum / d);
    let squares = 0;
    for (let i = 0; i < d; i++) {
      const diff = round(x[row + i] - mean);
      squares = round(squares + round(diff * diff));
    }
    const variance = round(squares / d);
    const rsqrt = round(1 / Math.sqrt(round(variance + epsilon)));
    for (let i = 0; i < d; i++) {
      const inv = gamma ? round(rsqrt * gamma[i]) : rsqrt;
      let res = round(-mean * inv);
      if (beta) res = round(res + beta[i]);
      out[row + i] = round(round(x[row + i] * inv) + res);
    }
  }
  return { shape: input.shape.slice(), data: out };
}
