/** Average on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { elementwiseForward } from '../merge';

/**
 * @param inputs tensors of one shape
 * @returns that shape: (x0 + x1 + ...) / n, the sum in input order divided by the count (Keras divides)
 */
export function averageForward(inputs: readonly HandTensor[], arith: Arithmetic): HandTensor {
  return elementwiseForward('Average', (a, b) => a + b, inputs, arith, true);
}
