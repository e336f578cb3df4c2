/**
 * A copy of the hand path's top level (forwardHand + runRecurrentLayer) with seams where a fault can go,
 * built from the shipped cells, dense head and validation, so that a fault is injected here and never into
 * src/hand/. With no hooks it computes exactly what forwardHand computes, bit for bit
 * (test/faults/faulty-forward.test.ts checks this on every default check).
 *
 * The seams, in the order the data meets them:
 *   weights   rewrite what the hand code reads (a layout, a bias, an activation name)
 *   input     rewrite the input it reads (a time shift, a batch/time layout mix-up)
 *   cell      wrap each layer's cell (a non-zero initial state, the LSTM state c)
 *   schedule  the time loop: which step each iteration reads and where its output goes
 *   output    rewrite the dense head's output
 */
import { denseForward } from '../hand/dense';
import type { CellFactory, RecurrentCell } from '../hand/cell';
import { createGruCell } from '../hand/gru';
import type { FloatBuffer } from '../hand/linalg';
import { createLstmCell } from '../hand/lstm';
import { arithmeticFor, type Arithmetic, type Precision } from '../hand/precision';
import { createSimpleRnnCell } from '../hand/simple-rnn';
import { validateForwardInputs } from '../hand/validate';
import type { CellKind } from '../spec';
import type { NdArray } from '../tensor';
import type { RecurrentLayerWeights, RnnWeights } from '../weights';

/** One iteration of the time loop: read input step `read`, then store h at output slot `slot`. */
export interface LoopStep {
  readonly read: number;
  readonly slot: number;
}

/** Where a fault enters; every hook is optional and the shipped behaviour is the default. */
export interface FaultHooks {
  readonly weights?: (weights: RnnWeights) => RnnWeights;
  /** input: [batch, timeSteps, inputDim] -> the same shape. */
  readonly input?: (input: NdArray) => NdArray;
  /** Called once per layer with the freshly built cell (state still zero); returns the cell the loop drives. */
  readonly cell?: (cell: RecurrentCell, layer: RecurrentLayerWeights) => RecurrentCell;
  /** The iterations of one layer's time loop; output slots it never writes stay zero. */
  readonly schedule?: (timeSteps: number, goBackwards: boolean) => readonly LoopStep[];
  /** output: [batch, denseUnits] or [batch, timeSteps, denseUnits] -> the same shape. */
  readonly output?: (output: NdArray) => NdArray;
}

const CELL_FACTORIES: Record<CellKind, CellFactory> = {
  simple: createSimpleRnnCell,
  lstm: createLstmCell,
  gru: createGruCell,
};

/**
 * The shipped loop: iteration s reads step s (T-1-s with goBackwards) and fills output slot s.
 * Parity note: as in src/hand/recurrent.ts, goBackwards outputs stay in processing order.
 */
export function shippedSchedule(timeSteps: number, goBackwards: boolean): LoopStep[] {
  return Array.from({ length: timeSteps }, (_, s) => ({ read: goBackwards ? timeSteps - 1 - s : s, slot: s }));
}

function runLayer(
  layer: RecurrentLayerWeights,
  input: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  returnSequences: boolean,
  hooks: FaultHooks,
): FloatBuffer {
  const { units } = layer;
  const built = CELL_FACTORIES[layer.cell](layer, input, batch, timeSteps, arith);
  const cell = hooks.cell ? hooks.cell(built, layer) : built;
  const h = cell.h;
  const sequence = returnSequences ? arith.alloc(batch * timeSteps * units) : null;
  const schedule = (hooks.schedule ?? shippedSchedule)(timeSteps, layer.goBackwards);
  for (const { read, slot } of schedule) {
    cell.step(read);
    if (sequence === null) continue;
    for (let b = 0; b < batch; b++) {
      // [batch, units] row b -> [batch, timeSteps, units] at (b, slot)
      const from = b * units;
      const to = (b * timeSteps + slot) * units;
      for (let j = 0; j < units; j++) sequence[to + j] = h[from + j];
    }
  }
  return sequence ?? h;
}

/**
 * forwardHand with fault hooks: recurrent layers bottom to top, then the dense head.
 *
 * @param weights as forwardHand takes them (before hooks.weights rewrites them)
 * @param input [batch, timeSteps, inputDim]
 * @returns [batch, denseUnits] or [batch, timeSteps, denseUnits], Float64Array data
 * @throws ShapeError, ConfigError as forwardHand does, for the weights and input after the hooks ran.
 */
export function forwardWithFault(weights: RnnWeights, input: NdArray, hooks: FaultHooks = {}, precision: Precision = 'float64'): NdArray {
  const arith = arithmeticFor(precision);
  const w = hooks.weights ? hooks.weights(weights) : weights;
  const x0 = hooks.input ? hooks.input(input) : input;
  const { batch, timeSteps } = validateForwardInputs(w, x0);

  const layers = w.recurrent;
  const last = layers.length - 1;
  let x = arith.load(x0.data);
  layers.forEach((layer, k) => {
    // [batch, timeSteps, inputDim] -> [batch, timeSteps, units], or [batch, units] for the last layer
    x = runLayer(layer, x, batch, timeSteps, arith, k < last || layer.returnSequences, hooks);
  });

  const returnSequences = layers[last].returnSequences;
  const denseUnits = w.dense.kernel.cols;
  // [rows, units] -> [rows, denseUnits], rows = batch*timeSteps (every step) or batch (last step)
  const y = denseForward(w.dense, x, returnSequences ? batch * timeSteps : batch, arith);
  const output: NdArray = {
    shape: returnSequences ? [batch, timeSteps, denseUnits] : [batch, denseUnits],
    data: y instanceof Float64Array ? y : Float64Array.from(y),
  };
  return hooks.output ? hooks.output(output) : output;
}
