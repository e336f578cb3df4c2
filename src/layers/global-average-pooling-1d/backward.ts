/** GlobalAveragePooling1D's backward pass on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import { globalPooling1dBackward } from '../global-pooling-1d-backward';
import type { HandTensor, LayerGradients } from '../kind';

/**
 * @param input [batch, timeSteps, channels], unmasked
 * @param outputGrad dL/dy [batch, channels] ([batch, 1, channels] with keepdims)
 * @returns dL/dx: dL/dy / timeSteps on every step; no weights
 * @throws ConfigError for a masked input, as the forward
 */
export function globalAveragePooling1dBackward(input: HandTensor, outputGrad: ArrayLike<number>, arith: Arithmetic): LayerGradients {
  return { inputs: [globalPooling1dBackward('avg', input, outputGrad, arith)], weights: [] };
}
