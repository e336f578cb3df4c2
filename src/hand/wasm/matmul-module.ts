/**
 * The bytes of the matmul module: two exported functions, $matmul_f64 and $matmul_f32, each
 * out += a x b on matrices already copied into the module's memory (wasm-matmul.ts does the copying).
 *
 *   (func $matmul_f64 (param $out $a $b $rows $inner $cols i32))   ;; byte addresses, then sizes in elements
 *     a:   [rows, inner], rows packed (stride inner)
 *     b:   [inner, cols], rows packed (stride cols)
 *     out: [rows, cols],  rows packed (stride cols)
 *   cols is a whole number of vectors (2 f64 or 4 f32 lanes): the caller pads b's and out's rows, and
 *   never reads the padding back.
 *
 * Bit-identical to linalg.ts by construction: every output element goes through exactly the operations
 * of the TypeScript kernel in the same order, one element per SIMD lane, with plain IEEE mul and add
 * (no fused multiply-add, no relaxed-simd):
 *   float64 (matmulAccumulate): for each block of 4 k's, out = out + (((a0*b0 + a1*b1) + a2*b2) + a3*b3);
 *     then each leftover k, out = out + a*b.
 *   float32 (matmulAccumulateFloat32): for each k ascending, out = out + a*b in f32 arithmetic. A single f32
 *     mul or add is correctly rounded, so it equals Math.fround of the double result that the TS kernel
 *     rounds: the double product of two floats is exact, and a double sum of two floats rounded to float is
 *     the correctly rounded float sum (double rounding is innocuous when 53 >= 2*24 + 2 bits; Figueroa,
 *     "When is double rounding innocuous?", 1995). Subnormals are kept in both (wasm does not flush them).
 * The one thing IEEE 754 and wasm leave open is the payload of a NaN: a NaN result is NaN in both, its bits
 * may differ. What differs from linalg.ts is only the loop order outside an element: the kernel holds a
 * tile of out (TILE_ROWS rows x 1 vector) in registers for the whole k loop instead of loading and storing
 * it per block of k, and it takes TILE_ROWS rows at a time instead of 4.
 */
import { Code, encodeModule, f32x4, f64x2, FunctionDefinition, I32, i32, local, Locals, V128, v128, whileLoop } from './wasm-binary';

/** What the two kernels differ in: the lane format and how the k terms are grouped. */
interface LaneFormat {
  readonly exportName: string;
  /** Bytes per element: 8 (f64) or 4 (f32). */
  readonly elementBytes: number;
  /** (fNxM.add x y), (fNxM.mul x y) */
  readonly add: (x: Code, y: Code) => Code;
  readonly mul: (x: Code, y: Code) => Code;
  /** One element of a, loaded into every lane. */
  readonly loadSplat: (address: Code, offset: number) => Code;
  /**
   * true (f64): the main k loop sums 4 products first and adds the sum to out, as matmulAccumulate's
   * 4 x 4 block does. false (f32): every product is added to out on its own, 4 k's per pass only to
   * save loop overhead.
   */
  readonly sumsBlocksOfFour: boolean;
}

const FLOAT64: LaneFormat = {
  exportName: 'matmul_f64',
  elementBytes: 8,
  add: f64x2.add,
  mul: f64x2.mul,
  loadSplat: v128.load64Splat,
  sumsBlocksOfFour: true,
};

const FLOAT32: LaneFormat = {
  exportName: 'matmul_f32',
  elementBytes: 4,
  add: f32x4.add,
  mul: f32x4.mul,
  loadSplat: v128.load32Splat,
  sumsBlocksOfFour: false,
};

/** Bytes in one v128 vector of lanes. */
export const VECTOR_BYTES = 16;

