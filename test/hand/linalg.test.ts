/**
 * linalg: views, gate slices and both matmul kernels against a naive triple loop written here.
 */
import { addRowVector, gateOffset, gateSlice, matmulAccumulate, matmulAccumulateFloat32, viewOf } from '../../src/hand/linalg';
import { expectClose } from '../helpers/expect-close';
import { pseudoRandom } from './build';

/** out[i][j] = sum_p a[i][p] * b[p][j], plain nested loops over number arrays. */
function naiveMatmul(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

describe('matmulAccumulate (float64)', () => {
  test('2x2 by hand', () => {
    // [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[1*5 + 2*7, 1*6 + 2*8], [3*5 + 4*7, 3*6 + 4*8]] = [[19, 22], [43, 50]]
    const out = new Float64Array(4);
    matmulAccumulate(viewOf(out, 2, 2), viewOf(Float64Array.of(1, 2, 3, 4), 2, 2), viewOf(Float64Array.of(5, 6, 7, 8), 2, 2));
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  test('accumulates into out rather than overwriting', () => {
    const out = Float64Array.of(1, 1);
    // [1, 2] + [[3]] x [[1, 2]] = [1 + 3, 2 + 6]... with out = [1, 1]: [4, 7]
    matmulAccumulate(viewOf(out, 1, 2), viewOf(Float64Array.of(3), 1, 1), viewOf(Float64Array.of(1, 2), 1, 2));
    expect(Array.from(out)).toEqual([4, 7]);
  });

  test.each([
    [1, 1, 1],
    [4, 4, 3],
    [5, 6, 7], // 4-row block + 1 leftover row; 4-wide k block + 2 leftover
    [9, 13, 2],
    [3, 2, 8], // fewer than 4 rows and 4 k's: only the leftover loops
  ])('[%i, %i] x [%i cols] = naive loop', (m, k, n) => {
    const a = pseudoRandom(m * 100 + k, m * k, 1);
    const b = pseudoRandom(n * 100 + k, k * n, 1);
    const out = new Float64Array(m * n);
    matmulAccumulate(viewOf(out, m, n), viewOf(Float64Array.from(a), m, k), viewOf(Float64Array.from(b), k, n));
    expectClose(out, naiveMatmul(a, b, m, k, n), { atol: 1e-15, rtol: 1e-14 });
  });

  test('reads and writes through offsets and strides (gate slices)', () => {
    // b: [3, 4*2] as 4 gate blocks of 2 units; use block 2 only: columns 4..5
    const b = pseudoRandom(5, 3 * 8, 1);
    const a = pseudoRandom(6, 5 * 3, 1);
    const bView = viewOf(Float64Array.from(b), 3, 8);
    const block = gateSlice(bView, 2, 2);
    expect(block).toMatchObject({ offset: 4, rows: 3, cols: 2, stride: 8 });
    // out: [5, 3*2], write block 1 only (columns 2..3); the other columns must stay 0
    const out = new Float64Array(5 * 6);
    matmulAccumulate(gateSlice(viewOf(out, 5, 6), 1, 2), viewOf(Float64Array.from(a), 5, 3), block);
    const bBlock = [0, 1, 2].flatMap((r) => [b[r * 8 + 4], b[r * 8 + 5]]);
    const expected = naiveMatmul(a, bBlock, 5, 3, 2);
    for (let i = 0; i < 5; i++) {
      expect(out[i * 6]).toBe(0);
      expect(out[i * 6 + 1]).toBe(0);
      expectClose([out[i * 6 + 2], out[i * 6 + 3]], expected.slice(i * 2, i * 2 + 2), { atol: 1e-15, rtol: 1e-14 });
      expect(out[i * 6 + 4]).toBe(0);
      expect(out[i * 6 + 5]).toBe(0);
    }
  });
});

describe('matmulAccumulateFloat32', () => {
  test.each([
    [3, 5, 4], // fewer than 4 rows: the one-row kernel only
    [4, 4, 3], // one 4 x 4 block
    [5, 6, 7], // a 4-row block + 1 leftover row; a 4-wide k block + 2 leftover k's
    [9, 13, 2],
  ])('[%i, %i] x [%i cols]: rounds every product and partial sum, summing k in order', (m, k, n) => {
    const f = Math.fround;
    const a = pseudoRandom(11, m * k, 1);
    const b = pseudoRandom(12, k * n, 1);
    const out = new Float32Array(m * n);
    matmulAccumulateFloat32(viewOf(out, m, n), viewOf(Float32Array.from(a), m, k), viewOf(Float32Array.from(b), k, n));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum = f(sum + f(a[i * k + p] * b[p * n + j]));
        expect(out[i * n + j]).toBe(sum);
      }
    }
  });
});

describe('gates and bias', () => {
  test('gateOffset is gate * units', () => {
    // LSTM [i|f|c|o] with units 3: o starts at column 9
    expect(gateOffset(3, 3)).toBe(9);
    expect(gateOffset(0, 7)).toBe(0);
  });

  test('gateSlice over several gates spans their columns', () => {
    // GRU [z|r|h] with units 4: [z|r] is columns 0..7
    const view = gateSlice(viewOf(new Float64Array(2 * 12), 2, 12), 0, 4, 2);
    expect(view).toMatchObject({ offset: 0, rows: 2, cols: 8, stride: 12 });
  });

  test('addRowVector adds the bias to every row, rounding with the given function', () => {
    const out = Float64Array.of(1, 2, 3, 4);
    addRowVector(viewOf(out, 2, 2), Float64Array.of(0.5, -1), (v) => v);
    expect(Array.from(out)).toEqual([1.5, 1, 3.5, 3]);
    const out32 = Float32Array.of(1, 1);
    // 1 + 0.1 in float32: fround(1 + fround(0.1)) = 1.100000023841858
    addRowVector(viewOf(out32, 1, 2), Float32Array.of(0.1, 0.1), Math.fround);
    expect(out32[0]).toBe(Math.fround(1 + Math.fround(0.1)));
  });
});
