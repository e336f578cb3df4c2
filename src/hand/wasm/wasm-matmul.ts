/**
 * The WebAssembly SIMD matmul kernels (issue 16) behind the same MatmulKernel contract as linalg.ts's
 * TypeScript kernels, and bit-identical to them (matmul-module.ts says why; test/hand/wasm-kernel.test.ts
 * checks it over many shapes). The TypeScript kernels stay the readable reference.
 *
 * The data stays in JavaScript typed arrays. Each call copies b, then the rows of a and out in chunks,
 * into the module's memory, runs the kernel on each chunk, and copies the chunk of out back:
 *
 *   memory: [ b: inner x paddedCols | a chunk: chunkRows x inner | out chunk: chunkRows x paddedCols ]
 *
 * Rows of b and out are padded to a whole number of SIMD vectors (the padding lanes compute garbage that
 * is never copied back). Chunking bounds the memory (a projection of 51200 rows never needs 400 MB twice)
 * and keeps each chunk in cache between its copy in, its kernel pass and its copy out.
 *
 * Nothing is cached between calls: b is copied every time, so a weight changed in place (training) is
 * always seen. A cache would have to know when weights change, and could save at most the copy: measured
 * 0.2-1.3% of a call on the bench's recurrent steps, e.g. the medium LSTM's [64,128]x[128,512]
 * (`node dist/scripts/bench-kernel.js`, column "b copy"); only one-row products (batch 1) copy a b they use
 * once, and those stay below WASM_MIN_MULTIPLY_ADDS or near it.
 *
 * The module is emitted, compiled and instantiated synchronously on first use (new WebAssembly.Module).
 */
import { FloatBuffer, MatmulKernel, matmulAccumulate, matmulAccumulateFloat32, MatrixView } from '../linalg';
import { matmulModuleBytes, VECTOR_BYTES } from './matmul-module';
import { encodeModule, V128 } from './wasm-binary';

/**
 * The part of the WebAssembly JavaScript API used here. lib.dom.d.ts declares it; this project compiles
 * without the DOM library, and @types/node leaves it out.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: object };
}

/** A WebAssembly.Memory: `grow` adds 64 KiB pages and detaches the old `buffer`. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The module's exports: its memory and (out, a, b, rows, inner, paddedCols) => void per precision. */
interface MatmulExports {
  readonly memory: WasmMemory;
  readonly matmul_f64: (out: number, a: number, b: number, rows: number, inner: number, cols: number) => void;
  readonly matmul_f32: (out: number, a: number, b: number, rows: number, inner: number, cols: number) => void;
}

type Loaded = { readonly exports: MatmulExports } | { readonly reason: string };

let loaded: Loaded | undefined;

/** The engine's WebAssembly API, when it has one. */
function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

let simdValidates: boolean | undefined;

/**
 * true when this engine validates WebAssembly fixed-width SIMD, checked on a probe module of a few bytes
 * (one function taking a v128): cheap, so that choosing the default kernel does not build the kernels.
 * They are built on the first product big enough to use them (about 10 ms: emitting the bytes, compiling).
 */
export function wasmSimdSupported(): boolean {
  if (simdValidates === undefined) {
    const probe = encodeModule([{ exportName: 'probe', params: [V128], locals: [], body: [] }], 0);
    simdValidates = webAssembly()?.validate(probe) ?? false;
  }
  return simdValidates;
}

/** Compiles and instantiates the module once; records why not when WebAssembly SIMD is missing. */
function load(): Loaded {
  if (loaded !== undefined) return loaded;
  const wasm = webAssembly();
  if (wasm === undefined) {
    loaded = { reason: 'WebAssembly is not available in this JavaScript engine' };
    return loaded;
  }
  const bytes = matmulModuleBytes();
  if (!wasm.validate(bytes)) {
    loaded = { reason: 'the matmul module does not validate: this engine lacks WebAssembly fixed-width SIMD' };
    return loaded;
  }
  try {
    const instance = new wasm.Instance(new wasm.Module(bytes));
    loaded = { exports: instance.exports as unknown as MatmulExports };
  } catch (error) {
    loaded = { reason: `the matmul module does not instantiate: ${String(error)}` };
  }
  return loaded;
}

/**
 * true when the WebAssembly SIMD kernels run in this engine (the module validates and instantiates);
 * builds them on the first call.
 */
export function wasmKernelAvailable(): boolean {
  return 'exports' in load();
}

/** Why the WebAssembly kernels cannot run here, or undefined when they can. */
export function wasmKernelUnavailableReason(): string | undefined {
  const state = load();
  return 'reason' in state ? state.reason : undefined;
}

/**
 * Bytes that one chunk of rows of a and out take in memory together. Measured on [6400,32]x[32,512] and
 * [6400,32]x[32,128] (the medium input projections): 256 KiB ran at 10-12 GFLOP/s float64, 64 KiB and
 * 1-4 MiB at 7-11 (noisy machine); a chunk that stays in L2 between copy in, kernel and copy out.
 */