/**
 * Rows of out a tile holds in registers: 2 rows x 1 vector, for the whole k loop. Measured against 4 x 1
 * (linalg.ts's blocking), 4 x 2, 2 x 2, 2 x 3, 1 x 2-4 vectors (scripts/bench-kernel.ts shapes, AMD EPYC,
 * Node 20): 2 x 1 was fastest or within noise of it in both precisions, e.g. [64,128]x[128,512] float64
 * 12.8-13.4 GFLOP/s against 8.8-9.6 for 4 x 1. V8 gives wasm 16 xmm registers; a 4-row tile needs about
 * 24 values live (tile, block sums, a and b vectors) and spills, a 2-row one about 10.
 * The tiling decides only which elements are computed together, never the order within an element.
 */
const TILE_ROWS = 2;

/** k's handled per pass of the main k loop. */
const K_BLOCK = 4;

/** The kernel of one lane format as a function definition (see the module comment for its contract). */
function matmulFunction(format: LaneFormat): FunctionDefinition {
  const E = format.elementBytes;
  const { add, mul } = format;
  const names = new Locals();
  // (param $out $a $b $rows $inner $cols i32)
  const out = names.add(I32);
  const a = names.add(I32);
  const b = names.add(I32);
  const rows = names.add(I32);
  const inner = names.add(I32);
  const cols = names.add(I32);
  const paramCount = 6;
  // (local ...) i32 addresses and byte counts
  const aStride = names.add(I32); // bytes per row of a:          inner * E
  const rowStride = names.add(I32); // bytes per row of b and out:  cols * E
  const rowsLeft = names.add(I32); // rows of out not done yet
  const aRow = names.add(I32); // &a[first row of the tile][0]
  const outRow = names.add(I32); // &out[first row of the tile][0]
  const column = names.add(I32); // byte offset of the tile's vector within a row of out (and of b)
  const aAt = names.add(I32); // &a[first row of the tile][p]
  const bAt = names.add(I32); // &b[p][column]
  const aBlocksEnd = names.add(I32); // &a[first row of the tile][inner rounded down to a multiple of K_BLOCK]
  const aRowEnd = names.add(I32); // &a[first row of the tile][inner]
  const rowsDown = range(K_BLOCK + 1).map(() => names.add(I32)); // rowsDown[q] = q * rowStride, q <= K_BLOCK
  // (local ...) v128: the tile of out, its block sums, one vector of b
  const tile = range(TILE_ROWS).map(() => names.add(V128));
  const blockSum = range(TILE_ROWS).map(() => names.add(V128));
  const bVector = names.add(V128);

  const get = local.get;
  /** base + r rows of `stride` bytes, r a small constant. */
  const rowsBelow = (base: Code, r: number, stride: number): Code =>
    r === 0 ? base : i32.add(base, r === 1 ? get(stride) : i32.mul(i32.const(r), get(stride)));
  /** a[row r of the tile][p + q] in every lane: r rows of a below $aAt, q elements right. */
  const aElement = (r: number, q: number): Code => format.loadSplat(rowsBelow(get(aAt), r, aStride), q * E);
  /** &out[row r of the tile][column] */
  const outAddress = (r: number): Code => rowsBelow(i32.add(get(outRow), get(column)), r, rowStride);
  /** $bVector = b[p + q][column .. column + one vector) */
  const loadB = (q: number): Code => local.set(bVector, v128.load(q === 0 ? get(bAt) : i32.add(get(bAt), get(rowsDown[q]))));
  /** $aAt += terms elements; $bAt += terms rows of b */
  const advanceK = (terms: number): Code[] => [
    local.set(aAt, i32.add(get(aAt), i32.const(terms * E))),
    local.set(bAt, i32.add(get(bAt), get(rowsDown[terms]))),
  ];

  /** One k term: tile[r] = tile[r] + a[r][p+q] * b[p+q][column..]  (matmulAccumulateFloat32, leftover k's). */
  const addOneTerm = (tileRows: number, q: number): Code[] => [
    loadB(q),
    ...range(tileRows).map((r) => local.set(tile[r], add(get(tile[r]), mul(aElement(r, q), get(bVector))))),
  ];

  /**
   * Four k terms summed first (matmulAccumulate's block):
   *   blockSum[r] = ((a[r][p]*b[p] + a[r][p+1]*b[p+1]) + a[r][p+2]*b[p+2]) + a[r][p+3]*b[p+3]
   *   tile[r] = tile[r] + blockSum[r]
   */
  const addBlockSum = (tileRows: number): Code[] => [
    ...range(K_BLOCK).flatMap((q) => [
      loadB(q),
      ...range(tileRows).map((r) => {
        const product = mul(aElement(r, q), get(bVector));
        return local.set(blockSum[r], q === 0 ? product : add(get(blockSum[r]), product));
      }),
    ]),
    ...range(tileRows).map((r) => local.set(tile[r], add(get(tile[r]), get(blockSum[r])))),
  ];

  /** Rows $outRow .. + tileRows of out += a x b: one vector of columns at a time, all of k for each. */
  const rowBlock = (tileRows: number): Code[] => [
    local.set(aBlocksEnd, i32.add(get(aRow), i32.mul(i32.and(get(inner), i32.const(-K_BLOCK)), i32.const(E)))),
    local.set(aRowEnd, i32.add(get(aRow), get(aStride))),
    local.set(column, i32.const(0)),
    // (loop while $column < $rowStride)
    whileLoop(i32.ltU(get(column), get(rowStride)), [
      ...range(tileRows).map((r) => local.set(tile[r], v128.load(outAddress(r)))),
      local.set(aAt, get(aRow)),
      local.set(bAt, i32.add(get(b), get(column))),
      // k in blocks of four: (loop while $aAt < $aBlocksEnd)
      whileLoop(i32.ltU(get(aAt), get(aBlocksEnd)), [
        ...(format.sumsBlocksOfFour ? addBlockSum(tileRows) : range(K_BLOCK).flatMap((q) => addOneTerm(tileRows, q))),
        ...advanceK(K_BLOCK),
      ]),
      // the leftover k's, one term each: (loop while $aAt < $aRowEnd)
      whileLoop(i32.ltU(get(aAt), get(aRowEnd)), [...addOneTerm(tileRows, 0), ...advanceK(1)]),
      ...range(tileRows).map((r) => v128.store(outAddress(r), get(tile[r]))),
      local.set(column, i32.add(get(column), i32.const(VECTOR_BYTES))),
    ]),
    // $aRow, $outRow move down tileRows rows
    local.set(aRow, rowsBelow(get(aRow), tileRows, aStride)),
    local.set(outRow, rowsBelow(get(outRow), tileRows, rowStride)),
    local.set(rowsLeft, i32.sub(get(rowsLeft), i32.const(tileRows))),
  ];

  const body: Code[] = [
    local.set(aStride, i32.mul(get(inner), i32.const(E))),
    local.set(rowStride, i32.mul(get(cols), i32.const(E))),
    ...rowsDown.map((offset, q) => local.set(offset, i32.mul(i32.const(q), get(rowStride)))),
    local.set(rowsLeft, get(rows)),
    local.set(aRow, get(a)),
    local.set(outRow, get(out)),
    // tiles of TILE_ROWS rows: (loop while TILE_ROWS <= $rowsLeft)
    whileLoop(i32.leU(i32.const(TILE_ROWS), get(rowsLeft)), rowBlock(TILE_ROWS)),
    // a leftover row on its own, same order per element: (loop while 1 <= $rowsLeft)
    whileLoop(i32.leU(i32.const(1), get(rowsLeft)), rowBlock(1)),
  ];
  return {
    exportName: format.exportName,
    params: range(paramCount).map(() => I32),
    locals: names.typesFrom(paramCount),
    body,
  };
}

function range(length: number): number[] {
  return Array.from({ length }, (_, k) => k);
}

/** The module's bytes: memory (1 page to start; wasm-matmul.ts grows it) and the two kernels. */
export function matmulModuleBytes(): Uint8Array {
  return encodeModule([matmulFunction(FLOAT64), matmulFunction(FLOAT32)], 1);
}
