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
      throw new ConfigError(
        `recurrentActivation: expected one of ${RECURRENT_ACTIVATIONS.join(', ')}, got ${JSON.stringify(name)}`,
      );
  }
}

/**
 * Every elementwise activation the hand path knows, by Keras 3's name (plus 'hard_sigmoid_tfjs', tfjs's
 * own hard sigmoid). Keyed by the names in layer configs; src/layers/activations maps them to tfjs.
 * Formulas follow Keras 3 (keras/src/activations/activations.py and its TensorFlow backend ops).
 */
export const ELEMENTWISE: Readonly<Record<string, ScalarFunction>> = {
  linear,
  tanh,
  relu,
  sigmoid,
  hard_sigmoid: hardSigmoidKeras,
  hard_sigmoid_tfjs: hardSigmoidTfjs,
  /** x for x > 0, exp(x) - 1 otherwise (alpha 1). */
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  /** scale * elu(x, alpha), Keras's constants. */
  selu: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)),
  /** log(1 + exp(x)), computed without overflow. */
  softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  softsign: (x) => x / (1 + Math.abs(x)),
  /** x * sigmoid(x); Keras 3 calls it silu, swish is its alias. */
  silu: (x) => x * sigmoid(x),
  swish: (x) => x * sigmoid(x),
  relu6: (x) => (x < 0 ? 0 : x > 6 ? 6 : x),
  exponential: (x) => Math.exp(x),
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

/** Activations over the last axis, by Keras 3's name. */
export const ROWWISE: Readonly<Record<string, RowFunction>> = {
  softmax: softmaxRow,
  log_softmax: logSoftmaxRow,
};

/** Every activation name a layer config may hold (Keras 3's names, plus 'hard_sigmoid_tfjs'). */
export function knownActivationNames(): string[] {
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
