/**
 * tfjs 4.22 cannot backpropagate into a recurrent layer whose sequence has one time step: the gradient
 * fails with "Argument tensors passed to stack must be a `Tensor[]` or `TensorLike[]`" (with respect to the
 * input always; the weights too when two recurrent layers are stacked), on every backend (upstream:
 * tensorflow/tfjs#8255).
 *
 * Cause: tfjs-layers' rnn() unstacks the sequence along time (the Unpack kernel). The engine passes a
 * kernel's gradient function the upstream gradient as one tensor when the kernel has one output and as a
 * list otherwise; Unpack's gradient, stack(dy, axis), assumes a list. With one time step Unpack has one
 * output, so stack() receives a bare tensor.
 *
 * The fix re-registers Unpack's gradient to accept both: stack([dy]) for one output, stack(dy) otherwise,
 * which is the gradient of unstack by definition (dy stacked back along the axis). The layer path applies it
 * when a backend is selected (./index.ts); it changes nothing where the shipped gradient works (T >= 2).
 */
import type * as tf from '@tensorflow/tfjs';

export type UnpackGradientState = 'shipped-works' | 'fixed';

let state: UnpackGradientState | undefined;

/**
 * Whether the shipped Unpack gradient fails on a one-output unstack (the T = 1 case): its gradient function is
 * called directly with one tensor, as the engine passes it, so no tape runs and nothing is left behind.
 */
export function unpackGradientFails(tfjs: typeof tf): boolean {
  const shipped = tfjs.getGradient('Unpack');
  if (shipped === undefined) return false;
  let fails = false;
  tfjs.tidy(() => {
    try {
      const gradients = shipped.gradFunc(tfjs.zeros([2]), [], { axis: 0 } as unknown as tf.NamedAttrMap) as Record<string, () => tf.Tensor>;
      gradients.value();
    } catch (error) {
      fails = /must be a `Tensor\[\]`/.test((error as Error).message);
    }
  });
  return fails;
}

/**
 * Applies the fix once per process, where the shipped gradient fails.
 * @returns 'fixed' when it was needed (and is now applied), 'shipped-works' when tfjs needed nothing
 */
export function ensureUnpackGradient(tfjs: typeof tf): UnpackGradientState {
  if (state !== undefined) return state;
  if (!unpackGradientFails(tfjs)) return (state = 'shipped-works');
  tfjs.registerGradient({
    kernelName: 'Unpack',
    gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const { axis } = attrs as unknown as { axis: number };
      const parts = Array.isArray(dy) ? dy : [dy];
      return { value: () => tfjs.stack(parts, axis) };
    },
  });
  if (unpackGradientFails(tfjs)) throw new Error('tfjs Unpack gradient fix: still failing after re-registering the gradient');
  return (state = 'fixed');
}

/** What the report says when the fix was needed for a model with a one-step recurrent input. */
export const UNPACK_GRADIENT_NOTE =
  "tfjs 4.22's gradient through a recurrent layer fails for timeSteps = 1 (tensorflow/tfjs#8255: Unpack's gradient expects a list); rnn-parity re-registers that gradient to accept one tensor";
