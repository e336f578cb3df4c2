/**
 * tfjs 4.22 refuses the gradient of a dilated convolution ("Error in gradient of conv2D: dilation rates greater
 * than 1 are not yet supported in gradients"), on every backend, so a Conv1D(dilation_rate > 1) (WaveNet, TCN)
 * cannot be trained in tfjs at all. TF computes it.
 *
 * A convolution with dilation d is a convolution with the dilated kernel written out: zeros between the taps,
 * (k - 1) d + 1 wide, dilation 1 (same padding arithmetic, same outputs). So the fix re-registers Conv2D's
 * gradient: dilation 1 goes to the shipped gradient unchanged; otherwise the shipped (dilation-1) gradient of
 * the written-out kernel gives dx directly, and the filter's gradient is the written-out kernel's gradient at
 * the taps. Exact in real arithmetic; applied when a backend is selected (./activate.ts).
 *
 * tfjs-backend-wasm 4.22 also has no Conv2DBackpropFilter kernel at all ("Kernel 'Conv2DBackpropFilter' not
 * registered for backend 'wasm'"): no Conv1D trains on wasm. There the filter's gradient is computed as the
 * forward convolution it is (filterGradientByConvolution).
 */
import type * as tf from '@tensorflow/tfjs';
import { samePadding } from './same-padding';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;

let applied = false;

function pair(value: number | readonly number[]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** [fh, fw, in, out] -> [(fh - 1) dh + 1, (fw - 1) dw + 1, in, out], the taps at multiples of the dilation. */
function writeOut(tfjs: typeof tf, filter: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  const [fh, fw, cin, cout] = filter.shape;
  const spaced = tfjs.pad(tfjs.reshape(filter, [fh, 1, fw, 1, cin, cout]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  return tfjs.slice(tfjs.reshape(spaced, [fh * dh, fw * dw, cin, cout]), [0, 0, 0, 0], [(fh - 1) * dh + 1, (fw - 1) * dw + 1, cin, cout]) as tf.Tensor4D;
}

/** The inverse: the written-out kernel's entries at the taps, [fh, fw, in, out]. */
function taps(tfjs: typeof tf, written: tf.Tensor4D, fh: number, fw: number, dh: number, dw: number): tf.Tensor4D {
  const [, , cin, cout] = written.shape;
  const full = tfjs.pad(written, [
    [0, dh - 1],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  const grid = tfjs.reshape(full, [fh, dh, fw, dw, cin, cout]);
  return tfjs.reshape(tfjs.slice(grid, [0, 0, 0, 0, 0, 0], [fh, 1, fw, 1, cin, cout]), [fh, fw, cin, cout]);
}

/**
 * The filter's gradient of a dilation-1 NHWC convolution as a forward convolution, for a backend without the
 * Conv2DBackpropFilter kernel (wasm):
 *   dW[i, j, c, o] = sum over b, y, x of xPadded[b, y s + i, x s + j, c] dy[b, y, x, o]
 * which is conv2d(xPadded as [c, H, W, b], dy as [oh, ow, b, o], dilation s), cut to [c, fh, fw, o].
 */
function filterGradientByConvolution(
  tfjs: typeof tf,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  strides: [number, number],
  pad: 'valid' | 'same',
): tf.Tensor4D {
  const [fh, fw, cin, cout] = filterShape;
  const [, height, width] = x.shape;
  const [sh, sw] = strides;
  const [top, bottom] = pad === 'same' ? samePadding(height, fh, sh) : [0, 0];
  const [left, right] = pad === 'same' ? samePadding(width, fw, sw) : [0, 0];
  const padded = tfjs.pad(x, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  // [c, H, W, b] * [oh, ow, b, o] with dilation (sh, sw) -> [c, >= fh, >= fw, o]
  const product = tfjs.conv2d(tfjs.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D, tfjs.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', [
    sh,
    sw,
  ]);
  return tfjs.transpose(tfjs.slice(product, [0, 0, 0, 0], [cin, fh, fw, cout]), [1, 2, 0, 3]);
}

/** Re-registers Conv2D's gradient once per process (see the file comment). */
export function ensureDilatedConvGradient(tfjs: typeof tf): void {
  if (applied) return;
  const shipped = tfjs.getGradient('Conv2D');
  if (shipped === undefined) return;
  const shippedGrad = shipped.gradFunc as unknown as GradFunc;
  tfjs.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const gradient = Array.isArray(dy) ? dy[0] : dy;
      const { dilations, strides, pad, dataFormat } = attrs as unknown as {
        dilations?: number | number[];
        strides: number | number[];
        pad: unknown;
        dataFormat?: string;
      };
      const [dh, dw] = pair(dilations ?? 1);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const [fh, fw] = filter.shape;
      const written = dh === 1 && dw === 1 ? filter : writeOut(tfjs, filter, dh, dw);
      const plain = shippedGrad(gradient, [x, written], { ...attrs, dilations: [1, 1] } as unknown as tf.NamedAttrMap);
      // A backend without the filter-gradient kernel (tfjs-backend-wasm 4.22) gets it as a forward convolution.
      const noFilterKernel = tfjs.getKernel('Conv2DBackpropFilter', tfjs.getBackend()) === undefined;
      const byConvolution = noFilterKernel && (pad === 'valid' || pad === 'same') && (dataFormat ?? 'NHWC') === 'NHWC';
      const writtenGradient = (): tf.Tensor4D =>
        byConvolution
          ? filterGradientByConvolution(tfjs, x, gradient as tf.Tensor4D, written.shape, pair(strides), pad as 'valid' | 'same')
          : (plain.filter() as tf.Tensor4D);
      return { x: plain.x, filter: () => (dh === 1 && dw === 1 ? writtenGradient() : taps(tfjs, writtenGradient(), fh, fw, dh, dw)) };
    },
  });
  applied = true;
}
