/** Maximum on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { elementwiseForward } from '../merge';

/**
 * @param inputs tensors of one shape
 * @returns that shape: max(x0, x1, ...) elementwise (exact)
 */
export function maximumForward(inputs: readonly HandTensor[], arith: Arithmetic): HandTensor {
  return elementwiseForward('Maximum', Math.max, inputs, arith);
}
