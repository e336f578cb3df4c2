/** GlobalMaxPooling1D's backward pass on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import { globalPooling1dBackward } from '../global-pooling-1d-backward';
import type { HandTensor, LayerGradients } from '../kind';

/**
 * @param input [batch, timeSteps, channels]
 * @param outputGrad dL/dy [batch, channels] ([batch, 1, channels] with keepdims)
 * @returns dL/dx: each gradient on the largest step, split equally among tied steps (TF's reduce_max gradient;
 *   see ../global-pooling-1d-backward.ts); no weights
 */
export function globalMaxPooling1dBackward(input: HandTensor, outputGrad: ArrayLike<number>, arith: Arithmetic): LayerGradients {
  return { inputs: [globalPooling1dBackward('max', input, outputGrad, arith)], weights: [] };
}
