/** Add's backward pass on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import { mergeBackward } from '../merge-backward';

/**
 * @param inputs tensors of one shape, none masked
 * @param outputGrad dL/dy, that shape
 * @returns dL/d each input (see ../merge-backward.ts); no weights
 * @throws ConfigError for a masked input, as the forward
 */
export function addBackward(inputs: readonly HandTensor[], outputGrad: Float64Array | Float32Array, arith: Arithmetic): LayerGradients {
  return mergeBackward('Add', 'add', inputs, outputGrad, arith);
}
