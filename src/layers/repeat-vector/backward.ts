/** RepeatVector's backward on the hand path: each input row gets the sum of its n copies' gradients. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import type { RepeatVectorConfig } from '.';

/**
 * dx[b, :] = sum over t of dy[b, t, :], summed in t order with arith.round.
 * @param input [batch, features] (only its shape is read)
 * @param outputGrad dL/dy: [batch, n, features]
 * @returns inputs: [dL/dx [batch, features]]; no weights
 */
export function repeatVectorBackward(
  config: RepeatVectorConfig,
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const [batch, features] = input.shape;
  const dx = arith.alloc(batch * features);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < config.n; t++) {
      const row = (b * config.n + t) * features;
      for (let j = 0; j < features; j++) dx[b * features + j] = arith.round(dx[b * features + j] + outputGrad[row + j]);
    }
  }
  return { inputs: [dx], weights: [] };
}
