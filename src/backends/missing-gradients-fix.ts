/**
 * Gradients tfjs 4.22 lacks and TensorFlow defines, registered once so that the layer path can be
 * differentiated wherever Keras's model can:
 *
 * - Comparisons and logical ops (Greater, Less, LessEqual, Equal, NotEqual, Any, All, LogicalAnd, LogicalOr,
 *   LogicalNot). TensorFlow declares them not differentiable (their outputs are piecewise constant booleans), so
 *   its tape passes no gradient through them. tfjs instead throws "Cannot compute gradient: gradient function not
 *   found for Greater" as soon as one sits between a weight or input and the loss: tfjs's own Masking layer (Any)
 *   with respect to its input, and the Keras activations written with tf.where (sparse_plus, sparse_sigmoid,
 *   soft_shrink, hard_shrink, sparsemax). Here they get a zero gradient, which is what "not differentiable" means
 *   on TF's tape for a boolean output. (tfjs already does the same for GreaterEqual.)
 * - TopK (sparsemax sorts with it): TF's TopKV2 gradient scatters dy back to the positions the values came
 *   from; tfjs has none. Here: dx[r] = dy[r] . oneHot(indices[r], n), one batched matmul.
 *
 * Applied when a backend is selected (./activate.ts); a kernel tfjs already has a gradient for is left alone.
 */
import type * as tf from '@tensorflow/tfjs';

/** TF's NotDifferentiable ops that tfjs 4.22 has no gradient for, by their inputs' names in tfjs's kernels. */
const NOT_DIFFERENTIABLE: Readonly<Record<string, readonly string[]>> = {
  Greater: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  Any: ['x'],
  All: ['x'],
  LogicalNot: ['x'],
};

let registered: readonly string[] | undefined;

/**
 * Registers the missing gradients once per process.
 * @returns the kernels it registered (empty when tfjs already had them all)
 */
export function ensureMissingGradients(tfjs: typeof tf): readonly string[] {
  if (registered !== undefined) return registered;
  const added: string[] = [];
  for (const [kernelName, inputs] of Object.entries(NOT_DIFFERENTIABLE)) {
    if (tfjs.getGradient(kernelName) !== undefined) continue;
    tfjs.registerGradient({
      kernelName,
      inputsToSave: [...inputs],
      // A zero gradient in each input's own shape (a compared scalar stays a scalar), float32 even for a boolean
      // input (Any's): the engine requires float gradients.
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        Object.fromEntries(inputs.map((name, i) => [name, () => tfjs.zeros(saved[i].shape, 'float32')])),
    });
    added.push(kernelName);
  }
  if (tfjs.getGradient('TopK') === undefined) {
    tfjs.registerGradient({
      kernelName: 'TopK',
      outputsToSave: [false, true],
      inputsToSave: ['x'],
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [x, indices] = saved;
        const dValues = Array.isArray(dy) ? dy[0] : dy;
        return {
          x: () => {
            const n = x.shape[x.shape.length - 1];
            const k = dValues.shape[dValues.shape.length - 1];
            const rows = dValues.size / k;
            // [rows, 1, k] x [rows, k, n] -> [rows, 1, n]
            const oneHot = tfjs.oneHot(tfjs.reshape(indices, [rows, k]) as tf.Tensor2D, n);
            return tfjs.reshape(tfjs.matMul(tfjs.reshape(dValues, [rows, 1, k]), tfjs.cast(oneHot, dValues.dtype)), x.shape);
          },
        };
      },
    });
    added.push('TopK');
  }
  return (registered = added);
}