const CHUNK_BYTES = 256 * 1024;

/** One precision's view of the module: element size, array type, export. */
interface Precision {
  readonly elementBytes: number;
  readonly arrayType: Float64ArrayConstructor | Float32ArrayConstructor;
  readonly run: (exports: MatmulExports) => MatmulExports['matmul_f64'];
  readonly reference: MatmulKernel;
}

const FLOAT64: Precision = {
  elementBytes: 8,
  arrayType: Float64Array,
  run: (exports) => exports.matmul_f64,
  reference: matmulAccumulate,
};

const FLOAT32: Precision = {
  elementBytes: 4,
  arrayType: Float32Array,
  run: (exports) => exports.matmul_f32,
  reference: matmulAccumulateFloat32,
};

/** The view's rows [from, from + count) into target (a view of the module's memory), rows `targetStride` apart. */
function copyRowsIn(view: MatrixView, from: number, count: number, target: FloatBuffer, targetOffset: number, targetStride: number): void {
  const { data, cols, stride } = view;
  const start = view.offset + from * stride;
  if (stride === cols && targetStride === cols) {
    target.set(data.subarray(start, start + count * cols), targetOffset);
    return;
  }
  for (let r = 0; r < count; r++) {
    const row = start + r * stride;
    target.set(data.subarray(row, row + cols), targetOffset + r * targetStride);
  }
}

/** The inverse of copyRowsIn: rows from the module's memory back into the view (only its cols). */
function copyRowsOut(source: FloatBuffer, sourceOffset: number, sourceStride: number, view: MatrixView, from: number, count: number): void {
  const { data, cols, stride } = view;
  const start = view.offset + from * stride;
  if (stride === cols && sourceStride === cols) {
    data.set(source.subarray(sourceOffset, sourceOffset + count * cols), start);
    return;
  }
  for (let r = 0; r < count; r++) {
    const row = sourceOffset + r * sourceStride;
    data.set(source.subarray(row, row + cols), start + r * stride);
  }
}

/** Rounds up to a multiple of `step`. */
function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/**
 * Elements per padded row of b and out: cols rounded up to whole vectors, plus one vector when a row is a
 * multiple of 256 bytes. The kernel walks down a column of b; rows 4 KiB apart (512 float64 columns) all
 * fall in the same L1 cache set and evict each other. Measured, float64 [64,128]x[128,512]: 5.1 GFLOP/s
 * unpadded, 9.4 with the extra vector; [256,256]x[256,1024]: 5.5 -> 9.2.
 */
function paddedRowLength(cols: number, elementBytes: number): number {
  const lanes = VECTOR_BYTES / elementBytes;
  const vectors = roundUp(cols, lanes);
  const bytes = vectors * elementBytes;
  return bytes % 256 === 0 ? vectors + lanes : vectors;
}

/** The last views taken of the module's memory, one per array type; a grow detaches them. */
let views: { buffer: ArrayBuffer; float64: Float64Array; float32: Float32Array } | undefined;

/**
 * Most memory the module may grow to. A product whose b (plus one chunk) needs more runs on the TypeScript
 * kernel instead: the memory never shrinks, and wasm32 stops at 4 GiB anyway.
 */
const MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

/**
 * The module's memory as `arrayType`, grown first when it holds fewer than `bytes`; undefined when it
 * cannot hold them (over MAX_MEMORY_BYTES, or the engine refuses to grow it).
 */
function memoryView(exports: MatmulExports, bytes: number, precision: Precision): FloatBuffer | undefined {
  const { memory } = exports;
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) {
    if (bytes > MAX_MEMORY_BYTES) return undefined;
    try {
      memory.grow(Math.ceil(missing / 65536));
    } catch {
      return undefined; // RangeError: out of memory
    }
  }
  // Growing detaches the old ArrayBuffer: views are re-taken whenever memory.buffer is a new one.
  if (views === undefined || views.buffer !== memory.buffer) {
    views = { buffer: memory.buffer, float64: new Float64Array(memory.buffer), float32: new Float32Array(memory.buffer) };
  }
  return precision.arrayType === Float64Array ? views.float64 : views.float32;
}

/**
 * out += a x b in the module, for buffers of this precision's array type that do not share memory with out
 * and fit in MAX_MEMORY_BYTES; anything else goes to the TypeScript kernel, which gives the same result (and
 * defines it when out overlaps an operand).
 */
