/**
 * The dense head, linear activation: y = h·Wo + bo, applied to each row of h.
 */
import type { DenseWeights } from '../weights';
import { addRowVector, FloatBuffer, viewOf } from './linalg';
import type { Arithmetic } from './precision';

/**
 * Applies the dense head to `rows` hidden vectors at once.
 *
 * @param dense kernel [units, denseUnits], bias [denseUnits]
 * @param h [rows, units]: rows = batch (last state) or batch*timeSteps (every step, returnSequences)
 * @returns y: [rows, denseUnits]
 */
export function denseForward(dense: DenseWeights, h: FloatBuffer, rows: number, arith: Arithmetic): FloatBuffer {
  const { rows: units, cols: denseUnits } = dense.kernel;
  const kernel = viewOf(arith.load(dense.kernel.data), units, denseUnits);
  const y = viewOf(arith.alloc(rows * denseUnits), rows, denseUnits);
  // Parity note: Keras's and tfjs's Dense compute matmul first, then add the bias.
  // [rows, units] x [units, denseUnits] -> [rows, denseUnits]
  arith.matmulAccumulate(y, viewOf(h, rows, units), kernel);
  addRowVector(y, arith.load(dense.bias), arith.round);
  return y.data;
}
