/**
 * Conv1D's im2col, both ways: the windows of the (zero-padded) input as the rows of a matrix (the forward),
 * and the gradient of that matrix summed back onto the input steps it copied (the backward). Plain TypeScript.
 */
import type { FloatBuffer } from '../../hand/linalg';
import type { Arithmetic } from '../../hand/precision';
import { windowOutputLength, windowPadLeft } from '../window-1d';
import type { Conv1dConfig } from '.';

/** The sizes of one Conv1D call on an input [batch, timeSteps, inputDim]. */
export interface Conv1dGeometry {
  readonly batch: number;
  readonly timeSteps: number;
  readonly inputDim: number;
  readonly outSteps: number;
  /** Zeros before step 0 (same: TensorFlow's floor(total / 2); causal: (kernelSize - 1) * dilationRate). */
  readonly padLeft: number;
  /** Patch rows: batch * outSteps. */
  readonly rows: number;
  /** Patch columns: kernelSize * inputDim. */
  readonly width: number;
}

/** The geometry of Conv1D on an input of shape [batch, timeSteps, inputDim]. */
export function conv1dGeometry(config: Conv1dConfig, shape: readonly number[]): Conv1dGeometry {
  const [batch, timeSteps, inputDim] = shape;
  const { kernelSize, strides, dilationRate, padding } = config;
  const outSteps = windowOutputLength('Conv1D', timeSteps, kernelSize, strides, dilationRate, padding) as number;
  const padLeft = windowPadLeft(timeSteps, kernelSize, strides, dilationRate, padding);
  return { batch, timeSteps, inputDim, outSteps, padLeft, rows: batch * outSteps, width: kernelSize * inputDim };
}

/**
 * Calls visit(row offset in the patches, offset of the input step) for every tap of every window that falls
 * inside the sequence: patch row (b, t) holds x[b, t*strides + k*dilationRate - padLeft, :] at columns
 * k*inputDim .. k*inputDim + inputDim - 1. Rows in (b, t) order, taps in k order.
 */
function forEachTap(config: Conv1dConfig, g: Conv1dGeometry, visit: (patchAt: number, inputAt: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let t = 0; t < g.outSteps; t++) {
      const row = (b * g.outSteps + t) * g.width;
      for (let k = 0; k < config.kernelSize; k++) {
        const step = t * config.strides + k * config.dilationRate - g.padLeft;
        if (step < 0 || step >= g.timeSteps) continue;
        visit(row + k * g.inputDim, (b * g.timeSteps + step) * g.inputDim);
      }
    }
  }
}

/**
 * im2col: the kernel [kernelSize, inputDim, filters] read row-major is the matrix [kernelSize*inputDim, filters]
 * with the same row index as a patch's column, so the convolution is patches x kernel.
 * @param x [batch, timeSteps, inputDim]
 * @returns patches [batch*outSteps, kernelSize*inputDim], zero where a tap is outside the sequence (Keras's zero padding)
 */
export function conv1dPatches(config: Conv1dConfig, g: Conv1dGeometry, x: ArrayLike<number>, arith: Arithmetic): FloatBuffer {
  const patches = arith.alloc(g.rows * g.width);
  forEachTap(config, g, (patchAt, inputAt) => {
    for (let c = 0; c < g.inputDim; c++) patches[patchAt + c] = x[inputAt + c];
  });
  return patches;
}

/**
 * col2im, the transpose of conv1dPatches: every patch entry's gradient added onto the input step it was copied
 * from (overlapping windows sum; padding taps are dropped), in row then tap order, each sum rounded.
 * @param patchGrads [batch*outSteps, kernelSize*inputDim]
 * @returns [batch, timeSteps, inputDim]
 */
export function scatterPatchGradients(config: Conv1dConfig, g: Conv1dGeometry, patchGrads: ArrayLike<number>, arith: Arithmetic): FloatBuffer {
  const dx = arith.alloc(g.batch * g.timeSteps * g.inputDim);
  forEachTap(config, g, (patchAt, inputAt) => {
    for (let c = 0; c < g.inputDim; c++) dx[inputAt + c] = arith.round(dx[inputAt + c] + patchGrads[patchAt + c]);
  });
  return dx;
}
