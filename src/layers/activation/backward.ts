/** Activation's backward on the hand path: dL/dx = act'(x) ⊙ dL/dy (row activations: their VJP). Plain TypeScript. */
import { activationBackward } from '../../hand/activation-derivatives';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import type { ActivationConfig } from '.';

/**
 * @param input x: [batch, ..., lastDim]
 * @param outputGrad dL/dy: [batch, ..., lastDim]
 * @returns inputs: [dL/dx [batch, ..., lastDim]]; no weights
 */
export function activationLayerBackward(
  config: ActivationConfig,
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const lastDim = input.shape[input.shape.length - 1] ?? 1;
  const dx = activationBackward(config.activation, arith.load(input.data), arith.load(outputGrad), lastDim, arith.round, arith.alloc);
  return { inputs: [dx], weights: [] };
}
