/**
 * The two precisions of the hand path, as one Arithmetic object the cells share.
 *
 * float64 is the reference: plain JS doubles. float32 rounds the result of every operation to float32
 * (each product, each partial sum, each activation output, each gate product), so its distance from
 * float64 shows the float32 error floor a float32 framework cannot get below.
 *
 * The cell code is written once against Arithmetic. The hot matmul has a kernel per precision (so the
 * float64 one carries no rounding calls); the elementwise gate math calls `round`, which is the identity
 * in float64. Buffers are Float64Array or Float32Array to match, so each kernel sees one array type.
 *
 * The matmul kernel comes in two implementations with bit-identical results (issue 16): 'ts', the
 * TypeScript kernels of linalg.ts (the readable reference), and 'wasm', the WebAssembly SIMD kernels of
 * wasm/ (on the bench's medium and large products, float64 2.2-3.0x and float32 9-11x the GFLOP/s of 'ts':
 * `node dist/scripts/bench-kernel.js`). 'wasm' is the default where the engine has WebAssembly SIMD.
 */
import { BackendUnavailableError, ConfigError } from '../errors';
import { FloatBuffer, MatmulKernel, matmulAccumulate, matmulAccumulateFloat32 } from './linalg';
import {
  preferWasmMatmulAccumulate,
  preferWasmMatmulAccumulateFloat32,
  wasmKernelAvailable,
  wasmKernelUnavailableReason,
  wasmSimdSupported,
} from './wasm/wasm-matmul';

export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** The matmul kernel implementations: 'ts' (linalg.ts) and 'wasm' (wasm/wasm-matmul.ts), same results. */
export const KERNELS = ['ts', 'wasm'] as const;
export type KernelName = (typeof KERNELS)[number];

export interface Arithmetic {
  readonly precision: Precision;
  /** Rounds one scalar result: identity in float64, Math.fround in float32. */
  readonly round: (x: number) => number;
  /** A zero-filled buffer of this precision's array type. */
  readonly alloc: (length: number) => FloatBuffer;
  /**
   * `values` as this precision's array type: the same array when it already is one (never written to),
   * else a converted copy (float32 mode rounds each value).
   */
  readonly load: (values: Float32Array | Float64Array) => FloatBuffer;
  /** out += a x b, with this precision's rounding. */
  readonly matmulAccumulate: MatmulKernel;
}

function identity(x: number): number {
  return x;
}

const FLOAT64: Arithmetic = {
  precision: 'float64',
  round: identity,
  alloc: (length) => new Float64Array(length),
  load: (values) => (values instanceof Float64Array ? values : Float64Array.from(values)),
  matmulAccumulate,
};

const FLOAT32: Arithmetic = {
  precision: 'float32',
  round: Math.fround,
  alloc: (length) => new Float32Array(length),
  // Parity note: tfjs stores tensors as float32, so a float64 input is rounded to float32 on the way in.
  load: (values) => (values instanceof Float32Array ? values : Float32Array.from(values)),
  matmulAccumulate: matmulAccumulateFloat32,
};

/** The 'ts' kernel's Arithmetic: linalg.ts's kernels. */
const TYPESCRIPT: Record<Precision, Arithmetic> = { float64: FLOAT64, float32: FLOAT32 };

/**
 * The 'wasm' kernel's Arithmetic: the WebAssembly kernel for products big enough to gain from it
 * (WASM_MIN_MULTIPLY_ADDS), the TypeScript one below; the same bits either way.
 */
const WASM: Record<Precision, Arithmetic> = {
  float64: { ...FLOAT64, matmulAccumulate: preferWasmMatmulAccumulate },
  float32: { ...FLOAT32, matmulAccumulate: preferWasmMatmulAccumulateFloat32 },
};

/** Set by setDefaultKernel; undefined: the automatic choice. */
let defaultKernelOverride: KernelName | undefined;

/** @throws ConfigError when `kernel` is not one of KERNELS (e.g. a string from the CLI). */
function checkKernel(kernel: KernelName): void {
  if (!(KERNELS as readonly string[]).includes(kernel)) {
    throw new ConfigError(`kernel: expected one of ${KERNELS.join(', ')}, got ${JSON.stringify(kernel)}`);
  }
}

/**
 * The kernel arithmeticFor uses when none is named: setDefaultKernel's, else 'wasm' where the engine has
 * WebAssembly SIMD, else 'ts'. (Should the wasm module still fail to build, its kernels run the TS ones.)
 */
export function defaultKernel(): KernelName {
  return defaultKernelOverride ?? (wasmSimdSupported() ? 'wasm' : 'ts');
}

/**
 * Sets the kernel arithmeticFor uses when none is named, for this thread (worker threads keep their own);
 * undefined restores the automatic choice. For benches and tests that compare the kernels through
 * entry points taking no kernel (forwardHand).
 * @throws ConfigError for an unknown kernel name; BackendUnavailableError for 'wasm' where it cannot load.
 */
export function setDefaultKernel(kernel: KernelName | undefined): void {
  if (kernel !== undefined) arithmeticFor('float64', kernel);
  defaultKernelOverride = kernel;
}

/**
 * The Arithmetic for a precision name and a matmul kernel (both give the same results, bit for bit).
 * @param kernel 'ts' or 'wasm'; when left out, defaultKernel() ('wasm' where the engine has WebAssembly SIMD;
 *   the module is then built on the first product big enough to use it, not here)
 * @throws ConfigError when `precision` is not 'float64' or 'float32', or `kernel` not 'ts' or 'wasm'
 *   (e.g. a string from the CLI).
 * @throws BackendUnavailableError when `kernel` is 'wasm' and this engine cannot run it (no WebAssembly SIMD).
 */
export function arithmeticFor(precision: Precision, kernel?: KernelName): Arithmetic {
  if (!(PRECISIONS as readonly string[]).includes(precision)) {
    throw new ConfigError(`precision: expected one of ${PRECISIONS.join(', ')}, got ${JSON.stringify(precision)}`);
  }
  if (kernel === undefined) return (defaultKernel() === 'wasm' ? WASM : TYPESCRIPT)[precision];
  checkKernel(kernel);
  if (kernel === 'wasm' && !wasmKernelAvailable()) {
    throw new BackendUnavailableError(`kernel 'wasm': expected WebAssembly SIMD in this engine, got ${wasmKernelUnavailableReason()}`);
  }
  return (kernel === 'wasm' ? WASM : TYPESCRIPT)[precision];
}
