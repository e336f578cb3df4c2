/**
 * Every fix the layer path applies to tfjs 4.22's gradients, in one call: made where the layer path first
 * differentiates (the gradient check, training), not when a backend loads, so a forward-only check runs tfjs as
 * shipped. Each fix is applied once per process and changes nothing where tfjs is already right.
 */
import type * as tf from '@tensorflow/tfjs';
import { ensureAvgPoolGradient } from './avg-pool-gradient-fix';
import { ensureDilatedConvGradient } from './dilated-conv-gradient-fix';
import { ensureGatherGradient } from './gather-gradient-fix';
import { ensureMissingGradients } from './missing-gradients-fix';
import { ensureUnpackGradient, type UnpackGradientState } from './unpack-gradient-fix';

interface GradientFixes {
  /** Whether tfjs as shipped needed the one-time-step fix (./unpack-gradient-fix.ts). */
  readonly unpackGradient: UnpackGradientState;
  /** Kernels whose missing gradients were registered (./missing-gradients-fix.ts). */
  readonly addedGradients: readonly string[];
}

/** Applies them all (once per process). */
export function ensureGradientFixes(tfjs: typeof tf): GradientFixes {
  const unpackGradient = ensureUnpackGradient(tfjs);
  const addedGradients = ensureMissingGradients(tfjs);
  ensureAvgPoolGradient(tfjs);
  ensureDilatedConvGradient(tfjs);
  ensureGatherGradient(tfjs);
  return { unpackGradient, addedGradients };
}
