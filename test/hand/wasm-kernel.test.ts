/**
 * The WebAssembly SIMD matmul kernels (src/hand/wasm/) against the TypeScript reference kernels (linalg.ts):
 * the same bytes, not merely close, in both precisions, over every small shape, views with offsets and
 * strides, out already holding values, and inputs of both signs from tiny (subnormal products) to huge;
 * then whole forward passes with either kernel. Also the kernel choice in arithmeticFor.
 */
import { ConfigError } from '../../src/errors';
import { forwardHand } from '../../src/hand/forward';
import { FloatBuffer, gateSlice, MatmulKernel, matmulAccumulate, matmulAccumulateFloat32, MatrixView, viewOf } from '../../src/hand/linalg';
import { arithmeticFor, defaultKernel, KernelName, Precision, setDefaultKernel } from '../../src/hand/precision';
import {
  WASM_MIN_MULTIPLY_ADDS,
  wasmKernelAvailable,
  wasmKernelUnavailableReason,
  wasmMatmulAccumulate,
  wasmMatmulAccumulateFloat32,
  wasmSimdSupported,
} from '../../src/hand/wasm/wasm-matmul';
import { signedLeb, unsignedLeb } from '../../src/hand/wasm/wasm-binary';
import type { CellKind } from '../../src/spec';
import { denseHead, model, pseudoRandom, randomInput, randomLayer } from './build';

interface PrecisionCase {
  readonly precision: Precision;
  readonly arrayType: Float64ArrayConstructor | Float32ArrayConstructor;
  readonly reference: MatmulKernel;
  readonly wasm: MatmulKernel;
  /** Decimal exponents of the values: wide, yet no sum of products overflows (no inf, no NaN). */
  readonly exponents: readonly [number, number];
}

const PRECISIONS: readonly PrecisionCase[] = [
  // products down to 1e-320 (subnormal) and up to 1e300, sums of a few thousand of them below 1.8e308
  { precision: 'float64', arrayType: Float64Array, reference: matmulAccumulate, wasm: wasmMatmulAccumulate, exponents: [-160, 150] },
  // products down to 1e-44 (float32 subnormal) and up to 1e34, sums below 3.4e38
  { precision: 'float32', arrayType: Float32Array, reference: matmulAccumulateFloat32, wasm: wasmMatmulAccumulateFloat32, exponents: [-22, 17] },
];

/**
 * n values, deterministic per seed: signs mixed; most of magnitude about 1 (so that sums cancel and any
 * change of summation order shows in the last bits), one in eight spread over 10^exponents, one in
 * sixteen +0 or -0.
 */
function wideValues(seed: number, n: number, [minExponent, maxExponent]: readonly [number, number]): Float64Array {
  let state = seed >>> 0;
  /** The next value in [0, 1) of a 32-bit LCG (Numerical Recipes constants, as build.ts's pseudoRandom). */
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [kind, mantissa, exponent] = [uniform(), uniform(), uniform()];
    const sign = mantissa < 0.5 ? -1 : 1;
    if (kind < 1 / 16) values[i] = sign * 0;
    else if (kind < 3 / 16) values[i] = sign * (1 + mantissa) * 10 ** Math.round(minExponent + exponent * (maxExponent - minExponent));
    else values[i] = sign * (0.5 + mantissa);
  }
  return values;
}

/** How a matrix sits in its buffer: the whole buffer, a gate slice (columns of a wider matrix), or rows further in. */
type Layout = 'whole' | 'gate' | 'offset';

/** A rows x cols view laid out as `layout` in a fresh buffer of wide values; the rest of the buffer holds values too. */
function matrixIn(c: PrecisionCase, seed: number, rows: number, cols: number, layout: Layout): MatrixView {
  const parentCols = layout === 'gate' ? 3 * cols + 1 : cols;
  const parentRows = layout === 'offset' ? rows + 3 : rows;
  const data = c.arrayType.from(wideValues(seed, parentRows * parentCols, c.exponents));
  const parent = viewOf(data, parentRows, parentCols);
  if (layout === 'gate') return gateSlice(parent, 1, cols);
  if (layout === 'offset') return { ...parent, offset: 2 * cols, rows };
  return parent;
}

