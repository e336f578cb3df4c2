/**
 * The backward pass MaxPooling1D and AveragePooling1D share, window by window as pooling1dForward walks them
 * (the steps a window covers inside the sequence; padding same adds none). Plain TypeScript (no tfjs).
 *   max: each output's gradient goes to the step holding the window's largest value; where several steps tie,
 *        to the first of them (measured: TF 2.21's MaxPoolGrad, float32 and float64, oneDNN on and off, and
 *        tfjs 4.22's cpu maxPoolBackprop both route it to the earliest tied step; x = [1, 3, 3, 2, 3],
 *        pool 2, stride 1, valid, dL/dy = [1, 2, 3, 4] gives dL/dx = [0, 3, 3, 0, 4] in both);
 *   avg: each output's gradient divided by the number of covered steps, added to each of them.
 * Overlapping windows (strides < pool_size) add their shares.
 */
import type { FloatBuffer } from '../hand/linalg';
import type { Arithmetic } from '../hand/precision';
import type { HandTensor } from './kind';
import type { Pooling1dConfig } from './pooling-1d';
import { windowOutputLength, windowPadLeft } from './window-1d';

/** The covered step of [first, last) with the largest x[b, s, c]: the first one on a tie. */
function firstLargest(x: ArrayLike<number>, base: number, stride: number, first: number, last: number): number {
  let best = first;
  for (let s = first + 1; s < last; s++) if (x[base + s * stride] > x[base + best * stride]) best = s;
  return best;
}

/**
 * @param mode 'max' or 'avg', as the forward
 * @param input [batch, timeSteps, channels]
 * @param outputGrad dL/dy [batch, outSteps, channels]
 * @returns dL/dx [batch, timeSteps, channels], each sum rounded (float32 mode)
 */
export function pooling1dBackward(
  kerasClass: string,
  mode: 'max' | 'avg',
  config: Pooling1dConfig,
  input: HandTensor,
  outputGrad: ArrayLike<number>,
  arith: Arithmetic,
): FloatBuffer {
  const [batch, timeSteps, channels] = input.shape;
  const { poolSize, strides, padding } = config;
  const outSteps = windowOutputLength(kerasClass, timeSteps, poolSize, strides, 1, padding) as number;
  const padLeft = windowPadLeft(timeSteps, poolSize, strides, 1, padding);
  const x = input.data;
  const dx = arith.alloc(x.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const start = t * strides - padLeft;
      const first = Math.max(start, 0);
      const last = Math.min(start + poolSize, timeSteps);
      const o = (b * outSteps + t) * channels;
      for (let c = 0; c < channels; c++) {
        const dy = outputGrad[o + c];
        const base = b * timeSteps * channels + c;
        if (mode === 'max') {
          const at = base + firstLargest(x, base, channels, first, last) * channels;
          dx[at] = arith.round(dx[at] + dy);
          continue;
        }
        const share = arith.round(dy / (last - first));
        for (let s = first; s < last; s++) dx[base + s * channels] = arith.round(dx[base + s * channels] + share);
      }
    }
  }
  return dx;
}
