/**
 * Scalar activations, in float64. Callers round the result in float32 mode (one activation = one operation).
 *
 * Two hard sigmoids exist and differ by up to 0.083 (at |x| = 2.5), so they are named apart:
 *   Keras 3:  hard_sigmoid(x) = relu6(x + 3) / 6        (slope 1/6, saturates at |x| >= 3)
 *   tfjs:     hardSigmoid(x)  = clip(0.2x + 0.5, 0, 1)  (slope 0.2, saturates at |x| >= 2.5; Keras 2's formula)
 */
import { ConfigError } from '../errors';
import { ACTIVATIONS, Activation, RECURRENT_ACTIVATIONS, RecurrentActivation } from '../spec';

export type ScalarFunction = (x: number) => number;

/** tanh(x). */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/** max(x, 0); NaN stays NaN. */
export function relu(x: number): number {
  return x < 0 ? 0 : x;
}

/**
 * 1 / (1 + exp(-x)).
 * Parity note: tfjs's CPU sigmoid kernel and Keras (tf.nn.sigmoid) compute this same logistic function.
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** x (Keras 'linear'). */
export function linear(x: number): number {
  return x;
}

/**
 * Keras 3's hard_sigmoid: relu6(x + 3) / 6 = clip(x + 3, 0, 6) / 6; NaN stays NaN.
 * Parity note: keras.activations.hard_sigmoid in Keras 3 (ops.hard_sigmoid), not Keras 2's 0.2x + 0.5.
 */
export function hardSigmoidKeras(x: number): number {
  const y = x + 3;
  return (y < 0 ? 0 : y > 6 ? 6 : y) / 6;
}

/**
 * tfjs's hardSigmoid: clip(0.2x + 0.5, 0, 1); NaN stays NaN.
 * Parity note: tfjs-layers K.hardSigmoid, the default recurrentActivation of tfjs's LSTM and GRU.
 */
