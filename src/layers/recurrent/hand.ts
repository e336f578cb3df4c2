/**
 * The hand path of a recurrent kind: its config and weights as the cells in src/manual/ take them, then
 * the shared time loop (src/manual/recurrent.ts). Plain TypeScript, no tfjs.
 */
import type { Arithmetic } from '../../manual/precision';
import { runRecurrentLayer } from '../../manual/recurrent';
import type { CellKind } from '../../spec';
import type { RecurrentLayerWeights } from '../../weights';
import type { HandTensor } from '../kind';
import type { RecurrentConfig } from './config';

export interface CellOptions {
  readonly cell: CellKind;
  readonly gates: number;
  readonly recurrentActivation: string;
  /** GRU only: bias [2, 3*units], row 0 input bias, row 1 recurrent bias. */
  readonly resetAfter: boolean;
}

/**
 * Runs one recurrent layer. Without a bias (use_bias=False) the cells add zeros, which is exact: x + 0 = x.
 * @param weights kernel [inputDim, gates*units], recurrent_kernel [units, gates*units][, bias]
 * @param input [batch, timeSteps, inputDim]
 * @returns [batch, timeSteps, units] or [batch, units]
 */
export function recurrentForward(config: RecurrentConfig, cell: CellOptions, weights: readonly Float32Array[], input: HandTensor, arith: Arithmetic): HandTensor {
  const [batch, timeSteps, inputDim] = input.shape;
  const { units } = config;
  const width = cell.gates * units;
  const [kernel, recurrentKernel, bias] = weights;
  const rows = cell.resetAfter ? 2 : 1;
  const biasData = bias ?? new Float32Array(rows * width);
  const layer: RecurrentLayerWeights = {
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
  const masking = input.mask ? { mask: input.mask, zeroOutputForMask: config.zeroOutputForMask } : {};
  const data = runRecurrentLayer(layer, arith.load(input.data), batch, timeSteps, arith, config.returnSequences, masking);
  return { shape: config.returnSequences ? [batch, timeSteps, units] : [batch, units], data };
}

/** Keras's RNN.compute_mask: the input's mask goes on with the sequence, and ends where the layer returns its last step. */
export function recurrentOutputMask(config: RecurrentConfig, inputs: readonly HandTensor[]): Uint8Array | undefined {
  return config.returnSequences ? inputs[0]?.mask : undefined;
}
