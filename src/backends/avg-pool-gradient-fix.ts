/**
 * tfjs 4.22's AvgPool gradient with padding 'same' is wrong on the cpu and wasm backends: their AvgPoolGrad
 * kernels divide every window's gradient by the full pool size, while the forward (like TF and Keras) divides
 * an edge window by the number of real steps it covers. Measured: AveragePooling1D(3, strides 2, 'same') on 9
 * steps, gradients off by up to 0.17 absolute (37% of the tensor's largest entry upstream of it in the
 * conv-strided-gru golden); the tensorflow backend (TF's own kernel) is right.
 *
 * The fix re-registers AvgPool's gradient. 'valid' goes to the shipped gradient unchanged. 'same' is written
 * as what it is: zero-pad x as TF's 'same' pads it, average over full windows ('valid', where the shipped
 * kernels are right), and rescale each output by pool size / real steps covered:
 *   y = avgPoolValid(pad(x)) * k / count,   count / k = avgPoolValid(pad(ones))
 * so dx = unpad(avgPoolValidGrad(dy / (count / k))). Exact in real arithmetic; on every backend.
 */
import type * as tf from '@tensorflow/tfjs';
import { samePadding } from './same-padding';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;

let applied = false;

/** Re-registers AvgPool's gradient once per process (see the file comment). */
export function ensureAvgPoolGradient(tfjs: typeof tf): void {
  if (applied) return;
  const shipped = tfjs.getGradient('AvgPool');
  if (shipped === undefined) return;
  const shippedGrad = shipped.gradFunc as unknown as GradFunc;
  tfjs.registerGradient({
    kernelName: 'AvgPool',
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const gradient = Array.isArray(dy) ? dy[0] : dy;
      const { filterSize, strides, pad } = attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown };
      if (pad !== 'same') return shippedGrad(gradient, saved, attrs);
      const [x] = saved as [tf.Tensor4D];
      const [fh, fw] = typeof filterSize === 'number' ? [filterSize, filterSize] : filterSize;
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      // x: [batch, height, width, channels] (AveragePooling1D: [batch, timeSteps, 1, features])
      const [, height, width] = x.shape;
      const [top, bottom] = samePadding(height, fh, sh);
      const [left, right] = samePadding(width, fw, sw);
      const padding: [number, number][] = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ];
      const validAttrs = { ...attrs, pad: 'valid' } as unknown as tf.NamedAttrMap;
      return {
        x: () => {
          const padded = tfjs.pad(x, padding);
          // count / k per output window, the same shape as dy
          const coverage = tfjs.avgPool(tfjs.pad(tfjs.onesLike(x), padding) as tf.Tensor4D, [fh, fw], [sh, sw], 'valid');
          const dPadded = shippedGrad(tfjs.div(gradient, coverage), [padded], validAttrs).x();
          return tfjs.slice(dPadded, [0, top, left, 0], x.shape);
        },
      };
    },
  });
  applied = true;
}
