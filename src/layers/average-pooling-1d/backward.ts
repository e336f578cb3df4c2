/** AveragePooling1D's backward pass on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import { pooling1dBackward } from '../pooling-1d-backward';
import type { AveragePooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @param outputGrad dL/dy [batch, outSteps, channels]
 * @returns dL/dx: each window's gradient divided by its covered steps, added to each; no weights
 */
export function averagePooling1dBackward(config: AveragePooling1dConfig, input: HandTensor, outputGrad: ArrayLike<number>, arith: Arithmetic): LayerGradients {
  return { inputs: [pooling1dBackward('AveragePooling1D', 'avg', config, input, outputGrad, arith)], weights: [] };
}
