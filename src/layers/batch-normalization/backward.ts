/**
 * BatchNormalization's backward pass at inference on the hand path. Plain TypeScript. Per feature j, with
 * rsqrt = 1 / sqrt(moving_variance + epsilon) and inv = rsqrt * gamma (rsqrt without scale):
 *   y = x * inv + beta - moving_mean * inv
 *   dx = dy * inv;  dbeta = sum(dy);  dmoving_mean = -inv * sum(dy)
 *   dinv = sum(dy * x) - moving_mean * sum(dy)
 *   dgamma = dinv * rsqrt;  dmoving_variance = dinv * gamma * (-rsqrt^3 / 2)
 * (sums over every position but the last axis). The moving statistics are inputs of the inference formula, so
 * they get gradients too (training would not use them: it normalizes with the batch's moments).
 * A padding mask is ignored, as the forward ignores it (it passes through unchanged).
 */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import type { BatchNormalizationConfig } from '.';

/**
 * @param weights gamma [d] (scale), beta [d] (center), moving_mean [d], moving_variance [d]: those present, in that order
 * @param input [..., d]
 * @param outputGrad dL/dy, the input's shape
 * @returns dL/dx; dL/d each weight, in weight order
 */
export function batchNormalizationBackward(
  config: BatchNormalizationConfig,
  weights: readonly WeightData[],
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const { round } = arith;
  const d = input.shape[input.shape.length - 1];
  let next = 0;
  const gamma = config.scale ? arith.load(weights[next++]) : undefined;
  if (config.center) next++;
  const movingMean = arith.load(weights[next++]);
  const movingVariance = arith.load(weights[next++]);
  const epsilon = round(config.epsilon);
  const rsqrt = arith.alloc(d);
  const inv = arith.alloc(d);
  for (let j = 0; j < d; j++) {
    rsqrt[j] = round(1 / Math.sqrt(round(movingVariance[j] + epsilon)));
    inv[j] = gamma ? round(rsqrt[j] * gamma[j]) : rsqrt[j];
  }
  const x = arith.load(input.data);
  const dy = arith.load(outputGrad);
  const dx = arith.alloc(x.length);
  const dySum = arith.alloc(d);
  const dyxSum = arith.alloc(d);
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    dx[i] = round(dy[i] * inv[j]);
    dySum[j] = round(dySum[j] + dy[i]);
    dyxSum[j] = round(dyxSum[j] + round(dy[i] * x[i]));
  }
  const gammaGrad = arith.alloc(d);
  const meanGrad = arith.alloc(d);
  const varianceGrad = arith.alloc(d);
  for (let j = 0; j < d; j++) {
    meanGrad[j] = -round(dySum[j] * inv[j]);
    const invGrad = round(dyxSum[j] - round(movingMean[j] * dySum[j]));
    gammaGrad[j] = round(invGrad * rsqrt[j]);
    const rsqrtGrad = gamma ? round(invGrad * gamma[j]) : invGrad;
    // d rsqrt / d variance = -rsqrt^3 / 2
    varianceGrad[j] = round(rsqrtGrad * round(-0.5 * round(rsqrt[j] * round(rsqrt[j] * rsqrt[j]))));
  }
  return {
    inputs: [dx],
    weights: [...(config.scale ? [gammaGrad] : []), ...(config.center ? [dySum] : []), meanGrad, varianceGrad],
  };
}
