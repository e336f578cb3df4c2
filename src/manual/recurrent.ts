/**
 * The time loop of one recurrent layer: picks the cell, steps it over the sequence (backwards when asked),
 * and collects the outputs.
 */
import type { CellKind } from '../spec';
import type { RecurrentLayerWeights } from '../weights';
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

/**
 * Runs one recurrent layer over a whole batch of sequences.
 *
 * Parity note: with goBackwards the layer reads time steps T-1, ..., 0 and, when it returns sequences,
 * emits its outputs in that processing order (output step s is the state after reading step T-1-s);
 * Keras's and tfjs's rnn() do not re-reverse them.
 *
 * @param input [batch, timeSteps, inputDim], this precision's array type
 * @param returnSequences true: every step's output [batch, timeSteps, units]; false: the last [batch, units]
 * @returns [batch, timeSteps, units] or [batch, units]
 * @throws ConfigError when the layer's activation names are unknown.
 */
export function runRecurrentLayer(
  layer: RecurrentLayerWeights,
  input: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  returnSequences: boolean,
): FloatBuffer {
  const { units } = layer;
  const cell = CELL_FACTORIES[layer.cell](layer, input, batch, timeSteps, arith);
  const h = cell.h;
  const sequence = returnSequences ? arith.alloc(batch * timeSteps * units) : null;
  for (let s = 0; s < timeSteps; s++) {
    cell.step(layer.goBackwards ? timeSteps - 1 - s : s);
    if (sequence === null) continue;
    for (let b = 0; b < batch; b++) {
      // [batch, units] row b -> [batch, timeSteps, units] at (b, s)
      const from = b * units;
      const to = (b * timeSteps + s) * units;
      for (let j = 0; j < units; j++) sequence[to + j] = h[from + j];
    }
  }
  return sequence ?? h;
}
