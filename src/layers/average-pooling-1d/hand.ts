/** AveragePooling1D on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { pooling1dForward } from '../pooling-1d';
import type { AveragePooling1dConfig } from '.';

/**
 * @param input [batch, timeSteps, channels]
 * @returns [batch, outSteps, channels]: per window, the sum of the covered steps in step order, divided by
 *   their count (pool_size, or fewer at an edge with padding same)
 */
export function averagePooling1dForward(config: AveragePooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  return pooling1dForward('AveragePooling1D', 'avg', config, input, arith);
}