/** The first element where the two buffers' bytes differ, described; undefined when they are equal. */
function firstDifference(actual: FloatBuffer, expected: FloatBuffer): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  const size = actual.BYTES_PER_ELEMENT;
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      const k = Math.floor(i / size);
      return `element ${k}: ${actual[k]}, expected ${expected[k]}`;
    }
  }
  return undefined;
}

/**
 * out += a x b with `kernel` and with the reference, on the same inputs and the same non-zero out
 * ([m, k] x [k, n]); the whole out buffers (inside and outside the view) as [actual, expected].
 */
function runBoth(
  c: PrecisionCase,
  kernel: MatmulKernel,
  m: number,
  k: number,
  n: number,
  layouts: readonly [Layout, Layout, Layout] = ['whole', 'whole', 'whole'],
) {
  const seed = 1000 * m + 100 * k + n;
  const [outLayout, aLayout, bLayout] = layouts;
  const a = matrixIn(c, seed + 1, m, k, aLayout);
  const b = matrixIn(c, seed + 2, k, n, bLayout);
  const expected = matrixIn(c, seed + 3, m, n, outLayout);
  const actual = { ...expected, data: expected.data.slice() };
  c.reference(expected, a, b);
  kernel(actual, a, b);
  return [actual.data, expected.data] as const;
}

/** Every (m, k, n) with each of m, k, n in 1..9. */
const SMALL_SHAPES: [number, number, number][] = [];
for (let m = 1; m <= 9; m++) for (let k = 1; k <= 9; k++) for (let n = 1; n <= 9; n++) SMALL_SHAPES.push([m, k, n]);

test('the WebAssembly kernels load in this Node', () => {
  expect(wasmSimdSupported()).toBe(true);
  expect(wasmKernelUnavailableReason()).toBeUndefined();
  expect(wasmKernelAvailable()).toBe(true);
});

