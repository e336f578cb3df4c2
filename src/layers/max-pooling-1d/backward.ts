/** MaxPooling1D's backward pass on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import { pooling1dBackward } from '../pooling-1d-backward';
import type { MaxPooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @param outputGrad dL/dy [batch, outSteps, channels]
 * @returns dL/dx: each window's gradient on its largest step (the first of tied steps, as TensorFlow's
 *   MaxPoolGrad; see ../pooling-1d-backward.ts); no weights
 */
export function maxPooling1dBackward(config: MaxPooling1dConfig, input: HandTensor, outputGrad: ArrayLike<number>, arith: Arithmetic): LayerGradients {
  return { inputs: [pooling1dBackward('MaxPooling1D', 'max', config, input, outputGrad, arith)], weights: [] };
}
