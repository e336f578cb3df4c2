/** GlobalAveragePooling1D on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import { globalPooling1dForward } from '../global-pooling-1d';
import type { HandTensor } from '../kind';
import type { GlobalAveragePooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @returns [batch, channels] ([batch, 1, channels] with keepdims): the sum over time in step order, divided
 *   by timeSteps
 */
export function globalAveragePooling1dForward(config: GlobalAveragePooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  return globalPooling1dForward('avg', config, input, arith);
}
