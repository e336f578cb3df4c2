/** MaxPooling1D on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { pooling1dForward } from '../pooling-1d';
import type { MaxPooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @returns [batch, outSteps, channels]: the largest covered value of each window (exact in both precisions)
 */
export function maxPooling1dForward(config: MaxPooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  return pooling1dForward('MaxPooling1D', 'max', config, input, arith);
}
