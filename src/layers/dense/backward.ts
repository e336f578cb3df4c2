/** Dense's backward on the hand path: dL/dx, dL/dkernel, dL/dbias from dL/dy. Plain TypeScript. */
import { activationBackward } from '../../hand/activation-derivatives';
import { addRowVector, viewOf } from '../../hand/linalg';
import { accumulateColumnSums, accumulateTransposedLeft, accumulateTransposedRight } from '../../hand/linalg-transpose';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import type { DenseConfig } from '.';

/**
 * Backward of y = act(x·W + b), the rows of every leading axis at once (rows = batch or batch * timeSteps).
 * Recomputes the pre-activation z as the forward does (same roundings), then
 *   dz = act'(z) ⊙ dy (row-wise activations: their vector-Jacobian product),
 *   dW = xᵀ·dz,  db = sum over rows of dz,  dx = dz·Wᵀ.
 * @param weights kernel [inputDim, units][, bias [units]]
 * @param input x: [..., inputDim], read as [rows, inputDim]
 * @param outputGrad dL/dy: [..., units], read as [rows, units]
 * @returns inputs: [dL/dx [..., inputDim]]; weights: [dL/dkernel [inputDim, units][, dL/dbias [units]]]
 */
export function denseBackward(
  config: DenseConfig,
  weights: readonly WeightData[],
  input: HandTensor,
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  const inputDim = input.shape[input.shape.length - 1];
  const rows = input.data.length / inputDim;
  const { units } = config;
  const x = arith.load(input.data);
  const kernel = arith.load(weights[0]);
  // z = x·W + b: [rows, inputDim] x [inputDim, units] -> [rows, units]
  const z = viewOf(arith.alloc(rows * units), rows, units);
  arith.matmulAccumulate(z, viewOf(x, rows, inputDim), viewOf(kernel, inputDim, units));
  if (config.useBias) addRowVector(z, arith.load(weights[1]), arith.round);
  // dz: [rows, units]
  const dz = activationBackward(config.activation, z.data, arith.load(outputGrad), units, arith.round, arith.alloc);
  // dW = xᵀ·dz: [inputDim, rows] x [rows, units] -> [inputDim, units]
  const dKernel = arith.alloc(inputDim * units);
  accumulateTransposedLeft(viewOf(dKernel, inputDim, units), viewOf(x, rows, inputDim), viewOf(dz, rows, units), arith);
  // dx = dz·Wᵀ: [rows, units] x [units, inputDim] -> [rows, inputDim]
  const dx = arith.alloc(rows * inputDim);
  accumulateTransposedRight(viewOf(dx, rows, inputDim), viewOf(dz, rows, units), viewOf(kernel, inputDim, units), arith);
  if (!config.useBias) return { inputs: [dx], weights: [dKernel] };
  // db: [units], the rows summed in order
  const dBias = arith.alloc(units);
  accumulateColumnSums(dBias, viewOf(dz, rows, units), arith.round);
  return { inputs: [dx], weights: [dKernel, dBias] };
}
