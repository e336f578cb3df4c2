/** Conv1D on the hand path: the windows of the (zero-padded) input as rows, times the kernel. Plain TypeScript. */
import { applyActivation } from '../../manual/activations';
import { addRowVector, viewOf } from '../../manual/linalg';
import type { Arithmetic } from '../../manual/precision';
import type { HandTensor, WeightData } from '../kind';
import { windowOutputLength, windowPadLeft } from '../window-1d';
import type { Conv1dConfig } from '.';

/**
 * @param weights kernel [kernelSize, inputDim, filters][, bias [filters]]
 * @param input [batch, timeSteps, inputDim]
 * @returns [batch, outSteps, filters]
 */
export function conv1dForward(config: Conv1dConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): HandTensor {
  const [batch, timeSteps, inputDim] = input.shape;
  const { kernelSize, strides, dilationRate, filters } = config;
  const outSteps = windowOutputLength('Conv1D', timeSteps, kernelSize, strides, dilationRate, config.padding) as number;
  const padLeft = windowPadLeft(timeSteps, kernelSize, strides, dilationRate, config.padding);
  const width = kernelSize * inputDim;
  // im2col: row (b, t) holds x[b, t*strides + k*dilationRate - padLeft, c] at column k*inputDim + c, zero
  // where that step is outside the sequence (Keras's zero padding). The kernel [kernelSize, inputDim, filters]
  // read row-major is the matrix [kernelSize*inputDim, filters] with the same row index.
  const rows = batch * outSteps;
  const patches = arith.alloc(rows * width);
  const x = input.data;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const row = (b * outSteps + t) * width;
      for (let k = 0; k < kernelSize; k++) {
        const step = t * strides + k * dilationRate - padLeft;
        if (step < 0 || step >= timeSteps) continue;
        const from = (b * timeSteps + step) * inputDim;
        for (let c = 0; c < inputDim; c++) patches[row + k * inputDim + c] = x[from + c];
      }
    }
  }
  const y = viewOf(arith.alloc(rows * filters), rows, filters);
  // Parity note: Keras's Conv1D convolves, then adds the bias, then activates, as tfjs's does.
  // [batch*outSteps, kernelSize*inputDim] x [kernelSize*inputDim, filters] -> [batch*outSteps, filters]
  arith.matmulAccumulate(y, viewOf(patches, rows, width), viewOf(arith.load(weights[0]), width, filters));
  if (config.useBias) addRowVector(y, arith.load(weights[1]), arith.round);
  applyActivation(config.activation, y.data, filters, arith.round);
  return { shape: [batch, outSteps, filters], data: y.data };
}
