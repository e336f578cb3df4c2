/**
 * Row-major matrix helpers for the hand path: views, gate slices, and the one matmul kernel in two precisions.
 *
 * Everything works on plain typed arrays through a MatrixView (a block of a row-major buffer), so a gate's
 * columns or a time step's rows are read in place, never copied. The math trusts its inputs: shapes are
 * checked once, at the edge (validate.ts).
 *
 * The two matmul kernels here are the readable reference. wasm/ holds WebAssembly SIMD twins of them that
 * compute every output element with the same operations in the same order (bit-identical results,
 * test/hand/wasm-kernel.test.ts compares bytes); a change to the order of operations here must be made
 * there too. precision.ts picks one ('ts' or 'wasm').
 */

/** A buffer of float values: Float64Array in float64 mode, Float32Array (rounds on store) in float32 mode. */
export type FloatBuffer = Float64Array | Float32Array;

/**
 * A rows x cols block of a row-major buffer: element (r, c) is data[offset + r * stride + c].
 * A whole matrix has offset 0 and stride = cols; a gate slice keeps the parent's stride.
 */
export interface MatrixView {
  readonly data: FloatBuffer;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly stride: number;
}

/** out[rows, cols] += a[rows, inner] x b[inner, cols], each view's shape trusted. */
export type MatmulKernel = (out: MatrixView, a: MatrixView, b: MatrixView) => void;

/** A whole row-major matrix `data` of shape [rows, cols] as a view. */
export function viewOf(data: FloatBuffer, rows: number, cols: number): MatrixView {
  return { data, offset: 0, rows, cols, stride: cols };
}

/**
 * Column offset of gate `gate` in a row laid out as [gate 0 | gate 1 | ...], each `units` wide.
 * The only place gate offsets are computed: e.g. LSTM columns [i|f|c|o], GRU [z|r|h].
 */
export function gateOffset(gate: number, units: number): number {
  return gate * units;
}

/**
 * The columns of `gates` consecutive gate blocks starting at `gate`, as a view with the parent's stride.
 * E.g. gateSlice(recurrentKernel [units, 3*units], GRU_GATE.h, units) -> [units, units] (GRU's Uh).
 */
export function gateSlice(matrix: MatrixView, gate: number, units: number, gates = 1): MatrixView {
  return {
    data: matrix.data,
    offset: matrix.offset + gateOffset(gate, units),
    rows: matrix.rows,
    cols: gates * units,
    stride: matrix.stride,
  };
}

/**
 * out += a x b in float64, i-k-j order so the innermost loop walks rows of b and out contiguously.
 * Register-blocked 4 x 4: each pass reads four rows of a at four k's and four rows of b, and updates four
 * rows of out, so every load of b feeds four rows and every store of out carries four products
 * (measured about 2-3x faster than the plain i-k-j loop in V8, which does not vectorize).
 * Within a pass the sum order is out + (a0*b0 + a1*b1 + a2*b2 + a3*b3); this changes float64 results only
 * at the 1e-16 level.
 *
 * out: [m, n], a: [m, k], b: [k, n]. Every buffer must be a Float64Array for the JIT to keep this fast.
 */
export const matmulAccumulate: MatmulKernel = (out, a, b) => {
  let i = 0;
  for (; i + 4 <= a.rows; i += 4) accumulateFourRows(out, a, b, i);
  for (; i < a.rows; i++) accumulateOneRow(out, a, b, i);
};

