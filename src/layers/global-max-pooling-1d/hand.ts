/** GlobalMaxPooling1D on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import { globalPooling1dForward } from '../global-pooling-1d';
import type { HandTensor } from '../kind';
import type { GlobalMaxPooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @returns [batch, channels] ([batch, 1, channels] with keepdims): the largest value over time (exact)
 */
export function globalMaxPooling1dForward(config: GlobalMaxPooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  return globalPooling1dForward('max', config, input, arith);
}
