/** A row-major matrix transpose for Conv1D's backward pass (MatrixView strides rows only). Plain TypeScript. */
import type { FloatBuffer } from '../../manual/linalg';
import type { Arithmetic } from '../../manual/precision';

/**
 * @param data row-major [rows, cols]
 * @returns row-major [cols, rows] (values copied exactly)
 */
export function transposed(data: ArrayLike<number>, rows: number, cols: number, arith: Arithmetic): FloatBuffer {
  const out = arith.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}
