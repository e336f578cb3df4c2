/** Flatten on the hand path: a reshape, after moving the channel axis last for channels_first. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import type { FlattenConfig } from '.';

/**
 * @param input [batch, d1, ..., dk]
 * @returns [batch, d1 * ... * dk]; channels_last shares the input's data (never written to)
 */
export function flattenForward(config: FlattenConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  const [batch, ...dims] = input.shape;
  const width = dims.reduce((a, b) => a * b, 1);
  if (config.dataFormat === 'channels_last' || dims.length < 2) return { shape: [batch, width], data: input.data };
  // channels_first: Keras transposes [batch, d1, rest] to [batch, rest, d1] (axes (0, 2, ..., k, 1)), then
  // flattens: out[b, i * d1 + c] = in[b, c * rest + i].
  const channels = dims[0];
  const rest = width / channels;
  const out = arith.alloc(input.data.length);
  for (let b = 0; b < batch; b++) {
    const base = b * width;
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < rest; i++) out[base + i * channels + c] = input.data[base + c * rest + i];
    }
  }
  return { shape: [batch, width], data: out };
}