function accumulate(precision: Precision, out: MatrixView, a: MatrixView, b: MatrixView): void {
  const state = load();
  const { arrayType, elementBytes } = precision;
  const usable =
    'exports' in state &&
    out.data instanceof arrayType &&
    a.data instanceof arrayType &&
    b.data instanceof arrayType &&
    out.data.buffer !== a.data.buffer &&
    out.data.buffer !== b.data.buffer;
  if (!usable) {
    precision.reference(out, a, b);
    return;
  }
  const rows = a.rows;
  const inner = a.cols;
  const cols = b.cols;
  if (rows === 0 || cols === 0) return;
  const lanes = VECTOR_BYTES / elementBytes;
  const paddedCols = paddedRowLength(cols, elementBytes);
  const chunkRows = Math.min(rows, Math.max(4, 4 * Math.floor(CHUNK_BYTES / ((inner + paddedCols) * elementBytes * 4))));
  // Element offsets of the three regions, each starting on a vector boundary.
  const bAt = 0;
  const aAt = roundUp(bAt + inner * paddedCols, lanes);
  const outAt = roundUp(aAt + chunkRows * inner, lanes);
  const end = outAt + chunkRows * paddedCols;
  const memory = memoryView(state.exports, end * elementBytes, precision);
  if (memory === undefined) {
    precision.reference(out, a, b);
    return;
  }
  const kernel = precision.run(state.exports);

  copyRowsIn(b, 0, inner, memory, bAt, paddedCols);
  for (let from = 0; from < rows; from += chunkRows) {
    const count = Math.min(chunkRows, rows - from);
    copyRowsIn(a, from, count, memory, aAt, inner);
    copyRowsIn(out, from, count, memory, outAt, paddedCols);
    kernel(outAt * elementBytes, aAt * elementBytes, bAt * elementBytes, count, inner, paddedCols);
    copyRowsOut(memory, outAt, paddedCols, out, from, count);
  }
}

/**
 * out += a x b in float64 in WebAssembly SIMD: bit-identical to linalg.ts's matmulAccumulate (same sum order
 * per element; two output columns per f64x2 vector).
 * out: [m, n], a: [m, k], b: [k, n]. Float64Array buffers; other array types, an out sharing a buffer with
 * a or b, a b over MAX_MEMORY_BYTES, or an engine without WebAssembly SIMD (wasmKernelAvailable) fall back
 * to matmulAccumulate.
 */
export const wasmMatmulAccumulate: MatmulKernel = (out, a, b) => accumulate(FLOAT64, out, a, b);

/**
 * out += a x b with float32 semantics in WebAssembly SIMD (f32x4 mul and add): bit-identical to linalg.ts's
 * matmulAccumulateFloat32 (k ascending, one term at a time; four output columns per vector).
 * out: [m, n], a: [m, k], b: [k, n]. Float32Array buffers; otherwise it falls back as wasmMatmulAccumulate.
 */
export const wasmMatmulAccumulateFloat32: MatmulKernel = (out, a, b) => accumulate(FLOAT32, out, a, b);

/**
 * Fewest multiply-adds (m*k*n) for which the WebAssembly kernel beats the TypeScript one; below, the call
 * and the copies cost more than SIMD saves (b is copied whole and, with one row, used once). Measured with
 * `node dist/scripts/bench-kernel.js --small` (AMD EPYC, Node 20, busy machine; TS time / wasm time, best
 * of interleaved samples, two runs): float64 [8,32]x[32,32] (8192) 0.7x; (16384) [1,128]x[128,128] 1.35x
 * but [4,64]x[64,64] 0.8x; [16,32]x[32,64] (32768) 1.2-1.6x. float32 [1,5]x[5,20] (100) 0.45x,
 * [1,32]x[32,32] (1024) 2.8-3.1x.
 */
export const WASM_MIN_MULTIPLY_ADDS = { float64: 32768, float32: 1024 } as const;

/** `kernel` for products of at least `minMultiplyAdds` multiply-adds, `reference` below (same result). */
function aboveSize(kernel: MatmulKernel, reference: MatmulKernel, minMultiplyAdds: number): MatmulKernel {
  return (out, a, b) => (a.rows * a.cols * b.cols >= minMultiplyAdds ? kernel : reference)(out, a, b);
}

/**
 * What arithmeticFor(..., 'wasm') runs in float64: wasmMatmulAccumulate from WASM_MIN_MULTIPLY_ADDS.float64
 * multiply-adds up, matmulAccumulate below. Bit-identical to matmulAccumulate either way.
 */
export const preferWasmMatmulAccumulate: MatmulKernel = aboveSize(wasmMatmulAccumulate, matmulAccumulate, WASM_MIN_MULTIPLY_ADDS.float64);

/** The float32 twin of preferWasmMatmulAccumulate (threshold WASM_MIN_MULTIPLY_ADDS.float32). */
export const preferWasmMatmulAccumulateFloat32: MatmulKernel = aboveSize(wasmMatmulAccumulateFloat32, matmulAccumulateFloat32, WASM_MIN_MULTIPLY_ADDS.float32);
