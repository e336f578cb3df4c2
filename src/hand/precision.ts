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
 */
import { ConfigError } from '../errors';
import { FloatBuffer, MatmulKernel, matmulAccumulate, matmulAccumulateFloat32 } from './linalg';

export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];

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

/**
 * The Arithmetic for a precision name.
 * @throws ConfigError when `precision` is not 'float64' or 'float32' (e.g. a string from the CLI).
 */
export function arithmeticFor(precision: Precision): Arithmetic {
  if (precision === 'float64') return FLOAT64;
  if (precision === 'float32') return FLOAT32;
  throw new ConfigError(`precision: expected one of ${PRECISIONS.join(', ')}, got ${JSON.stringify(precision)}`);
}
