/** Flatten's backward on the hand path: the output gradient put back in the input's layout. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import type { FlattenConfig } from '.';

/**
 * The inverse permutation of flattenForward (exact: values only move).
 * @param input [batch, d1, ..., dk] (only its shape is read)
 * @param outputGrad dL/dy: [batch, d1 * ... * dk]
 * @returns inputs: [dL/dx [batch, d1, ..., dk]], a new array; no weights
 */
export function flattenBackward(config: FlattenConfig, input: HandTensor, outputGrad: Float64Array | Float32Array, arith: Arithmetic): LayerGradients {
  const [batch, ...dims] = input.shape;
  const width = dims.reduce((a, b) => a * b, 1);
  const dy = arith.load(outputGrad);
  if (config.dataFormat === 'channels_last' || dims.length < 2) return { inputs: [dy.slice()], weights: [] };
  // channels_first: the forward wrote out[b, i * d1 + c] = in[b, c * rest + i]; so dx[b, c * rest + i] = dy[b, i * d1 + c].
  const channels = dims[0];
  const rest = width / channels;
  const dx = arith.alloc(dy.length);
  for (let b = 0; b < batch; b++) {
    const base = b * width;
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < rest; i++) dx[base + c * rest + i] = dy[base + i * channels + c];
    }
  }
  return { inputs: [dx], weights: [] };
}
