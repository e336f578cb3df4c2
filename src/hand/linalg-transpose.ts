/**
 * The products backpropagation needs besides the forward's a·b: a^T·b (weight gradients) and a·b^T (gradients
 * flowing back through a weight). Each transposes one operand into a copy and hands it to the precision's one
 * matmul kernel, so float32 mode rounds every product and partial sum as the forward's matmuls do.
 * Plain TypeScript, no tfjs.
 */
import { FloatBuffer, MatrixView, viewOf } from './linalg';
import type { Arithmetic } from './precision';

/**
 * A transposed copy of `m`, as a whole matrix of this precision's array type.
 * @param m [rows, cols] (any view: a gate slice or a time step's rows)
 * @returns [cols, rows]
 */
export function transposed(m: MatrixView, arith: Arithmetic): MatrixView {
  const out = arith.alloc(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    const row = m.offset + r * m.stride;
    for (let c = 0; c < m.cols; c++) out[c * m.rows + r] = m.data[row + c];
  }
  return viewOf(out, m.cols, m.rows);
}

/**
 * out += a^T · b: a weight's gradient from its left operand and the gradient of the product.
 * @param out [k, n]
 * @param a [m, k]
 * @param b [m, n]
 */
export function accumulateTransposedLeft(out: MatrixView, a: MatrixView, b: MatrixView, arith: Arithmetic): void {
  arith.matmulAccumulate(out, transposed(a, arith), b);
}

/**
 * out += a · b^T: the gradient of a product's left operand from the product's gradient and the weight.
 * @param out [m, k]
 * @param a [m, n]
 * @param b [k, n]
 */
export function accumulateTransposedRight(out: MatrixView, a: MatrixView, b: MatrixView, arith: Arithmetic): void {
  arith.matmulAccumulate(out, a, transposed(b, arith));
}

/**
 * Rows first..first+count-1 of `m`, as a view (no copy).
 * E.g. rows 2*units..3*units of U^T [3*units, units] are Uh^T, GRU's candidate block.
 */
export function rowBlock(m: MatrixView, first: number, count: number): MatrixView {
  return { data: m.data, offset: m.offset + first * m.stride, rows: count, cols: m.cols, stride: m.stride };
}

/**
 * out[c] = round(out[c] + sum over rows r of m[r, c]): a broadcast bias's gradient, summed over the rows it
 * was added to, one row at a time.
 * @param out [cols]
 * @param m [rows, cols]
 */
export function accumulateColumnSums(out: FloatBuffer, m: MatrixView, round: (x: number) => number): void {
  for (let r = 0; r < m.rows; r++) {
    const row = m.offset + r * m.stride;
    for (let c = 0; c < m.cols; c++) out[c] = round(out[c] + m.data[row + c]);
  }
}
