/**
 * The hand path of a recurrent kind: its config and weights as the cells in src/hand/ take them, then
 * the shared time loop (src/hand/recurrent.ts). Plain TypeScript, no tfjs.
 */
import type { Shape } from '../../graph/model';
import type { Arithmetic } from '../../hand/precision';
import { runRecurrentLayerWithState } from '../../hand/recurrent';
import type { CellKind } from '../../spec';
import type { RecurrentLayerWeights } from '../../weights';
import type { HandTensor, WeightData } from '../kind';
import type { RecurrentConfig } from './config';

export interface CellOptions {
  readonly cell: CellKind;
  readonly gates: number;
  readonly recurrentActivation: string;
  /** GRU only: bias [2, 3*units], row 0 input bias, row 1 recurrent bias. */
  readonly resetAfter: boolean;
}

/** The layer as src/hand/'s cells take it. Without a bias (use_bias=False) they add zeros, which is exact. */
export function layerWeights(config: RecurrentConfig, cell: CellOptions, weights: readonly WeightData[], inputDim: number): RecurrentLayerWeights<WeightData> {
  const { units } = config;
  const width = cell.gates * units;
  const [kernel, recurrentKernel, bias] = weights;
  const biasData = bias ?? new Float32Array((cell.resetAfter ? 2 : 1) * width);
  return {
    cell: cell.cell,
    units,
    inputDim,
    activation: config.activation,
    recurrentActivation: cell.recurrentActivation,
    returnSequences: config.returnSequences,
    goBackwards: config.goBackwards,
    resetAfter: cell.resetAfter,
    kernel: { rows: inputDim, cols: width, data: kernel },
    recurrentKernel: { rows: units, cols: width, data: recurrentKernel },
    // Parity note: Keras 3's GRU (reset_after=True) unstacks its bias (2, 3*units) into input and recurrent rows.
    ...(cell.resetAfter ? { bias: biasData.subarray(0, width), recurrentBias: biasData.subarray(width) } : { bias: biasData }),
  };
}

/**
 * The output, then (with return_state) the final states h (and c for LSTM), each [batch, units].
 * @param weights kernel [inputDim, gates*units], recurrent_kernel [units, gates*units][, bias]
 * @param inputs the sequence [batch, timeSteps, inputDim] (with its mask, if one reaches it), then the
 *   initial states (Keras's initial_state: h, and c for LSTM), if given
 * @returns [batch, timeSteps, units] or [batch, units], then the states
 */
export function recurrentForwardAll(
  config: RecurrentConfig,
  cell: CellOptions,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  arith: Arithmetic,
): HandTensor[] {
  const [input, ...initial] = inputs;
  const [batch, timeSteps, inputDim] = input.shape;
  const { units } = config;
  const masking = {
    ...(input.mask ? { mask: input.mask, zeroOutputForMask: config.zeroOutputForMask } : {}),
    ...(initial.length > 0 ? { initialState: initial.map((s) => s.data) } : {}),
  };
  const layer = layerWeights(config, cell, weights, inputDim);
  const { output, state } = runRecurrentLayerWithState(layer, arith.load(input.data), batch, timeSteps, arith, config.returnSequences, masking);
  const first = { shape: config.returnSequences ? [batch, timeSteps, units] : [batch, units], data: output };
  return config.returnState ? [first, ...state.map((s) => ({ shape: [batch, units], data: s.slice() }))] : [first];
}

/** The first output only (forward's contract). */
export function recurrentForward(
  config: RecurrentConfig,
  cell: CellOptions,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  arith: Arithmetic,
): HandTensor {
  return recurrentForwardAll(config, cell, weights, inputs, arith)[0];
}

/** With return_state: the final states' shapes, [batch, units] each (h, then c for LSTM). */
export function recurrentStateShapes(config: RecurrentConfig, inputs: readonly Shape[], stateCount: number): Shape[] {
  return config.returnState ? Array.from({ length: stateCount }, () => [inputs[0][0], config.units]) : [];
}

/** Keras's RNN.compute_mask: the input's mask goes on with the sequence, and ends where the layer returns its last step. */
export function recurrentOutputMask(config: RecurrentConfig, inputs: readonly HandTensor[]): Uint8Array | undefined {
  return config.returnSequences ? inputs[0]?.mask : undefined;
}
