/** Dense on the hand path: y = act(x·W + b) on the last axis. Plain TypeScript. */
import { applyActivation } from '../../hand/activations';
import { addRowVector, viewOf } from '../../hand/linalg';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, WeightData } from '../kind';
import type { DenseConfig } from '.';

/**
 * @param weights kernel [inputDim, units][, bias [units]]
 * @param input [..., inputDim], read as [rows, inputDim]
 * @returns [..., units]
 */
export function denseForward(config: DenseConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): HandTensor {
  const inputDim = input.shape[input.shape.length - 1];
  const rows = input.data.length / inputDim;
  const { units } = config;
  const kernel = viewOf(arith.load(weights[0]), inputDim, units);
  const y = viewOf(arith.alloc(rows * units), rows, units);
  // Parity note: Keras's and tfjs's Dense compute the matmul first, then add the bias, then activate.
  // [rows, inputDim] x [inputDim, units] -> [rows, units]
  arith.matmulAccumulate(y, viewOf(arith.load(input.data), rows, inputDim), kernel);
  if (config.useBias) addRowVector(y, arith.load(weights[1]), arith.round);
  applyActivation(config.activation, y.data, units, arith.round);
  return { shape: [...input.shape.slice(0, -1), units], data: y.data };
}
