/** Activation on the hand path: y = act(x), elementwise or along the last axis. Plain TypeScript. */
import { applyActivation } from '../../hand/activations';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import type { ActivationConfig } from '.';

/**
 * @param input [batch, ..., lastDim]
 * @returns [batch, ..., lastDim], a new array (the input is not written to)
 */
export function activationForward(config: ActivationConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  const y = arith.alloc(input.data.length);
  y.set(arith.load(input.data));
  // Parity note: in float32 mode an elementwise activation is computed in float64 and rounded once; Keras and
  // tfjs round after each of its ops (gelu, mish, ...), a difference of a few float32 ulps. The row activations
  // round each of their steps (src/hand/activations.ts).
  applyActivation(config.activation, y, input.shape[input.shape.length - 1] ?? 1, arith.round);
  return { shape: input.shape, data: y };
}
