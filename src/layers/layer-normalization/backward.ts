/**
 * LayerNormalization's backward pass on the hand path. Plain TypeScript. Per row x of d features, with the
 * forward's mean, biased variance and rsqrt = 1 / sqrt(variance + epsilon) recomputed in its order:
 *   xhat = (x - mean) * rsqrt;  g = dy * gamma (dy without scale)
 *   dx = rsqrt * (g - mean(g) - xhat * mean(g * xhat))
 *   dgamma += dy * xhat;  dbeta += dy   (summed over every row)
 * (y = xhat * gamma + beta; the mean and the variance depend on every x of the row, hence the two means.)
 * A padding mask is ignored, as the forward ignores it (it passes through unchanged).
 */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import type { LayerNormalizationConfig } from '.';

/**
 * @param weights gamma [d] (scale), beta [d] (center), those present, in that order
 * @param input [..., d]
 * @param outputGrad dL/dy, the input's shape
 * @returns dL/dx; dL/dgamma, dL/dbeta (those present, in weight order)
 */
export function layerNormalizationBackward(
  config: LayerNormalizationConfig,
  weights: readonly WeightData[],
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const { round } = arith;
  const d = input.shape[input.shape.length - 1];
  const rows = input.data.length / d;
  const gamma = config.scale ? arith.load(weights[0]) : undefined;
  const epsilon = round(config.epsilon);
  const x = arith.load(input.data);
  const dy = arith.load(outputGrad);
  const dx = arith.alloc(x.length);
  const gammaGrad = arith.alloc(d);
  const betaGrad = arith.alloc(d);
  const xhat = arith.alloc(d);
  const g = arith.alloc(d);
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
    const rsqrt = round(1 / Math.sqrt(round(round(squares / d) + epsilon)));
    let gSum = 0;
    let gxSum = 0;
    for (let i = 0; i < d; i++) {
      xhat[i] = round(round(x[row + i] - mean) * rsqrt);
      g[i] = gamma ? round(dy[row + i] * gamma[i]) : dy[row + i];
      gSum = round(gSum + g[i]);
      gxSum = round(gxSum + round(g[i] * xhat[i]));
      gammaGrad[i] = round(gammaGrad[i] + round(dy[row + i] * xhat[i]));
      betaGrad[i] = round(betaGrad[i] + dy[row + i]);
    }
    const gMean = round(gSum / d);
    const gxMean = round(gxSum / d);
    for (let i = 0; i < d; i++) dx[row + i] = round(rsqrt * round(round(g[i] - gMean) - round(xhat[i] * gxMean)));
  }
  return { inputs: [dx], weights: [...(config.scale ? [gammaGrad] : []), ...(config.center ? [betaGrad] : [])] };
}
