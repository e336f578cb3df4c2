/**
 * Our activation names -> what tfjs-layers looks up (its registered class names). Where tfjs has no such
 * activation, or defines it otherwise than Keras 3, the name is one of our registered custom activations
 * (src/model/layers/), so the layer path computes what Keras computes.
 */
import { ConfigError } from '../../errors';
import { HARD_SIGMOID_KERAS3 } from '../../model/layers';

const TFJS_NAMES: Readonly<Record<string, string>> = {
  linear: 'linear',
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'sigmoid',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  relu6: 'relu6',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  silu: 'swish',
  swish: 'swish',
  // Parity note: tfjs's 'hardSigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3's is relu6(x + 3) / 6.
  hard_sigmoid_tfjs: 'hardSigmoid',
  hard_sigmoid: HARD_SIGMOID_KERAS3,
};

/**
 * The tfjs activation identifier for one of our names.
 * @throws ConfigError when the layer path has no implementation of it.
 */
export function tfjsActivation(name: string): string {
  if (Object.hasOwn(TFJS_NAMES, name)) return TFJS_NAMES[name];
  throw new ConfigError(`activation: expected one the tfjs layer path implements (${Object.keys(TFJS_NAMES).join(', ')}), got ${JSON.stringify(name)}`);
}
