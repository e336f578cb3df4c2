/** Minimum on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { elementwiseForward } from '../merge';

/**
 * @param inputs tensors of one shape
 * @returns that shape: min(x0, x1, ...) elementwise (exact)
 */
export function minimumForward(inputs: readonly HandTensor[], arith: Arithmetic): HandTensor {
  return elementwiseForward('Minimum', Math.min, inputs, arith);
}