export function hardSigmoidTfjs(x: number): number {
  const y = 0.2 * x + 0.5;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/**
 * The function for a layer's `activation`.
 * @throws ConfigError for a name outside ACTIVATIONS (e.g. from a hand-written weights file).
 */
export function activationFunction(name: Activation | string): ScalarFunction {
  const extra = Object.hasOwn(ELEMENTWISE, name) ? ELEMENTWISE[name] : undefined;
  if (extra !== undefined && !(ACTIVATIONS as readonly string[]).includes(name)) return extra;
  switch (name) {
    case 'tanh':
      return tanh;
    case 'relu':
      return relu;
    case 'sigmoid':
      return sigmoid;
    case 'linear':
      return linear;
    default:
      throw new ConfigError(`activation: expected one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(name)}`);
  }
}

/**
 * The function for a layer's `recurrentActivation` (LSTM and GRU gates).
 * @throws ConfigError for a name outside RECURRENT_ACTIVATIONS.
 */
export function recurrentActivationFunction(name: RecurrentActivation | string): ScalarFunction {
  const extra = Object.hasOwn(ELEMENTWISE, name) ? ELEMENTWISE[name] : undefined;
  if (extra !== undefined && !(RECURRENT_ACTIVATIONS as readonly string[]).includes(name)) return extra;
  switch (name) {
    case 'sigmoid':
      return sigmoid;
    case 'hard_sigmoid':
      return hardSigmoidKeras;
    case 'hard_sigmoid_tfjs':
      return hardSigmoidTfjs;
    default:
      throw new ConfigError(`recurrentActivation: expected one of ${RECURRENT_ACTIVATIONS.join(', ')}, got ${JSON.stringify(name)}`);
  }
}

/** log(1 + exp(x)), computed without overflow. Parity note: TF's softplus kernel is also exact to a few ulp in float64. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * erfc(z) = 1 - erf(z) in float64 (JavaScript has no erf), with relative error about 1e-15:
 *   |z| < 2:  erf by its series of positive terms, erf(z) = 2/sqrt(pi) exp(-z^2) sum_n 2^n z^(2n+1) / (1*3*...*(2n+1))
 *             (no cancellation), then 1 - erf(z) (loses at most log10(1/erfc(2)) = 2.3 digits: about 5e-14);
 *   z >= 2:   the continued fraction erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))),
 *             evaluated by the modified Lentz method;
 *   z < 0:    erfc(z) = 2 - erfc(-z).
 * Checked against Keras's float64 gelu (tf.math.erfc) in test/layers/activations.test.ts.
 */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc(-z);
  if (z < 2) return 1 - erfSeries(z);
  if (z > 27.3) return 0; // erfc(27.3) < 2^-1074: underflows
  const tiny = 1e-300;
  // Lentz: f = b0 + a1/(b1 + a2/(b2 + ...)), b_j = z, a_j = (j - 1)/2 for j >= 2, a_1 = 1.
  let f = z;
  let c = z;
  let d = 0;
  for (let j = 1; j < 5000; j++) {
    const a = j / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** erf(z) for 0 <= z < 2 by the series of positive terms (see erfc). */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
}

/**
 * x where x > 0, exp(x) - 1 otherwise (alpha 1).
 * Parity note: TF's Elu kernel uses expm1; tfjs's cpu kernel computes Math.exp(x) - 1, which loses relative
 * precision near 0 (absolute error about 1e-7 in float32): a difference of rounding, not of function.
 */
function elu(x: number): number {
  return x > 0 ? x : Math.expm1(x);
}

/** Keras's (and TF's) SELU constants: scale and alpha of Klambauer et al. 2017. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/**
 * Keras 3's leaky_relu slope by name: negative_slope = 0.2.
 * Parity note: TF's LeakyRelu takes alpha as a float32 attribute, so even in float64 Keras multiplies by
 * float32(0.2) = 0.20000000298023224 (Keras's float64 table shows -6 -> -1.2000000178813934).
 */
export const LEAKY_RELU_SLOPE = Math.fround(0.2);

/** 1/sqrt(2) as tf.nn.gelu uses it: rounded to float32 (see ELEMENTWISE.gelu). */
export const GELU_RSQRT2 = Math.fround(0.7071067811865476);

/** Keras 3's soft_shrink and hard_shrink threshold by name. */
export const SHRINK_THRESHOLD = 0.5;

/**
 * Every elementwise activation the hand path knows, by Keras 3's name (plus 'hard_sigmoid_tfjs', tfjs's
 * own hard sigmoid). Keyed by the names in layer configs; src/layers/activations maps them to tfjs.
 * Formulas and defaults follow Keras 3.15 with the TensorFlow backend (keras/src/activations/activations.py,
 * keras/src/backend/tensorflow/nn.py), in float64, in the same operation order where rounding could differ.
 * Not here: glu (halves the last axis) and threshold (needs arguments a name cannot carry); see
 * src/layers/activations/names.ts.
 */
export const ELEMENTWISE: Readonly<Record<string, ScalarFunction>> = {
  linear,
  tanh,
  relu,
  sigmoid,
  hard_sigmoid: hardSigmoidKeras,
  hard_sigmoid_tfjs: hardSigmoidTfjs,
  elu,
  /** scale * elu(x, alpha), Keras's constants (tf.nn.selu). */
  selu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
  softplus,
  /** x / (1 + |x|) (tf.nn.softsign). */
  softsign: (x) => x / (1 + Math.abs(x)),
  /** x * sigmoid(x) (tf.nn.silu); Keras 3 calls it silu, swish is its alias. */
  silu: (x) => x * sigmoid(x),
  swish: (x) => x * sigmoid(x),
  /** min(max(x, 0), 6). */
  relu6: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
  exponential: (x) => Math.exp(x),
  /**
   * Keras's string 'gelu' is approximate=False: 0.5 * x * erfc(-x / sqrt(2)) (tf.nn.gelu, erfc form).
   * Parity note: tf.nn.gelu writes math_ops.cast(0.7071067811865476, dtype), which makes a float32 constant
   * first, so even float64 Keras multiplies by float32(1/sqrt(2)) = 0.7071067690849304; with the exact
   * constant Keras's float64 table differs by up to 6.3e-7 relative at x = -6.
   */
  gelu: (x) => 0.5 * x * erfc(-x * GELU_RSQRT2),
  /** x * hard_sigmoid(x) = x * relu6(x + 3) / 6; hard_swish is its alias. */
  hard_silu: (x) => x * hardSigmoidKeras(x),
  hard_swish: (x) => x * hardSigmoidKeras(x),
  /** x for x >= 0, 0.2x otherwise (float32 slope, see LEAKY_RELU_SLOPE). */
  leaky_relu: (x) => (x < 0 ? LEAKY_RELU_SLOPE * x : x),
  /** x * tanh(softplus(x)). */
  mish: (x) => x * Math.tanh(softplus(x)),
  /** log(sigmoid(x)) = -softplus(-x) (tf.math.log_sigmoid). */
  log_sigmoid: (x) => -softplus(-x),
  /** max(x, 0) + expm1(min(x, 0)) (alpha 1: Keras's alpha * expm1(min(x, 0) / alpha) is the same). */
  celu: (x) => Math.max(x, 0) + Math.expm1(Math.min(x, 0)),
  /** 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1. */
  sparse_plus: (x) => (x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x),
  /** 0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1. */
  sparse_sigmoid: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
  /**
   * (x + sqrt(x^2 + b)) / 2 with b = 4.
   * Parity note: Keras computes it as written (cancellation for large negative x); so do we.
   */
  squareplus: (x) => (x + Math.sqrt(x * x + 4)) / 2,
  /** x - 0.5 for x > 0.5, x + 0.5 for x < -0.5, 0 otherwise. */
  soft_shrink: (x) => (x > SHRINK_THRESHOLD ? x - SHRINK_THRESHOLD : x < -SHRINK_THRESHOLD ? x + SHRINK_THRESHOLD : 0),
  /** x where |x| > 0.5, 0 otherwise. */
  hard_shrink: (x) => (Math.abs(x) > SHRINK_THRESHOLD ? x : 0),
  /** x - tanh(x). */
  tanh_shrink: (x) => x - Math.tanh(x),
  /** clip(x, -1, 1); NaN stays NaN. */
  hard_tanh: (x) => (x < -1 ? -1 : x > 1 ? 1 : x),
};

/** A row activation (softmax and kin) works along the last axis: row = data[offset, offset + length). */
export type RowFunction = (data: Float64Array | Float32Array, offset: number, length: number, round: (x: number) => number) => void;

/**
 * softmax over one row, in place: exp(x - max) / sum.
 * Parity note: Keras (tf.nn.softmax) and tfjs both subtract the row's max before exp.
 */
export function softmaxRow(data: Float64Array | Float32Array, offset: number, length: number, round: (x: number) => number): void {
  let max = -Infinity;
  for (let j = 0; j < length; j++) max = Math.max(max, data[offset + j]);
  let sum = 0;
  for (let j = 0; j < length; j++) {
    const e = round(Math.exp(round(data[offset + j] - max)));
    data[offset + j] = e;
    sum = round(sum + e);
  }
  for (let j = 0; j < length; j++) data[offset + j] = round(data[offset + j] / sum);
}

/** log_softmax over one row, in place: (x - max) - log(sum(exp(x - max))). */
export function logSoftmaxRow(data: Float64Array | Float32Array, offset: number, length: number, round: (x: number) => number): void {
  let max = -Infinity;
  for (let j = 0; j < length; j++) max = Math.max(max, data[offset + j]);
  let sum = 0;
  for (let j = 0; j < length; j++) sum = round(sum + round(Math.exp(round(data[offset + j] - max))));
  const logSum = round(Math.log(sum));
  for (let j = 0; j < length; j++) data[offset + j] = round(round(data[offset + j] - max) - logSum);
}

/**
 * sparsemax over one row, in place, as Keras 3.15 computes it (keras/src/backend/tensorflow/nn.py):
 *   z = the row sorted descending, cumsum_k = z_1 + ... + z_k,
 *   support_k = z_k - (cumsum_k - 1) / k > 0, K = the number of k in the support,
 *   tau = (sum of cumsum_k over the support - 1) / K,  y = max(x - tau, 0).
 * Parity note: Martins & Astudillo 2016 define tau = (cumsum_K - 1) / K; Keras sums the cumulative sums over
 * the support instead, so the two agree only when the support has one element (x = [0.1, 0.2, 0.3, 0.4]:
 * the paper gives [0.1, 0.2, 0.3, 0.4], Keras all zeros). We compute what Keras computes.
 */
function sparsemaxRow(data: Float64Array | Float32Array, offset: number, length: number, round: (x: number) => number): void {
  const sorted = Array.from(data.subarray(offset, offset + length)).sort((a, b) => b - a);
  let cumsum = 0;
  let supportSum = 0;
  let k = 0;
  for (let j = 0; j < length; j++) {
    cumsum = round(cumsum + sorted[j]);
    if (round(sorted[j] - round(round(cumsum - 1) / (j + 1))) > 0) {
      supportSum = round(supportSum + cumsum);
      k++;
    }
  }
  const tau = round(round(supportSum - 1) / k);
  for (let j = 0; j < length; j++) data[offset + j] = Math.max(round(data[offset + j] - tau), 0);
}

/** Activations over the last axis, by Keras 3's name. */
export const ROWWISE: Readonly<Record<string, RowFunction>> = {
  softmax: softmaxRow,
  log_softmax: logSoftmaxRow,
  sparsemax: sparsemaxRow,
};

/** Every activation name a layer config may hold (Keras 3's names, plus 'hard_sigmoid_tfjs'). */
function knownActivationNames(): string[] {
  return [...Object.keys(ELEMENTWISE), ...Object.keys(ROWWISE)].sort();
}

/**
 * Applies the activation `name` in place to `data` whose last axis has `lastDim` entries.
 * @throws ConfigError for a name in neither table.
 */
export function applyActivation(name: string, data: Float64Array | Float32Array, lastDim: number, round: (x: number) => number): void {
  if (name === 'linear') return;
  if (Object.hasOwn(ELEMENTWISE, name)) {
    const f = ELEMENTWISE[name];
    for (let i = 0; i < data.length; i++) data[i] = round(f(data[i]));
    return;
  }
  if (Object.hasOwn(ROWWISE, name)) {
    const f = ROWWISE[name];
    for (let offset = 0; offset < data.length; offset += lastDim) f(data, offset, lastDim, round);
    return;
  }
  throw new ConfigError(`activation: expected one of ${knownActivationNames().join(', ')}, got ${JSON.stringify(name)}`);
}
