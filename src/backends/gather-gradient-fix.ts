/**
 * tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel, which the gradient of Gather (an Embedding's row
 * lookup) is built on: "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'", so no Embedding trains
 * on wasm. The fix re-registers GatherV2's gradient: where the active backend has that kernel, or the gather is
 * not a plain row lookup (axis 0, no batch dimensions), the shipped gradient runs unchanged; otherwise the
 * scatter-add of dy into the rows is written as the matrix product it is:
 *   dParams[v, :] = sum over n with ids[n] = v of dy[n, :]  =  oneHot(ids, V)^T . dy    ([V, n] x [n, inner])
 * Applied when a backend is selected (./activate.ts).
 */
import type * as tf from '@tensorflow/tfjs';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;

let applied = false;

/** Re-registers GatherV2's gradient once per process (see the file comment). */
export function ensureGatherGradient(tfjs: typeof tf): void {
  if (applied) return;
  const shipped = tfjs.getGradient('GatherV2');
  if (shipped === undefined) return;
  const shippedGrad = shipped.gradFunc as unknown as GradFunc;
  tfjs.registerGradient({
    kernelName: 'GatherV2',
    inputsToSave: ['x', 'indices'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const gradient = Array.isArray(dy) ? dy[0] : dy;
      const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
      const [x, indices] = saved;
      const hasKernel = tfjs.getKernel('UnsortedSegmentSum', tfjs.getBackend()) !== undefined;
      if (hasKernel || (axis !== 0 && axis !== -x.rank) || (batchDims ?? 0) !== 0) return shippedGrad(gradient, saved, attrs);
      return {
        x: () => {
          const rows = x.shape[0];
          const inner = x.size / rows;
          // [n, V]^T x [n, inner] -> [V, inner]
          const oneHot = tfjs.cast(tfjs.oneHot(tfjs.cast(tfjs.reshape(indices, [indices.size]), 'int32') as tf.Tensor1D, rows), 'float32') as tf.Tensor2D;
          const summed = tfjs.matMul(oneHot, tfjs.reshape(gradient, [indices.size, inner]) as tf.Tensor2D, true, false);
          return tfjs.reshape(summed, x.shape);
        },
        indices: () => tfjs.zerosLike(indices),
      };
    },
  });
  applied = true;
}