/** Rows i..i+3 of out += a x b (float64). */
function accumulateFourRows(out: MatrixView, a: MatrixView, b: MatrixView, i: number): void {
  const k = a.cols;
  const n = b.cols;
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const bStride = b.stride;
  const a0Row = a.offset + i * a.stride;
  const a1Row = a0Row + a.stride;
  const a2Row = a1Row + a.stride;
  const a3Row = a2Row + a.stride;
  const o0Row = out.offset + i * out.stride;
  const o1Row = o0Row + out.stride;
  const o2Row = o1Row + out.stride;
  const o3Row = o2Row + out.stride;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    // a[r][p..p+3] for rows r = 0..3 of this block
    const a00 = ad[a0Row + p],
      a01 = ad[a0Row + p + 1],
      a02 = ad[a0Row + p + 2],
      a03 = ad[a0Row + p + 3];
    const a10 = ad[a1Row + p],
      a11 = ad[a1Row + p + 1],
      a12 = ad[a1Row + p + 2],
      a13 = ad[a1Row + p + 3];
    const a20 = ad[a2Row + p],
      a21 = ad[a2Row + p + 1],
      a22 = ad[a2Row + p + 2],
      a23 = ad[a2Row + p + 3];
    const a30 = ad[a3Row + p],
      a31 = ad[a3Row + p + 1],
      a32 = ad[a3Row + p + 2],
      a33 = ad[a3Row + p + 3];
    const b0Row = b.offset + p * bStride;
    const b1Row = b0Row + bStride;
    const b2Row = b1Row + bStride;
    const b3Row = b2Row + bStride;
    for (let j = 0; j < n; j++) {
      const b0 = bd[b0Row + j],
        b1 = bd[b1Row + j],
        b2 = bd[b2Row + j],
        b3 = bd[b3Row + j];
      od[o0Row + j] += a00 * b0 + a01 * b1 + a02 * b2 + a03 * b3;
      od[o1Row + j] += a10 * b0 + a11 * b1 + a12 * b2 + a13 * b3;
      od[o2Row + j] += a20 * b0 + a21 * b1 + a22 * b2 + a23 * b3;
      od[o3Row + j] += a30 * b0 + a31 * b1 + a32 * b2 + a33 * b3;
    }
  }
  for (; p < k; p++) {
    const a0 = ad[a0Row + p],
      a1 = ad[a1Row + p],
      a2 = ad[a2Row + p],
      a3 = ad[a3Row + p];
    const bRow = b.offset + p * bStride;
    for (let j = 0; j < n; j++) {
      const bj = bd[bRow + j];
      od[o0Row + j] += a0 * bj;
      od[o1Row + j] += a1 * bj;
      od[o2Row + j] += a2 * bj;
      od[o3Row + j] += a3 * bj;
    }
  }
}

/**
 * Row i of out += a x b (float64): the leftover rows when m is not a multiple of 4. Same sum order as
 * accumulateFourRows, so a row's result does not depend on which kernel computed it (a batch row equals
 * the batch-1 run of that sample bit for bit).
 */
function accumulateOneRow(out: MatrixView, a: MatrixView, b: MatrixView, i: number): void {
  const k = a.cols;
  const n = b.cols;
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const bStride = b.stride;
  const aRow = a.offset + i * a.stride;
  const oRow = out.offset + i * out.stride;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const a0 = ad[aRow + p],
      a1 = ad[aRow + p + 1],
      a2 = ad[aRow + p + 2],
      a3 = ad[aRow + p + 3];
    const b0Row = b.offset + p * bStride;
    const b1Row = b0Row + bStride;
    const b2Row = b1Row + bStride;
    const b3Row = b2Row + bStride;
    for (let j = 0; j < n; j++) {
      od[oRow + j] += a0 * bd[b0Row + j] + a1 * bd[b1Row + j] + a2 * bd[b2Row + j] + a3 * bd[b3Row + j];
    }
  }
  for (; p < k; p++) {
    const ap = ad[aRow + p];
    const bRow = b.offset + p * bStride;
    for (let j = 0; j < n; j++) od[oRow + j] += ap * bd[bRow + j];
  }
}

/**
 * out += a x b with float32 semantics: every product and every partial sum is rounded with Math.fround,
 * summed over k in ascending order (out[i,j] = fround(out[i,j] + fround(a[i,p] * b[p,j])) for p = 0..k-1).
 * Blocked 4 x 4 like matmulAccumulate, but each element still takes its k terms one at a time in ascending
 * order, so the blocking changes no bit of the result (only the loads: measured 2.2-2.4x faster than the
 * plain i-k-j loop).
 *
 * out: [m, n], a: [m, k], b: [k, n]. Every buffer must be a Float32Array.
 */
export const matmulAccumulateFloat32: MatmulKernel = (out, a, b) => {
  let i = 0;
  for (; i + 4 <= a.rows; i += 4) accumulateFourRowsFloat32(out, a, b, i);
  for (; i < a.rows; i++) accumulateOneRowFloat32(out, a, b, i);
};

