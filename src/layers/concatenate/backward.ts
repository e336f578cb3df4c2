/** Concatenate's backward pass on the hand path: dL/dy cut back into the inputs' chunks. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import { refuseMaskedInputs } from '../merge';
import { concatAxis } from './hand';
import type { ConcatenateConfig } from '.';

/**
 * For each index of the axes before `axis` (outer, row-major), input i's gradient is the chunk of dL/dy the
 * forward copied input i's values into (values copied exactly).
 * @param inputs tensors of one rank, equal but for `axis`, none masked
 * @param outputGrad dL/dy, the joined shape
 * @returns dL/d each input, its shape; no weights
 * @throws ConfigError for a masked input, as the forward
 */
export function concatenateBackward(
  config: ConcatenateConfig,
  inputs: readonly HandTensor[],
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  refuseMaskedInputs('Concatenate', inputs);
  const axis = concatAxis(config.axis, inputs[0].shape.length);
  const outer = inputs[0].shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const chunks = inputs.map((x) => x.data.length / outer);
  const width = chunks.reduce((a, b) => a + b, 0);
  const dy = arith.load(outputGrad);
  const grads = chunks.map((chunk) => arith.alloc(outer * chunk));
  for (let o = 0; o < outer; o++) {
    let at = o * width;
    chunks.forEach((chunk, i) => {
      grads[i].set(dy.subarray(at, at + chunk), o * chunk);
      at += chunk;
    });
  }
  return { inputs: grads, weights: [] };
}
