/**
 * Weights as both paths see them, in tfjs/Keras layout and gate order.
 * Matrices are row-major Float32Arrays holding the exact float32 values the layer uses.
 */
import type { Activation, CellKind, ModelSpec, RecurrentActivation } from './spec';

/** A row-major matrix: element (r, c) is data[r * cols + c]. */
export interface Matrix<Values extends Float32Array | Float64Array = Float32Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: Values;
}

/** Float32 as stored, or float64 where the gradient check's finite differences perturb a weight. */
export type AnyWeightValues = Float32Array | Float64Array;

/**
 * One recurrent layer. gates = 1 (simple), 4 (lstm: columns [i|f|c|o]), 3 (gru: columns [z|r|h]).
 *   kernel:          [inputDim, gates*units]
 *   recurrentKernel: [units, gates*units]
 *   bias:            [gates*units]            (GRU reset_after: the input bias, Keras's bias row 0)
 *   recurrentBias:   [gates*units]            GRU reset_after only (Keras's bias row 1)
 */
export interface RecurrentLayerWeights<Values extends AnyWeightValues = Float32Array> {
  readonly cell: CellKind;
  readonly units: number;
  readonly inputDim: number;
  /** Keras 3 name of an elementwise activation (src/hand/activations.ts ELEMENTWISE). */
  readonly activation: Activation | string;
  readonly recurrentActivation: RecurrentActivation | string;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  /** GRU only: true is Keras's default (reset gate applied after the recurrent matmul). */
  readonly resetAfter: boolean;
  readonly kernel: Matrix<Values>;
  readonly recurrentKernel: Matrix<Values>;
  readonly bias: Values;
  readonly recurrentBias?: Values;
}

/** The dense head: kernel [units, denseUnits], bias [denseUnits], linear activation. */
export interface DenseWeights {
  readonly kernel: Matrix;
  readonly bias: Float32Array;
}

/** A whole model: recurrent layers bottom to top, then the dense head. */
export interface RnnWeights {
  readonly recurrent: readonly RecurrentLayerWeights[];
  readonly dense: DenseWeights;
}

/** The arrays of one recurrent layer, as read from a model or a file. */
type RecurrentLayerArrays = Pick<RecurrentLayerWeights, 'kernel' | 'recurrentKernel' | 'bias' | 'recurrentBias'>;

/** Layer k's input width in `spec`'s stack: the features for the first layer, the units above it. */
export function layerInputDim(spec: ModelSpec, k: number): number {
  return k === 0 ? spec.inputDim : spec.units;
}

/**
 * Recurrent layer k (0 = bottom) of `spec`'s stack with the given arrays: the settings come from the spec,
 * and every layer but the last returns sequences (it feeds the next one).
 */
export function recurrentLayerOf(spec: ModelSpec, k: number, arrays: RecurrentLayerArrays): RecurrentLayerWeights {
  return {
    cell: spec.cell,
    units: spec.units,
    inputDim: layerInputDim(spec, k),
    activation: spec.activation,
    recurrentActivation: spec.recurrentActivation,
    returnSequences: k === spec.layers - 1 ? spec.returnSequences : true,
    goBackwards: spec.goBackwards,
    resetAfter: spec.cell === 'gru' && spec.resetAfter,
    ...arrays,
  };
}

/** Number of gate blocks in a cell's kernel columns. */
export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}
