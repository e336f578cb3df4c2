/**
 * Keras 3 activations that tfjs-layers 4.22 lacks, as registered tfjs activation classes, so that the
 * built-in tf.layers.dense / activation / lstm / gru accept them by name (the typed option lists only tfjs's
 * own names, hence a cast at the call sites). How tfjs finds them: see src/model/layers/hard-sigmoid-keras3.ts.
 *
 * Class names are lowerCamelCase with the suffix 'Keras' (CUSTOM_TFJS_SUFFIX): tfjs saves 'leakyReluKeras'
 * as 'leaky_relu_keras' in model.json and camel-cases it back on load; src/layers/activations/names.ts maps
 * the saved name back to ours. Each computes Keras's TensorFlow-backend formula in float32, in the same
 * operation order (keras/src/backend/tensorflow/nn.py), so the roundings match as far as the kernels do.
 * Importing this module registers them.
 */
import * as tf from '@tensorflow/tfjs';
import { CUSTOM_TFJS_SUFFIX } from './names';

type Apply = (x: tf.Tensor) => tf.Tensor;

/** Our name -> the registered tfjs class name, for every activation defined here. */
export const CUSTOM_TFJS_ACTIVATIONS: Record<string, string> = {};

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Registers `apply` as a tfjs activation class named lowerCamel(name) + 'Keras'. */
function registerActivation(name: string, apply: Apply): void {
  const className = `${lowerCamel(name)}${CUSTOM_TFJS_SUFFIX}`;
  class KerasActivation extends tf.serialization.Serializable {
    /** @nocollapse */
    static readonly className = className;

    /** x: any shape -> same shape. */
    apply(x: tf.Tensor): tf.Tensor {
      return tf.tidy(() => apply(x));
    }

    override getConfig(): tf.serialization.ConfigDict {
      return {};
    }
  }
  tf.serialization.registerClass(KerasActivation);
  CUSTOM_TFJS_ACTIVATIONS[name] = className;
}

const zeros = (x: tf.Tensor): tf.Tensor => tf.zerosLike(x);

// Parity note: Keras's leaky_relu is tf.nn.leaky_relu(x, alpha=0.2), alpha a float32 attribute; tfjs's
// leakyRelu kernel multiplies by the double 0.2 and rounds to float32 (0.2 and float32(0.2) differ by 1.5e-8
// relative, under half an ulp). tfjs-layers has a LeakyReLU layer but no 'leakyRelu' activation name.
registerActivation('leaky_relu', (x) => tf.leakyRelu(x, 0.2));
// x * (relu6(x + 3) / 6): Keras 3's hard_silu = x * hard_sigmoid(x).
registerActivation('hard_silu', (x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
registerActivation('exponential', (x) => tf.exp(x));
// -softplus(-x), as TF's tf.math.log_sigmoid. Parity note: tfjs's own tf.logSigmoid computes the same value,
// but its customGrad gradient reads the pre-activation from a closure, which a layer's tidy has disposed by the
// time backpropagation runs ("Cannot read properties of undefined (reading 'backend')"); softplus and neg carry
// registered gradients.
registerActivation('log_sigmoid', (x) => tf.neg(tf.softplus(tf.neg(x))));
// max(x, 0) + alpha * expm1(min(x, 0) / alpha), alpha = 1 (multiplying and dividing by 1 are exact).
registerActivation('celu', (x) => tf.add(tf.maximum(x, 0), tf.expm1(tf.minimum(x, 0))));
registerActivation('sparse_plus', (x) => tf.where(tf.lessEqual(x, -1), zeros(x), tf.where(tf.less(x, 1), tf.mul(0.25, tf.square(tf.add(x, 1))), x)));
registerActivation('sparse_sigmoid', (x) =>
  tf.where(tf.lessEqual(x, -1), zeros(x), tf.where(tf.greaterEqual(x, 1), tf.onesLike(x), tf.mul(0.5, tf.add(x, 1)))),
);
// (x + sqrt(x^2 + b)) / 2, b = 4.
registerActivation('squareplus', (x) => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), 4))), 2));
registerActivation('soft_shrink', (x) => tf.where(tf.greater(x, 0.5), tf.sub(x, 0.5), tf.where(tf.less(x, -0.5), tf.add(x, 0.5), zeros(x))));
registerActivation('hard_shrink', (x) => tf.where(tf.greater(tf.abs(x), 0.5), x, zeros(x)));
registerActivation('tanh_shrink', (x) => tf.sub(x, tf.tanh(x)));
registerActivation('hard_tanh', (x) => tf.clipByValue(x, -1, 1));

/**
 * sparsemax along the last axis, Keras 3.15's formula (see sparsemaxRow in src/hand/activations.ts for the
 * difference from Martins & Astudillo's tau).
 * x: [..., n] -> [..., n]
 */
registerActivation('sparsemax', (x) => {
  const axis = x.rank - 1;
  const n = x.shape[axis];
  // [..., n], descending along the last axis
  const sorted = tf.topk(x, n, true).values;
  const cumsum = tf.cumsum(sorted, axis);
  // [n]: 1, 2, ..., n, broadcast over the leading axes
  const r = tf.range(1, n + 1, 1, 'float32');
  const support = tf.greater(tf.sub(sorted, tf.div(tf.sub(cumsum, 1), r)), 0);
  const cumsumSafe = tf.where(support, cumsum, zeros(cumsum));
  // [..., 1]
  const k = tf.sum(tf.cast(support, 'float32'), axis, true);
  const tau = tf.div(tf.sub(tf.sum(cumsumSafe, axis, true), 1), k);
  return tf.maximum(tf.sub(x, tau), 0);
});