describe.each(PRECISIONS)('$precision: wasm kernel = TypeScript kernel, byte for byte', (c) => {
  test('every shape with m, k, n in 1..9 (729 products)', () => {
    const mismatches = SMALL_SHAPES.flatMap(([m, k, n]) => {
      const difference = firstDifference(...runBoth(c, c.wasm, m, k, n));
      return difference === undefined ? [] : [`[${m},${k}]x[${k},${n}] ${difference}`];
    });
    expect(mismatches).toEqual([]);
  });

  test('every shape with m, k, n in 1..9 through gate slices and offsets', () => {
    const mismatches = SMALL_SHAPES.flatMap(([m, k, n], i) => {
      const layouts: [Layout, Layout, Layout] = i % 2 === 0 ? ['gate', 'offset', 'gate'] : ['offset', 'gate', 'whole'];
      const difference = firstDifference(...runBoth(c, c.wasm, m, k, n, layouts));
      return difference === undefined ? [] : [`[${m},${k}]x[${k},${n}] ${layouts.join('/')} ${difference}`];
    });
    expect(mismatches).toEqual([]);
  });

  test.each([
    [0, 5, 3],
    [3, 0, 5], // k = 0: out unchanged
    [3, 5, 0],
  ])('empty product [%i,%i]x[.,%i]', (m, k, n) => {
    expect(firstDifference(...runBoth(c, c.wasm, m, k, n))).toBeUndefined();
  });

  test.each([
    [64, 128, 512, 'whole'], // the medium LSTM step, h·U; rows of 512 are padded (4 KiB apart in float64)
    [33, 65, 129, 'whole'], // odd everything: a leftover row, k's and columns
    [64, 128, 128, 'gate'], // GRU's Uh: a gate slice of [128, 3*128]
    [300, 7, 300, 'whole'], // chunks of rows (2-3 of them), the last one short
    [2, 300, 3, 'offset'],
    [17, 32, 32, 'whole'], // rows of 256 bytes (float64) or 128 (float32)
    [9, 16, 64, 'gate'],
  ] as const)('[%i,%i]x[.,%i] (%s)', (m, k, n, layout) => {
    expect(firstDifference(...runBoth(c, c.wasm, m, k, n, [layout, layout, layout]))).toBeUndefined();
  });

  test('sensitive: a different summation order would show (plain ascending k differs from the TS kernel here)', () => {
    if (c.precision === 'float32') return; // float32's TS kernel is plain ascending k itself
    const ascending: MatmulKernel = (out, a, b) => {
      for (let i = 0; i < a.rows; i++) {
        for (let j = 0; j < b.cols; j++) {
          let sum = out.data[out.offset + i * out.stride + j];
          for (let p = 0; p < a.cols; p++) sum += a.data[a.offset + i * a.stride + p] * b.data[b.offset + p * b.stride + j];
          out.data[out.offset + i * out.stride + j] = sum;
        }
      }
    };
    expect(firstDifference(...runBoth(c, ascending, 33, 65, 129))).toBeDefined();
  });

  test('a weight changed in place between calls is seen (nothing stale is cached)', () => {
    const a = matrixIn(c, 1, 8, 64, 'whole');
    const b = matrixIn(c, 2, 64, 64, 'whole');
    const expected = viewOf(new c.arrayType(8 * 64), 8, 64);
    const actual = viewOf(new c.arrayType(8 * 64), 8, 64);
    for (let step = 0; step < 3; step++) {
      b.data[step * 7] += 1; // as an optimizer step would
      c.reference(expected, a, b);
      c.wasm(actual, a, b);
      expect(firstDifference(actual.data, expected.data)).toBeUndefined();
    }
  });

  test('small, then big (the memory grows), then small again', () => {
    for (const [m, k, n] of [
      [3, 4, 5],
      [3, 300, 600], // b alone is bigger than any matrix before it
      [3, 4, 5],
    ]) {
      expect(firstDifference(...runBoth(c, c.wasm, m, k, n))).toBeUndefined();
    }
  });

  test('out sharing a buffer with a (computed by the TS kernel: the result then depends on its loop order)', () => {
    const shared = c.arrayType.from(wideValues(7, 12 * 6, c.exponents));
    const copy = shared.slice();
    const layoutIn = (data: FloatBuffer) => ({
      out: { data, offset: 0, rows: 4, cols: 6, stride: 6 },
      a: { data, offset: 24, rows: 4, cols: 5, stride: 6 },
    });
    const b = matrixIn(c, 8, 5, 6, 'whole');
    c.reference(layoutIn(copy).out, layoutIn(copy).a, b);
    c.wasm(layoutIn(shared).out, layoutIn(shared).a, b);
    expect(firstDifference(shared, copy)).toBeUndefined();
  });

  test("arithmeticFor(precision, 'wasm') (TS below WASM_MIN_MULTIPLY_ADDS, wasm above) = arithmeticFor(precision, 'ts')", () => {
    const wasmArith = arithmeticFor(c.precision, 'wasm');
    expect(arithmeticFor(c.precision, 'ts').matmulAccumulate).toBe(c.reference);
    for (const [m, k, n] of [
      [1, 5, 20],
      [4, 16, 64],
      [8, 32, 128],
      [64, 128, 384],
    ]) {
      expect(firstDifference(...runBoth(c, wasmArith.matmulAccumulate, m, k, n))).toBeUndefined();
    }
    // the biggest case does reach the wasm kernel
    expect(WASM_MIN_MULTIPLY_ADDS[c.precision]).toBeLessThanOrEqual(64 * 128 * 384);
    expect(WASM_MIN_MULTIPLY_ADDS[c.precision]).toBeLessThanOrEqual(9 * 64 * 64); // the forward passes below
  });
});

