/** Conv1D on the hand path: the windows of the (zero-padded) input as rows, times the kernel. Plain TypeScript. */
import { applyActivation } from '../../hand/activations';
import { addRowVector, viewOf, type FloatBuffer, type MatrixView } from '../../hand/linalg';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, WeightData } from '../kind';
import { conv1dGeometry, conv1dPatches, type Conv1dGeometry } from './patches';
import type { Conv1dConfig } from '.';

/** What the convolution computes before its activation, with what the backward pass reuses. */
interface Conv1dPreActivation {
  readonly geometry: Conv1dGeometry;
  /** [batch*outSteps, kernelSize*inputDim] (see ./patches.ts). */
  readonly patches: FloatBuffer;
  /** patches x kernel + bias: [batch*outSteps, filters]. */
  readonly z: MatrixView;
}

/**
 * @param weights kernel [kernelSize, inputDim, filters][, bias [filters]]
 * @param input [batch, timeSteps, inputDim]
 */
export function conv1dPreActivation(config: Conv1dConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): Conv1dPreActivation {
  const geometry = conv1dGeometry(config, input.shape);
  const { rows, width } = geometry;
  const patches = conv1dPatches(config, geometry, input.data, arith);
  const z = viewOf(arith.alloc(rows * config.filters), rows, config.filters);
  // Parity note: Keras's Conv1D convolves, then adds the bias, then activates, as tfjs's does.
  // [batch*outSteps, kernelSize*inputDim] x [kernelSize*inputDim, filters] -> [batch*outSteps, filters]
  arith.matmulAccumulate(z, viewOf(patches, rows, width), viewOf(arith.load(weights[0]), width, config.filters));
  if (config.useBias) addRowVector(z, arith.load(weights[1]), arith.round);
  return { geometry, patches, z };
}

/**
 * @param weights kernel [kernelSize, inputDim, filters][, bias [filters]]
 * @param input [batch, timeSteps, inputDim]
 * @returns [batch, outSteps, filters]
 */
export function conv1dForward(config: Conv1dConfig, weights: readonly WeightData[], input: HandTensor, arith: Arithmetic): HandTensor {
  const { geometry, z } = conv1dPreActivation(config, weights, input, arith);
  applyActivation(config.activation, z.data, config.filters, arith.round);
  return { shape: [geometry.batch, geometry.outSteps, config.filters], data: z.data };
}
