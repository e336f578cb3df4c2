/**
 * Backpropagation through time for one recurrent layer: the time loop of ./recurrent.ts run forward again
 * with every step's gates kept, then backwards from the last step to the first. Plain TypeScript, no tfjs.
 *
 * With a mask m (1 = real step), as Keras's rnn() computes it, step s (reading time step t) is
 *   state_s  = m_t * cell(state_{s-1}, x_t) + (1 - m_t) * state_{s-1}     (h, and c for LSTM)
 *   output_s = h_s, or m_t * h_s with zeroOutputForMask
 * so a padded step passes its states' gradients straight through and gives the cell nothing.
 *
 * The input projection x·W (and the input bias) is shared by every step: the cells write dL/d(x·W) of each
 * step's rows, and three products at the end make dL/dx, dL/dW and dL/db of it.
 */
import type { CellKind } from '../spec';
import type { AnyWeightValues, RecurrentLayerWeights } from '../weights';
import { gateCount } from '../weights';
import { projectInputs } from './cell';
import { CellBackwardFaults, DifferentiableCellFactory, StepRecord, timeStepRows } from './cell-backward';
import { createGruBackwardCell } from './gru-backward';
import { FloatBuffer, viewOf } from './linalg';
import { accumulateColumnSums, accumulateTransposedLeft, transposed } from './linalg-transpose';
import { createLstmBackwardCell } from './lstm-backward';
import type { Arithmetic } from './precision';
import type { MaskOptions } from './recurrent';
import { createSimpleRnnBackwardCell } from './simple-rnn-backward';

const BACKWARD_CELLS: Record<CellKind, DifferentiableCellFactory> = {
  simple: createSimpleRnnBackwardCell,
  lstm: createLstmBackwardCell,
  gru: createGruBackwardCell,
};

/** dL/d(the layer's outputs), as runRecurrentLayerWithState gives them. */
interface RecurrentOutputGradients {
  /** dL/d output: [batch, timeSteps, units] (in processing order) when the layer returns sequences, else [batch, units] */
  readonly output: Float64Array | Float32Array;
  /** dL/d final states (Keras's return_state), [batch, units] each, h first; zeros where absent */
  readonly finalState?: readonly (Float64Array | Float32Array)[];
}

/** dL/d(the layer's inputs and weights), in this precision's array type. */
interface RecurrentGradients {
  /** [batch, timeSteps, inputDim] */
  readonly input: FloatBuffer;
  /** dL/d initial state, [batch, units] each, h first (also when the layer started from zeros) */
  readonly initialState: readonly FloatBuffer[];
  /** [inputDim, gates*units] */
  readonly kernel: FloatBuffer;
  /** [units, gates*units] */
  readonly recurrentKernel: FloatBuffer;
  /** [gates*units]: GRU with resetAfter, its input bias (row 0 of Keras's bias) */
  readonly bias: FloatBuffer;
  /** GRU with resetAfter: [gates*units], row 1 of Keras's bias */
  readonly recurrentBias?: FloatBuffer;
}

/**
 * The fault seam of BPTT (apps/faults/gradients/ injects its bugs here): the cells' hooks, and the time loop's.
 * Each hook alters one step of the real code; without hooks the code path is the shipped one.
 */
export interface BpttFaults extends CellBackwardFaults {
  /** The time step the backward loop reads at processing step s, given the real one (the forward's, timeStepAt(s)). */
  readonly backwardTimeStep?: (s: number, real: number, timeSteps: number) => number;
  /** The state gradients processing step s passes back to step s - 1 ([batch, units] each, h first), given the real ones. */
  readonly previousStateGradients?: (s: number, timeSteps: number, real: readonly FloatBuffer[]) => readonly FloatBuffer[];
}

/** The faults withBpttFaults has put in scope (none outside one). */
let faultsInScope: BpttFaults | undefined;

/**
 * Runs `run` with `faults` as the default of every backpropagateThroughTime it makes synchronously: how a
 * graph-level caller (backwardGraph) reaches the recurrent layers, whose backward (LayerKind.backward) has no
 * parameter for faults. The previous scope is back when `run` returns or throws. Tests only.
 */
export function withBpttFaults<T>(faults: BpttFaults | undefined, run: () => T): T {
  const outer = faultsInScope;
  faultsInScope = faults;
  try {
    return run();
  } finally {
    faultsInScope = outer;
  }
}

/**
 * The gradients of one recurrent layer (its forward as runRecurrentLayerWithState computes it).
 * @param input [batch, timeSteps, inputDim]
 * @param masking the padding mask, zeroOutputForMask and the initial states, as the forward took them
 * @param faults fault hooks (tests only): by default those of the enclosing withBpttFaults, none outside one
 * @throws ConfigError when an activation name is unknown or has no derivative.
 */
