/**
 * Our activation names -> what tfjs-layers looks up (its registered class names). Where tfjs has no such
 * activation, or defines it otherwise than Keras 3, the name is one of our registered custom activations
 * (./custom-tfjs.ts, src/model/layers/), so the layer path computes what Keras computes.
 *
 * Measured on the cpu backend against Keras's float64 values at x = linspace(-6, 6, 49)
 * (test/layers/activations-tfjs.test.ts): every name is within 1.2e-7 relative + 1e-7 absolute of Keras
 * (float32 rounding, and the cancellations Keras's float32 shares: squareplus, tanh_shrink), except gelu,
 * 3.5e-7 absolute at x = 4.25 (below).
 */
import { ConfigError } from '../../errors';
import { HARD_SIGMOID_KERAS3 } from '../../model/layers';
import { CUSTOM_TFJS_ACTIVATIONS } from './custom-tfjs';

const BUILT_IN: Readonly<Record<string, string>> = {
  linear: 'linear',
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'sigmoid',
  // Parity note: tfjs's elu and selu kernels compute exp(x) - 1 where TF uses expm1: the same function, with
  // an absolute error of about 1e-7 (float32 ulp of 1) near x = 0 instead of a relative one.
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  relu6: 'relu6',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  // tfjs's swish is x * sigmoid(1 * x), Keras 3's silu (swish is its alias).
  silu: 'swish',
  swish: 'swish',
  // Parity note: tfjs's gelu is x * 0.5 * (1 + erf(x / sqrt(2))), Keras's string 'gelu' (approximate=False)
  // is 0.5 * x * erfc(-x / sqrt(2)): the same function, but tfjs's erf is Abramowitz-Stegun 7.1.26 (absolute
  // error up to 1.5e-7), so tfjs's gelu is off by up to about 0.5 * |x| * 1.5e-7 absolute (3.5e-7 measured
  // at x = 4.25, 0.7 float32 ulp there), and in the far negative tail 1 + erf rounds to 0 (0 where Keras's
  // float64 gives -5.9e-9 at x = -6). Well inside the tool's atol (2e-6), so the built-in is used.
  gelu: 'gelu',
  // tfjs's mish is x * tanh(softplus(x)), as Keras's.
  mish: 'mish',
  // Parity note: tfjs's 'hardSigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3's is relu6(x + 3) / 6.
  hard_sigmoid_tfjs: 'hardSigmoid',
  hard_sigmoid: HARD_SIGMOID_KERAS3,
};

const TFJS_NAMES: Readonly<Record<string, string>> = {
  ...BUILT_IN,
  ...CUSTOM_TFJS_ACTIVATIONS,
  hard_swish: CUSTOM_TFJS_ACTIVATIONS.hard_silu,
};

/** Every name of ours the layer path implements. */
export function tfjsActivationNames(): string[] {
  return Object.keys(TFJS_NAMES).sort();
}

/**
 * The tfjs activation identifier for one of our names.
 * @throws ConfigError when the layer path has no implementation of it.
 */
export function tfjsActivation(name: string): string {
  if (Object.hasOwn(TFJS_NAMES, name)) return TFJS_NAMES[name];
  throw new ConfigError(`activation: expected one the tfjs layer path implements (${tfjsActivationNames().join(', ')}), got ${JSON.stringify(name)}`);
}
