/** RepeatVector on the hand path: n copies of each sample's row. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import type { RepeatVectorConfig } from '.';

/**
 * @param input [batch, features]
 * @returns [batch, n, features]: out[b, t, :] = in[b, :] for every t (exact copies)
 */
export function repeatVectorForward(config: RepeatVectorConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  const [batch, features] = input.shape;
  const out = arith.alloc(batch * config.n * features);
  for (let b = 0; b < batch; b++) {
    const row = input.data.subarray(b * features, (b + 1) * features);
    for (let t = 0; t < config.n; t++) out.set(row, (b * config.n + t) * features);
  }
  return { shape: [batch, config.n, features], data: out };
}