export function backpropagateThroughTime(
  layer: RecurrentLayerWeights<AnyWeightValues>,
  input: Float64Array | Float32Array,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  masking: MaskOptions,
  outputGradients: RecurrentOutputGradients,
  faults: BpttFaults | undefined = faultsInScope,
): RecurrentGradients {
  const { units, inputDim } = layer;
  const width = gateCount(layer.cell) * units;
  const x = viewOf(arith.load(input), batch * timeSteps, inputDim);
  const kernel = viewOf(arith.load(layer.kernel.data), inputDim, width);
  // [batch*timeSteps, inputDim] x [inputDim, gates*units] -> [batch*timeSteps, gates*units]
  const projection = projectInputs(x.data, batch * timeSteps, kernel, arith);
  const cell = BACKWARD_CELLS[layer.cell](layer, projection.data, batch, timeSteps, arith, faults);
  const timeStepAt = (s: number): number => (layer.goBackwards ? timeSteps - 1 - s : s);
  const { mask } = masking;

  // Forward, keeping every step.
  let states: readonly FloatBuffer[] = Array.from({ length: cell.stateCount }, (_, k) => {
    const initial = masking.initialState?.[k];
    return initial ? arith.load(initial).slice() : arith.alloc(batch * units);
  });
  const steps: StepRecord[] = [];
  for (let s = 0; s < timeSteps; s++) {
    const step = cell.forward(timeStepAt(s), states);
    steps.push(step);
    states = mask ? keepPaddedRows(step.next, states, mask, timeStepAt(s), timeSteps, units) : step.next;
  }

  // Backward, last step first.
  const dOutput = arith.load(outputGradients.output);
  let dStates: readonly FloatBuffer[] = states.map((_, k) => {
    const given = outputGradients.finalState?.[k];
    return given ? arith.load(given).slice() : arith.alloc(batch * units);
  });
  const dProjection = arith.alloc(batch * timeSteps * width);
  for (let s = timeSteps - 1; s >= 0; s--) {
    const t = faults?.backwardTimeStep ? faults.backwardTimeStep(s, timeStepAt(s), timeSteps) : timeStepAt(s);
    addOutputGradient(dStates[0], dOutput, s, t, { batch, timeSteps, units, returnSequences: layer.returnSequences, masking, arith });
    // The cell gets the real rows' gradients; the padded rows' go straight to the previous states.
    const dCell = mask ? dStates.map((d) => rowsWhere(d, mask, t, timeSteps, units, true)) : dStates;
    const dPrevious = mask ? dStates.map((d) => rowsWhere(d, mask, t, timeSteps, units, false)) : dStates.map(() => arith.alloc(batch * units));
    cell.backward(steps[s], dCell, dPrevious, timeStepRows(dProjection, batch, timeSteps, width, t));
    dStates = faults?.previousStateGradients ? faults.previousStateGradients(s, timeSteps, dPrevious) : dPrevious;
  }

  const dProjectionView = viewOf(dProjection, batch * timeSteps, width);
  const dInput = arith.alloc(batch * timeSteps * inputDim);
  // [batch*timeSteps, gates*units] x [gates*units, inputDim] -> [batch*timeSteps, inputDim]
  arith.matmulAccumulate(viewOf(dInput, batch * timeSteps, inputDim), dProjectionView, transposed(kernel, arith));
  const dKernel = arith.alloc(inputDim * width);
  // [inputDim, batch*timeSteps] x [batch*timeSteps, gates*units] -> [inputDim, gates*units]
  accumulateTransposedLeft(viewOf(dKernel, inputDim, width), x, dProjectionView, arith);
  const dBias = arith.alloc(width);
  accumulateColumnSums(dBias, dProjectionView, arith.round);
  return {
    input: dInput,
    initialState: dStates,
    kernel: dKernel,
    recurrentKernel: cell.recurrentKernelGradient,
    bias: dBias,
    ...(cell.recurrentBiasGradient ? { recurrentBias: cell.recurrentBiasGradient } : {}),
  };
}

/** The states after a masked step: the cell's for real samples, the previous ones for padded samples (new buffers). */
function keepPaddedRows(
  next: readonly FloatBuffer[],
  previous: readonly FloatBuffer[],
  mask: Uint8Array,
  t: number,
  timeSteps: number,
  units: number,
): FloatBuffer[] {
  return next.map((buffer, k) => {
    const merged = buffer.slice();
    const batch = buffer.length / units;
    for (let b = 0; b < batch; b++) {
      if (mask[b * timeSteps + t] === 0) merged.set(previous[k].subarray(b * units, (b + 1) * units), b * units);
    }
    return merged;
  });
}

/** A copy of d [batch, units] with only the rows of samples that are real (or, with real = false, padded) at time step t. */
function rowsWhere(d: FloatBuffer, mask: Uint8Array, t: number, timeSteps: number, units: number, real: boolean): FloatBuffer {
  const out = d.slice();
  const batch = d.length / units;
  for (let b = 0; b < batch; b++) {
    if ((mask[b * timeSteps + t] !== 0) !== real) out.fill(0, b * units, (b + 1) * units);
  }
  return out;
}

interface OutputLayout {
  readonly batch: number;
  readonly timeSteps: number;
  readonly units: number;
  readonly returnSequences: boolean;
  readonly masking: MaskOptions;
  readonly arith: Arithmetic;
}

/**
 * dh_s += dL/d output_s: row (b, s) of a returned sequence, or the last step's [batch, units]; nothing at a
 * padded step with zeroOutputForMask (its output is a constant zero).
 */
function addOutputGradient(dh: FloatBuffer, dOutput: FloatBuffer, s: number, t: number, layout: OutputLayout): void {
  const { batch, timeSteps, units, returnSequences, masking, arith } = layout;
  if (!returnSequences && s !== timeSteps - 1) return;
  for (let b = 0; b < batch; b++) {
    if (masking.mask && masking.zeroOutputForMask && masking.mask[b * timeSteps + t] === 0) continue;
    // [batch, timeSteps, units] at (b, s), or [batch, units] at b
    const from = returnSequences ? (b * timeSteps + s) * units : b * units;
    for (let j = 0; j < units; j++) dh[b * units + j] = arith.round(dh[b * units + j] + dOutput[from + j]);
  }
}