/** Rows i..i+3 of out += a x b (float32 semantics, fround after every operation). */
function accumulateFourRowsFloat32(out: MatrixView, a: MatrixView, b: MatrixView, i: number): void {
  const f = Math.fround;
  const k = a.cols;
  const n = b.cols;
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const bStride = b.stride;
  const a0Row = a.offset + i * a.stride;
  const a1Row = a0Row + a.stride;
  const a2Row = a1Row + a.stride;
  const a3Row = a2Row + a.stride;
  const o0Row = out.offset + i * out.stride;
  const o1Row = o0Row + out.stride;
  const o2Row = o1Row + out.stride;
  const o3Row = o2Row + out.stride;
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const a00 = ad[a0Row + p],
      a01 = ad[a0Row + p + 1],
      a02 = ad[a0Row + p + 2],
      a03 = ad[a0Row + p + 3];
    const a10 = ad[a1Row + p],
      a11 = ad[a1Row + p + 1],
      a12 = ad[a1Row + p + 2],
      a13 = ad[a1Row + p + 3];
    const a20 = ad[a2Row + p],
      a21 = ad[a2Row + p + 1],
      a22 = ad[a2Row + p + 2],
      a23 = ad[a2Row + p + 3];
    const a30 = ad[a3Row + p],
      a31 = ad[a3Row + p + 1],
      a32 = ad[a3Row + p + 2],
      a33 = ad[a3Row + p + 3];
    const b0Row = b.offset + p * bStride;
    const b1Row = b0Row + bStride;
    const b2Row = b1Row + bStride;
    const b3Row = b2Row + bStride;
    for (let j = 0; j < n; j++) {
      const b0 = bd[b0Row + j],
        b1 = bd[b1Row + j],
        b2 = bd[b2Row + j],
        b3 = bd[b3Row + j];
      od[o0Row + j] = f(f(f(f(od[o0Row + j] + f(a00 * b0)) + f(a01 * b1)) + f(a02 * b2)) + f(a03 * b3));
      od[o1Row + j] = f(f(f(f(od[o1Row + j] + f(a10 * b0)) + f(a11 * b1)) + f(a12 * b2)) + f(a13 * b3));
      od[o2Row + j] = f(f(f(f(od[o2Row + j] + f(a20 * b0)) + f(a21 * b1)) + f(a22 * b2)) + f(a23 * b3));
      od[o3Row + j] = f(f(f(f(od[o3Row + j] + f(a30 * b0)) + f(a31 * b1)) + f(a32 * b2)) + f(a33 * b3));
    }
  }
  for (; p < k; p++) {
    const a0 = ad[a0Row + p],
      a1 = ad[a1Row + p],
      a2 = ad[a2Row + p],
      a3 = ad[a3Row + p];
    const bRow = b.offset + p * bStride;
    for (let j = 0; j < n; j++) {
      const bj = bd[bRow + j];
      od[o0Row + j] = f(od[o0Row + j] + f(a0 * bj));
      od[o1Row + j] = f(od[o1Row + j] + f(a1 * bj));
      od[o2Row + j] = f(od[o2Row + j] + f(a2 * bj));
      od[o3Row + j] = f(od[o3Row + j] + f(a3 * bj));
    }
  }
}

/** Row i of out += a x b (float32 semantics): the leftover rows, in the same order as the 4-row block. */
function accumulateOneRowFloat32(out: MatrixView, a: MatrixView, b: MatrixView, i: number): void {
  const f = Math.fround;
  const k = a.cols;
  const n = b.cols;
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const aRow = a.offset + i * a.stride;
  const oRow = out.offset + i * out.stride;
  for (let p = 0; p < k; p++) {
    const ap = ad[aRow + p];
    const bRow = b.offset + p * b.stride;
    for (let j = 0; j < n; j++) od[oRow + j] = f(od[oRow + j] + f(ap * bd[bRow + j]));
  }
}

/**
 * out[r, :] = round(out[r, :] + v) for every row r: a bias broadcast over rows.
 * out: [rows, cols], v: [cols].
 */
export function addRowVector(out: MatrixView, v: FloatBuffer, round: (x: number) => number): void {
  const od = out.data;
  for (let r = 0; r < out.rows; r++) {
    const row = out.offset + r * out.stride;
    for (let c = 0; c < out.cols; c++) od[row + c] = round(od[row + c] + v[c]);
  }
}