test('a Float32Array into the float64 kernel goes to the TS kernel (same result)', () => {
  const a = viewOf(Float32Array.from(pseudoRandom(1, 6 * 5)), 6, 5);
  const b = viewOf(Float64Array.from(pseudoRandom(2, 5 * 7)), 5, 7);
  const expected = viewOf(new Float64Array(6 * 7).fill(0.25), 6, 7);
  const actual = viewOf(expected.data.slice(), 6, 7);
  matmulAccumulate(expected, a, b);
  wasmMatmulAccumulate(actual, a, b);
  expect(firstDifference(actual.data, expected.data)).toBeUndefined();
});

describe('forwardHand with either kernel: the same bytes', () => {
  const CELLS: [string, CellKind, boolean][] = [
    ['simple', 'simple', false],
    ['lstm', 'lstm', false],
    ['gru (resetAfter false)', 'gru', false],
    ['gru (resetAfter true)', 'gru', true],
  ];
  const PRECISION_NAMES: Precision[] = ['float64', 'float32'];

  afterEach(() => setDefaultKernel(undefined));

  describe.each(CELLS)('%s', (_name, cell, resetAfter) => {
    // [batch 9, T 6, inputDim 12], two stacked layers of 64 units, head 64 -> 3, every step out: every
    // matmul but the head's reaches the wasm kernel (the smallest, SimpleRNN's h·U [9,64]x[64,64], has 36864
    // multiply-adds >= WASM_MIN_MULTIPLY_ADDS), with a leftover row.
    const weights = model(
      [randomLayer(300, cell, 12, 64, { resetAfter, returnSequences: true }), randomLayer(400, cell, 64, 64, { resetAfter, returnSequences: true })],
      denseHead(64, 3, pseudoRandom(500, 192), [0.125, -0.25, 0.5]),
    );
    const input = randomInput(600, 9, 6, 12);

    test.each(PRECISION_NAMES)('%s', (precision) => {
      const outputs = (['ts', 'wasm'] as const).map((kernel) => {
        setDefaultKernel(kernel);
        return forwardHand(weights, input, precision);
      });
      expect(outputs[1].shape).toEqual(outputs[0].shape);
      expect(firstDifference(outputs[1].data, outputs[0].data)).toBeUndefined();
    });
  });
});

describe('the binary writer', () => {
  test("LEB128 integers (spec 5.2.2; the unsigned example is the spec's and Wikipedia's 624485)", () => {
    expect(unsignedLeb(0)).toEqual([0x00]);
    expect(unsignedLeb(127)).toEqual([0x7f]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-4)).toEqual([0x7c]); // i32.const -4, the k-block mask
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]); // bit 6 set: a second byte keeps it positive
    expect(signedLeb(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

describe('kernel choice', () => {
  afterEach(() => setDefaultKernel(undefined));

  test("the default is 'wasm' where it loads, and setDefaultKernel overrides it", () => {
    expect(defaultKernel()).toBe('wasm');
    setDefaultKernel('ts');
    expect(defaultKernel()).toBe('ts');
    expect(arithmeticFor('float64').matmulAccumulate).toBe(matmulAccumulate);
    setDefaultKernel(undefined);
    expect(defaultKernel()).toBe('wasm');
  });

  test('an unknown kernel name is a ConfigError naming it', () => {
    expect(() => arithmeticFor('float64', 'gpu' as KernelName)).toThrow(ConfigError);
    expect(() => arithmeticFor('float64', 'gpu' as KernelName)).toThrow('kernel: expected one of ts, wasm, got "gpu"');
    expect(() => setDefaultKernel('WASM' as KernelName)).toThrow('kernel: expected one of ts, wasm, got "WASM"');
    expect(defaultKernel()).toBe('wasm');
  });

  test('an unknown precision is still checked first', () => {
    expect(() => arithmeticFor('float16' as Precision, 'ts')).toThrow('precision: expected one of float64, float32, got "float16"');
  });
});
