/**
 * The backward pass of a recurrent kind: its config, weights and output gradients as the BPTT of
 * src/hand/bptt.ts takes them, and its gradients back in the kind's order. Plain TypeScript, no tfjs.
 */
import { backpropagateThroughTime } from '../../hand/bptt';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import type { RecurrentConfig } from './config';
import { layerWeights, type CellOptions } from './hand';

/**
 * dL/d(inputs) and dL/d(weights) of recurrentForwardAll.
 * @param weights kernel [inputDim, gates*units], recurrent_kernel [units, gates*units][, bias]
 * @param inputs the sequence [batch, timeSteps, inputDim] (with its mask, if one reaches it), then the
 *   initial states (h, and c for LSTM), if given
 * @param outputGrads dL/d output ([batch, timeSteps, units] or [batch, units]), then with return_state
 *   dL/d final states, [batch, units] each
 * @returns inputs: [batch, timeSteps, inputDim], then one [batch, units] per initial state given;
 *   weights: kernel, recurrent_kernel, and with use_bias the bias ([gates*units], or [2, 3*units] for
 *   GRU with reset_after: row 0 input bias, row 1 recurrent bias)
 */
export function recurrentBackward(
  config: RecurrentConfig,
  cell: CellOptions,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  outputGrads: readonly (Float64Array | Float32Array)[],
  arith: Arithmetic,
): LayerGradients {
  const [input, ...initial] = inputs;
  const [batch, timeSteps, inputDim] = input.shape;
  const [dOutput, ...dFinalState] = outputGrads;
  const masking = {
    ...(input.mask ? { mask: input.mask, zeroOutputForMask: config.zeroOutputForMask } : {}),
    ...(initial.length > 0 ? { initialState: initial.map((s) => s.data) } : {}),
  };
  const layer = layerWeights(config, cell, weights, inputDim);
  const gradients = backpropagateThroughTime(layer, input.data, batch, timeSteps, arith, masking, {
    output: dOutput,
    ...(config.returnState ? { finalState: dFinalState } : {}),
  });
  const bias = gradients.recurrentBias ? concatenated(gradients.bias, gradients.recurrentBias, arith) : gradients.bias;
  return {
    inputs: [gradients.input, ...initial.map((_, k) => gradients.initialState[k])],
    weights: [gradients.kernel, gradients.recurrentKernel, ...(config.useBias ? [bias] : [])],
  };
}

/** [a | b] as one buffer: GRU's two bias rows [2, 3*units]. */
function concatenated(a: Float64Array | Float32Array, b: Float64Array | Float32Array, arith: Arithmetic): Float64Array | Float32Array {
  const out = arith.alloc(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
