/**
 * Derivatives of the activations in ./activations.ts, for the hand path's backward pass, in float64.
 * Callers round the result in float32 mode (one derivative = one operation).
 *
 * Each is d f(x) / dx as a function of the pre-activation x. At a kink the value is the one TensorFlow's
 * gradient gives (what Keras trains with): relu'(0) = 0 (ReluGrad passes where x > 0), relu6'(0) =
 * relu6'(6) = 0 (Relu6Grad passes where 0 < x < 6), so hard_sigmoid'(-3) = hard_sigmoid'(3) = 0.
 * Parity note: tfjs 4.22's relu6 gradient passes at x = 6 as well (x <= 6), so at x = 3 exactly tfjs's
 * hard_sigmoid'(3) is 1/6 where TF's is 0 (measured; ../../docs and the gradient check name it).
 */
import { ConfigError } from '../errors';
import { hardSigmoidTfjs, sigmoid, type ScalarFunction } from './activations';

/** d/dx of every elementwise activation by its Keras 3 name (the keys of ELEMENTWISE). */
export const ELEMENTWISE_DERIVATIVES: Readonly<Record<string, ScalarFunction>> = {
  linear: () => 1,
  tanh: (x) => {
    const t = Math.tanh(x);
    return 1 - t * t;
  },
  relu: (x) => (x > 0 ? 1 : 0),
  sigmoid: (x) => {
    const s = sigmoid(x);
    return s * (1 - s);
  },
  /** relu6(x + 3) / 6: 1/6 where -3 < x < 3. */
  hard_sigmoid: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  /** clip(0.2x + 0.5, 0, 1): 0.2 where the clip does not bind (tfjs's hardSigmoid gradient). */
  hard_sigmoid_tfjs: (x) => {
    const y = hardSigmoidTfjs(x);
    return y > 0 && y < 1 ? 0.2 : 0;
  },
};

/**
 * The derivative of the elementwise activation `name`.
 * @throws ConfigError for a name without one.
 */
export function elementwiseDerivative(name: string): ScalarFunction {
  if (Object.hasOwn(ELEMENTWISE_DERIVATIVES, name)) return ELEMENTWISE_DERIVATIVES[name];
  throw new ConfigError(`activation: no derivative for ${JSON.stringify(name)} (known: ${Object.keys(ELEMENTWISE_DERIVATIVES).sort().join(', ')})`);
}
