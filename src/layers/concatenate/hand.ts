/** Concatenate on the hand path: a copy, chunk by chunk. Plain TypeScript. */
import { ShapeError } from '../../errors';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { refuseMaskedInputs } from '../merge';
import type { ConcatenateConfig } from '.';

/**
 * The axis as a non-negative index for inputs of `rank`.
 * @throws ShapeError for the batch axis or one outside the rank
 */
export function concatAxis(axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 1 || resolved >= rank)
    throw new ShapeError(`Concatenate: expected an axis from 1 to ${rank - 1} (or -${rank - 1} to -1) for inputs of rank ${rank}, got ${axis}`);
  return resolved;
}

/**
 * For each index of the axes before `axis` (outer, row-major), input i's chunk of shape[axis] * (sizes after
 * axis) values, inputs in order.
 * @param inputs tensors of one rank, equal but for `axis`
 * @returns the joined tensor (values copied exactly)
 * @throws ConfigError for a masked input (src/layers/merge.ts)
 */
export function concatenateForward(config: ConcatenateConfig, inputs: readonly HandTensor[], arith: Arithmetic): HandTensor {
  refuseMaskedInputs('Concatenate', inputs);
  const rank = inputs[0].shape.length;
  const axis = concatAxis(config.axis, rank);
  const outer = inputs[0].shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const chunks = inputs.map((x) => x.data.length / outer);
  const width = chunks.reduce((a, b) => a + b, 0);
  const out = arith.alloc(outer * width);
  for (let o = 0; o < outer; o++) {
    let at = o * width;
    inputs.forEach((x, i) => {
      out.set(x.data.subarray(o * chunks[i], (o + 1) * chunks[i]), at);
      at += chunks[i];
    });
  }
  const shape = inputs[0].shape.slice();
  shape[axis] = inputs.reduce((a, x) => a + x.shape[axis], 0);
  return { shape, data: out };
}
