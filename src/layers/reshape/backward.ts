/** Reshape's backward on the hand path: the same values in the same order, the input's shape. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { LayerGradients } from '../kind';

/**
 * @param outputGrad dL/dy: [batch, ...targetShape]
 * @returns inputs: [dL/dx [batch, ...input shape]] (the same row-major values, a new array); no weights
 */
export function reshapeBackward(outputGrad: Float64Array | Float32Array, arith: Arithmetic): LayerGradients {
  return { inputs: [arith.load(outputGrad).slice()], weights: [] };
}
