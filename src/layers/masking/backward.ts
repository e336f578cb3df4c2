/** Masking's backward on the hand path: the output gradient, zeroed at the padded steps. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients } from '../kind';
import type { MaskingConfig } from '.';
import { maskOf } from './hand';

/**
 * Keras's Masking computes inputs * mask with the mask (a comparison) taking no gradient, so
 * dx = dy at real steps and 0 at padded ones (measured with tf.GradientTape on keras.layers.Masking).
 * The forward is discontinuous at a padded step (a perturbed feature makes it real), so finite differences
 * say nothing there.
 * @param input [batch, timeSteps, features]
 * @param outputGrad dL/dy: [batch, timeSteps, features]
 * @returns inputs: [dL/dx [batch, timeSteps, features]]; no weights
 */
export function maskingBackward(config: MaskingConfig, input: HandTensor, outputGrad: Float64Array | Float32Array, arith: Arithmetic): LayerGradients {
  const mask = maskOf(config, input);
  const features = input.shape[2];
  const dx = arith.load(outputGrad).slice();
  for (let s = 0; s < mask.length; s++) if (!mask[s]) dx.fill(0, s * features, (s + 1) * features);
  return { inputs: [dx], weights: [] };
}
