/** Masking on the hand path. Plain TypeScript. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor } from '../kind';
import type { MaskingConfig } from '.';

/**
 * Keras's Masking.compute_mask: a step is real when any feature differs from mask_value.
 * Parity note: mask_value is compared in float32 (the layer's dtype), so the value is rounded first.
 * @param input [batch, timeSteps, features]
 * @returns [batch, timeSteps]
 */
export function maskOf(config: MaskingConfig, input: HandTensor): Uint8Array {
  const features = input.shape[2];
  const steps = input.data.length / features;
  const value = Math.fround(config.maskValue);
  const mask = new Uint8Array(steps);
  for (let s = 0; s < steps; s++) {
    for (let j = 0; j < features; j++) {
      if (input.data[s * features + j] !== value) {
        mask[s] = 1;
        break;
      }
    }
  }
  return mask;
}

/** The input with padded steps zeroed (Keras: inputs * mask). */
export function maskingForward(config: MaskingConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  const mask = maskOf(config, input);
  const features = input.shape[2];
  const out = arith.load(input.data).slice();
  for (let s = 0; s < mask.length; s++) if (!mask[s]) out.fill(0, s * features, (s + 1) * features);
  return { shape: input.shape, data: out };
}
