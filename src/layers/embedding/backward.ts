/** Embedding's backward on the hand path: the output gradient rows scatter-added into the embedding rows. Plain TypeScript. */
import { checkTokenIds } from '../../data/token-ids';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import type { EmbeddingConfig } from '.';

/**
 * dE[id, :] = sum of dy[i, :] over the positions i holding `id`, in position order with arith.round (what TF's
 * gather gradient, an IndexedSlices summed into the variable, adds up). Rows no id picks get 0. The mask
 * (mask_zero) does not enter: the forward looks up id 0 like any other, so row 0 takes its gradient too.
 * @param input token ids [batch, ...]
 * @param outputGrad dL/dy: [batch, ..., outputDim]
 * @returns inputs: [null] (integer ids take no gradient); weights: [dL/dembeddings [inputDim, outputDim]]
 */
export function embeddingBackward(config: EmbeddingConfig, input: HandTensor, outputGrad: Float64Array | Float32Array, arith: Arithmetic): LayerGradients {
  checkTokenIds(input, config.inputDim, 'Embedding input');
  const { inputDim, outputDim } = config;
  const dEmbeddings = arith.alloc(inputDim * outputDim);
  for (let i = 0; i < input.data.length; i++) {
    const row = input.data[i] * outputDim;
    for (let j = 0; j < outputDim; j++) dEmbeddings[row + j] = arith.round(dEmbeddings[row + j] + outputGrad[i * outputDim + j]);
  }
  return { inputs: [null], weights: [dEmbeddings] };
}
