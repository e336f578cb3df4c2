/** Multiply on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import { elementwiseForward } from '../merge';

/**
 * @param inputs tensors of one shape
 * @returns that shape: x0 * x1 * ... in input order
 */
export function multiplyForward(inputs: readonly HandTensor[], arith: Arithmetic): HandTensor {
  return elementwiseForward('Multiply', (a, b) => a * b, inputs, arith);
}
