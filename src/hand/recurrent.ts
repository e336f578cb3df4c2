/**
 * The time loop of one recurrent layer: picks the cell, steps it over the sequence (backwards when asked),
 * and collects the outputs.
 */
import type { CellKind } from '../spec';
import type { AnyWeightValues, RecurrentLayerWeights } from '../weights';
import type { CellFactory, RecurrentCell } from './cell';
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

/** One iteration of the time loop: read input step `read`, then store the output at output step `slot`. */
interface LoopStep {
  readonly read: number;
  readonly slot: number;
}

/**
 * The shipped loop: iteration s reads step s (T-1-s with goBackwards) and fills output step s.
 * Parity note: goBackwards outputs stay in processing order (see runRecurrentLayer).
 */
export function shippedSchedule(timeSteps: number, goBackwards: boolean): LoopStep[] {
  return Array.from({ length: timeSteps }, (_, s) => ({ read: goBackwards ? timeSteps - 1 - s : s, slot: s }));
}

/**
 * The fault seam of the time loop (the fault suite, apps/faults/, injects its bugs here, never into a copy of
 * this code): each hook alters one step of the real code. Without hooks the code path is the shipped one.
 */
export interface RecurrentFaults {
  /** Called once per layer with the freshly built cell (state still zero); returns the cell the loop drives. */
  readonly cell?: (cell: RecurrentCell, layer: RecurrentLayerWeights<AnyWeightValues>) => RecurrentCell;
  /** The iterations of the time loop (shippedSchedule by default); output steps it never writes stay zero. */
  readonly schedule?: (timeSteps: number, goBackwards: boolean) => readonly LoopStep[];
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
  faults?: RecurrentFaults,
): FloatBuffer {
  return runRecurrentLayerWithState(layer, input, batch, timeSteps, arith, returnSequences, masking, faults).output;
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
  faults?: RecurrentFaults,
): { output: FloatBuffer; state: readonly FloatBuffer[] } {
  const { units } = layer;
  const built = CELL_FACTORIES[layer.cell](layer, input, batch, timeSteps, arith);
  const cell = faults?.cell ? faults.cell(built, layer) : built;
  masking.initialState?.forEach((values, k) => cell.state[k].set(arith.load(values)));
  const h = cell.h;
  const sequence = returnSequences ? arith.alloc(batch * timeSteps * units) : null;
  const { mask, zeroOutputForMask = false } = masking;
  const kept = mask ? cell.state.map(() => arith.alloc(batch * units)) : [];
  // With zeroOutputForMask the output differs from h at masked steps, so it is kept apart from the state.
  const out = mask && zeroOutputForMask ? arith.alloc(batch * units) : h;
  const schedule = faults?.schedule ? faults.schedule(timeSteps, layer.goBackwards) : null;
  const iterations = schedule ? schedule.length : timeSteps;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const t = schedule ? schedule[iteration].read : layer.goBackwards ? timeSteps - 1 - iteration : iteration;
    const s = schedule ? schedule[iteration].slot : iteration;
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
