/**
 * The contract backpropagation through time (./bptt.ts) drives a cell by: one step forward from given
 * states, keeping what that step's backward needs, and the step's backward. The input projection x·W is
 * shared by every step and computed (and differentiated) once by the time loop; a cell sees its time step's
 * rows of it. Plain TypeScript, no tfjs.
 */
import type { CellKind } from '../spec';
import type { AnyWeightValues, RecurrentLayerWeights } from '../weights';
import type { ScalarFunction } from './activations';
import { elementwiseDerivative } from './activation-derivatives';
import type { FloatBuffer, MatrixView } from './linalg';
import type { Arithmetic } from './precision';

/** What one forward step leaves for its backward; each cell extends it with its gates. */
export interface StepRecord {
  /** The states after the step, h first ([h] or [h, c]), each [batch, units]: fresh buffers, never written again. */
  readonly next: readonly FloatBuffer[];
}

/**
 * One recurrent layer, set up for a whole batch, as BPTT steps it.
 * Both methods work on every sample of the batch; masking is the time loop's job.
 */
export interface DifferentiableCell<Step extends StepRecord = StepRecord> {
  /** 1 (h) or 2 (h, c for LSTM). */
  readonly stateCount: number;
  /**
   * One step over time step t (0-based, input order).
   * @param previous the states before it, [batch, units] each, h first; read only
   */
  forward(t: number, previous: readonly FloatBuffer[]): Step;
  /**
   * The step's backward.
   * @param dNext dL/d(the states after the step), [batch, units] each; read only
   * @param dPrevious dL/d(the states before it), [batch, units] each: this step's part is added in
   * @param dProjection dL/d(this time step's rows of x·W (+ input bias)), [batch, gates*units]: written
   *   (every entry); the time loop turns it into the kernel's, the input's and the bias's gradients
   */
  backward(step: Step, dNext: readonly FloatBuffer[], dPrevious: readonly FloatBuffer[], dProjection: MatrixView): void;
  /** dL/d recurrentKernel [units, gates*units], added to by every backward step. */
  readonly recurrentKernelGradient: FloatBuffer;
  /** GRU with resetAfter: dL/d recurrentBias [3*units], added to by every backward step. */
  readonly recurrentBiasGradient?: FloatBuffer;
}

/**
 * The fault seam of a cell's backward (the gradient fault catalogue, apps/faults/gradients/, injects its bugs
 * here): each hook alters one step of the real code. Without hooks the code path is the shipped one.
 */
export interface CellBackwardFaults {
  /**
   * The derivative the cell evaluates for its activation ('activation') or its gates' ('recurrentActivation'),
   * given the real one; called once, when the cell is set up.
   */
  readonly derivative?: (role: 'activation' | 'recurrentActivation', name: string, real: ScalarFunction) => ScalarFunction;
  /**
   * A step's gate-input gradients dL/d(x·W + b), [batch, gates*units] in kernel column order, edited in place
   * once the step has written them and before it propagates them to U, h_{t-1} and (through the time loop) W,
   * x and b. GRU: called once the z and r blocks are written; its h block has already reached U and h_{t-1}.
   */
  readonly gateGradients?: (cell: CellKind, dProjection: MatrixView, units: number) => void;
}

/**
 * The derivative of the elementwise activation `name` as a cell uses it: the real one, or what faults.derivative
 * makes of it.
 * @throws ConfigError for a name without a derivative.
 */
export function cellDerivative(role: 'activation' | 'recurrentActivation', name: string, faults: CellBackwardFaults | undefined): ScalarFunction {
  const real = elementwiseDerivative(name);
  return faults?.derivative ? faults.derivative(role, name, real) : real;
}

/**
 * Sets up a cell over the projection of a whole sequence.
 * @param projection x·W, [batch, timeSteps, gates*units] (row b*timeSteps + t: sample b at step t), no bias
 *   yet; the cell owns it (it may add its input bias in place, as its forward does)
 * @param faults fault hooks (tests only); none in the shipped path
 * @throws ConfigError when an activation name is unknown or has no derivative.
 */
export type DifferentiableCellFactory = (
  layer: RecurrentLayerWeights<AnyWeightValues>,
  projection: FloatBuffer,
  batch: number,
  timeSteps: number,
  arith: Arithmetic,
  faults?: CellBackwardFaults,
) => DifferentiableCell;

/**
 * Time step t's rows of a [batch, timeSteps, cols] buffer as a [batch, cols] view (no copy): row b is at
 * (b*timeSteps + t)*cols, so the stride is timeSteps*cols.
 */
export function timeStepRows(data: FloatBuffer, batch: number, timeSteps: number, cols: number, t: number): MatrixView {
  return { data, offset: t * cols, rows: batch, cols, stride: timeSteps * cols };
}

/** Index of element (r, c) of a view in its buffer. */
export function at(m: MatrixView, r: number, c: number): number {
  return m.offset + r * m.stride + c;
}
