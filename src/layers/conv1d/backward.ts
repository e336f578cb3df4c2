/**
 * Conv1D's backward pass on the hand path. Plain TypeScript. With z = patches x kernel + bias and y = act(z):
 *   dz = act'(z) * dy (row activations: per row)     [batch*outSteps, filters]
 *   dKernel = patches^T x dz                          [kernelSize*inputDim, filters] = [kernelSize, inputDim, filters]
 *   dBias = the column sums of dz                     [filters]
 *   dPatches = dz x kernel^T                          [batch*outSteps, kernelSize*inputDim]
 *   dx = dPatches summed back onto the steps they copied (col2im; padding taps dropped)   [batch, timeSteps, inputDim]
 * The forward is recomputed from the input (nothing is kept between calls). A padding mask is ignored, as the
 * forward ignores it (Keras's Conv1D does not support masking).
 */
import { activationBackward } from '../../hand/activation-derivatives';
import { viewOf } from '../../hand/linalg';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import { conv1dPreActivation } from './hand';
import { scatterPatchGradients } from './patches';
import { accumulateColumnSums, accumulateTransposedLeft, accumulateTransposedRight } from '../../hand/linalg-transpose';
import type { Conv1dConfig } from '.';

/**
 * @param weights kernel [kernelSize, inputDim, filters][, bias [filters]]
 * @param input [batch, timeSteps, inputDim]
 * @param outputGrad dL/dy [batch, outSteps, filters]
 * @returns dL/d input [batch, timeSteps, inputDim]; dL/d kernel, dL/d bias (use_bias)
 */
export function conv1dBackward(
  config: Conv1dConfig,
  weights: readonly WeightData[],
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const { filters } = config;
  const { geometry, patches, z } = conv1dPreActivation(config, weights, input, arith);
  const { rows, width } = geometry;
  // elementwise: act'(z) * dy; softmax and kin: the vector-Jacobian product over each row of filters
  const dz = activationBackward(config.activation, z.data, arith.load(outputGrad), filters, arith.round, arith.alloc);

  // [kernelSize*inputDim, batch*outSteps] x [batch*outSteps, filters]
  const kernelGrad = arith.alloc(width * filters);
  accumulateTransposedLeft(viewOf(kernelGrad, width, filters), viewOf(patches, rows, width), viewOf(dz, rows, filters), arith);

  // [batch*outSteps, filters] x [filters, kernelSize*inputDim]
  const patchGrads = arith.alloc(rows * width);
  accumulateTransposedRight(viewOf(patchGrads, rows, width), viewOf(dz, rows, filters), viewOf(arith.load(weights[0]), width, filters), arith);
  const inputGrad = scatterPatchGradients(config, geometry, patchGrads, arith);

  if (!config.useBias) return { inputs: [inputGrad], weights: [kernelGrad] };
  const biasGrad = arith.alloc(filters);
  accumulateColumnSums(biasGrad, viewOf(dz, rows, filters), arith.round);
  return { inputs: [inputGrad], weights: [kernelGrad, biasGrad] };
}
