/** BatchNormalization (inference) on the hand path, in Keras 3's order of operations. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, WeightData } from '../kind';
import type { BatchNormalizationConfig } from '.';

/**
 * Per feature j, as Keras 3 computes it at inference (TensorFlow backend: tf.nn.batch_normalization with the
 * moving statistics):
 *   inv = rsqrt(moving_variance + epsilon) [* gamma]
 *   shift = [beta] - moving_mean * inv
 *   y = x * inv + shift
 * @param weights gamma [d] (scale), beta [d] (center), moving_mean [d], moving_variance [d]: those present, in that order
 * @param input [..., d]
 * @returns the input's shape
 */
export function batchNormalizationForward(config: BatchNormalizationConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): HandTensor {
  const { round } = arith;
  const d = input.shape[input.shape.length - 1];
  let next = 0;
  const gamma = config.scale ? arith.load(weights[next++]) : undefined;
  const beta = config.center ? arith.load(weights[next++]) : undefined;
  const movingMean = arith.load(weights[next++]);
  const movingVariance = arith.load(weights[next++]);
  // Parity note: TensorFlow adds epsilon as a float32 constant in float32.
  const epsilon = round(config.epsilon);
  const inv = arith.alloc(d);
  const shift = arith.alloc(d);
  for (let j = 0; j < d; j++) {
    inv[j] = round(1 / Math.sqrt(round(movingVariance[j] + epsilon)));
    if (gamma) inv[j] = round(inv[j] * gamma[j]);
    const meanInv = round(movingMean[j] * inv[j]);
    shift[j] = beta ? round(beta[j] - meanInv) : -meanInv;
  }
  const x = input.data;
  const out = arith.alloc(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    out[i] = round(round(x[i] * inv[j]) + shift[j]);
  }
  return { shape: input.shape.slice(), data: out };
}
