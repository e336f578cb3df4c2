/**
 * The time loop of one recurrent layer: picks the cell, steps it over the sequence (backwards when asked),
 * and collects the outputs.
 */
import type { CellKind } from '../spec';
import type { AnyWeightValues, RecurrentLayerWeights } from '../weights';
import type { CellFactory } from './cell';
import { createGruCell } from './gru';
import type { FloatBuffer } from './linalg';
import { createLstmCell } from './lstm';
import type { Arithmetic } from './precision';
import { createSimpleRnnCell } from './simple-rnn';

const CELL_FACTORIES: Record<CellKind, CellFactory> = {
  simple: createSimpleRnnCell,
  lstm: createLstmCell,
  gru: createGruCell,
};

/** How a recurrent layer treats padding, as Keras's rnn() does. */
export interface MaskOptions {
  /** [batch, timeSteps] in input order: 1 = a real step, 0 = padding. */
  readonly mask?: Uint8Array;
  /** Keras's zero_output_for_mask: a masked step outputs zeros instead of repeating the previous output. */
  readonly zeroOutputForMask?: boolean;
  /** Keras's initial_state: [h] (or [h, c] for LSTM), each [batch, units]; zeros when absent. */
  readonly initialState?: readonly (Float64Array | Float32Array)[];
}

/**
 * Runs one recurrent layer over a whole batch of sequences.
 *
 * Parity note: with goBackwards the layer reads time steps T-1, ..., 0 and, when it returns sequences,
 * emits its outputs in that processing order (output step s is the state after reading step T-1-s);
 * Keras's and tfjs's rnn() do not re-reverse them.
 *
 * Parity note: with a mask (Keras's rnn(), keras/src/backend/tensorflow/rnn.py), a masked step keeps every
 * state (h, and c for LSTM) and outputs the previous step's output (zeros before the first real step), or
 * zeros with zeroOutputForMask; the last output is the last processed step's output either way.
 *
 * @param input [batch, timeSteps, inputDim], this precision's array type
 * @param returnSequences true: every step's output [batch, timeSteps, units]; false: the last [batch, units]
 * @param masking the padding mask, when the input carries one
 * @returns [batch, timeSteps, units] or [batch, units]
 * @throws ConfigError when the layer's activation names are unknown.
 */
export function runRecurrentLayer(
  layer: RecurrentLayerWeights<AnyWeightValues>,
  input: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  returnSequences: boolean,
  masking: MaskOptions = {},
): FloatBuffer {
  return runRecurrentLayerWithState(layer, input, batch, timeSteps, arith, returnSequences, masking).output;
}

/**
 * runRecurrentLayer, also giving the final state (Keras's return_state: [h] or [h, c], each [batch, units]).
 */
export function runRecurrentLayerWithState(
  layer: RecurrentLayerWeights<AnyWeightValues>,
  input: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  returnSequences: boolean,
  masking: MaskOptions = {},
): { output: FloatBuffer; state: readonly FloatBuffer[] } {
  const { units } = layer;
  const cell = CELL_FACTORIES[layer.cell](layer, input, batch, timeSteps, arith);
  masking.initialState?.forEach((values, k) => cell.state[k].set(arith.load(values)));
  const h = cell.h;
  const sequence = returnSequences ? arith.alloc(batch * timeSteps * units) : null;
  const { mask, zeroOutputForMask = false } = masking;
  const kept = mask ? cell.state.map(() => arith.alloc(batch * units)) : [];
  // With zeroOutputForMask the output differs from h at masked steps, so it is kept apart from the state.
  const out = mask && zeroOutputForMask ? arith.alloc(batch * units) : h;
  for (let s = 0; s < timeSteps; s++) {
    const t = layer.goBackwards ? timeSteps - 1 - s : s;
    if (mask) {
      // A padded sample keeps its state: copied before the step, put back after it.
      cell.state.forEach((buffer, k) => kept[k].set(buffer));
      cell.step(t);
      for (let b = 0; b < batch; b++) {
        const real = mask[b * timeSteps + t] !== 0;
        if (!real) cell.state.forEach((buffer, k) => buffer.set(kept[k].subarray(b * units, (b + 1) * units), b * units));
        if (out !== h) out.set(real ? h.subarray(b * units, (b + 1) * units) : new Float64Array(units), b * units);
      }
    } else {
      cell.step(t);
    }
    if (sequence === null) continue;
    for (let b = 0; b < batch; b++) {
      // [batch, units] row b -> [batch, timeSteps, units] at (b, s)
      const from = b * units;
      const to = (b * timeSteps + s) * units;
      for (let j = 0; j < units; j++) sequence[to + j] = out[from + j];
    }
  }
  return { output: sequence ?? out, state: cell.state };
}
