/** Embedding on the hand path: a row lookup, exact in both precisions. Plain TypeScript. */
import { checkTokenIds } from '../../data/token-ids';
import type { HandTensor } from '../kind';
import type { EmbeddingConfig } from '.';

/**
 * @param embeddings [inputDim, outputDim]
 * @param input token ids [batch, ...]
 * @returns [batch, ..., outputDim]
 */
export function embeddingForward(config: EmbeddingConfig, embeddings: Float32Array | Float64Array, input: HandTensor): HandTensor {
  // Parity note: Keras and tfjs treat a bad id differently (negative ids wrap in Keras and throw in tfjs;
  // NaN is an error in Keras and row 0 in tfjs): src/data/token-ids.ts has the measurements. Refused here.
  checkTokenIds(input, config.inputDim, 'Embedding input');
  const { outputDim } = config;
  const out = new Float64Array(input.data.length * outputDim);
  for (let i = 0; i < input.data.length; i++) {
    const row = input.data[i] * outputDim;
    for (let j = 0; j < outputDim; j++) out[i * outputDim + j] = embeddings[row + j];
  }
  return { shape: [...input.shape, outputDim], data: out };
}

/** mask_zero's mask: 1 where the id is not 0, over the input's [batch, timeSteps]. */
export function embeddingMask(input: HandTensor): Uint8Array {
  return Uint8Array.from(input.data, (id) => (id !== 0 ? 1 : 0));
}
