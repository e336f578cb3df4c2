/**
 * What the three cells share: the RecurrentCell contract the time loop drives, and the input projection
 * every cell computes for all time steps at once before the recurrence.
 */
import type { AnyWeightValues, RecurrentLayerWeights } from '../weights';
import { FloatBuffer, MatrixView, viewOf } from './linalg';
import type { Arithmetic } from './precision';

/**
 * One recurrent layer set up for a whole batch: buffers allocated once, stepped T times.
 * Its state starts at zero (Keras's and tfjs's default initial state).
 */
export interface RecurrentCell {
  /** h: [batch, units], the output after the latest step; updated in place by step(). */
  readonly h: FloatBuffer;
  /** Every state buffer, h first ([h] or, for LSTM, [h, c]), each [batch, units]: what a masked step keeps. */
  readonly state: readonly FloatBuffer[];
  /** Advances every sample by one step, reading the inputs of time step t (0-based, tfjs order). */
  step(t: number): void;
}

/**
 * Builds a cell for `layer` over `input` [batch, timeSteps, inputDim] (row-major, this precision's array type).
 * Shapes are trusted: forwardHand validated them.
 */
export type CellFactory = (
  layer: RecurrentLayerWeights<AnyWeightValues>,
  input: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
) => RecurrentCell;

/**
 * x·W for every sample and time step in one matrix product, before the recurrence (no bias added).
 *
 * @param input [batch, timeSteps, inputDim] read as [batch*timeSteps, inputDim]
 * @param kernel [inputDim, gates*units]
 * @returns [batch, timeSteps, gates*units] as a view of shape [batch*timeSteps, gates*units];
 *   row (b*timeSteps + t) holds sample b at time step t.
 */
export function projectInputs(input: FloatBuffer, rows: number, kernel: MatrixView, arith: Arithmetic): MatrixView {
  const projection = viewOf(arith.alloc(rows * kernel.cols), rows, kernel.cols);
  // [batch*timeSteps, inputDim] x [inputDim, gates*units] -> [batch*timeSteps, gates*units]
  arith.matmulAccumulate(projection, viewOf(input, rows, kernel.rows), kernel);
  return projection;
}
