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
export function activationFunction(name: Activation): ScalarFunction {
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
export function recurrentActivationFunction(name: RecurrentActivation): ScalarFunction {
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
