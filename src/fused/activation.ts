/**
 * A fused layer's activations: the forward is the tfjs-layers activation object itself (the same one the stock
 * layer's cell holds, so the same kernels run), and the backward needs f'(pre) for a whole block of steps at
 * once. tanh, sigmoid, linear and relu get theirs in closed form, written as tfjs's own gradients write them
 * (Tanh: 1 - y^2, Sigmoid: y * (1 - y), Relu: step(x)), so dy * f' rounds as the stock layer's autodiff does.
 * Every other activation (hardSigmoid, elu, gelu, the custom Keras ones, ...) gets tfjs's own gradient through
 * tf.grad, run once over all steps in the backward pass.
 */
import * as tf from '@tensorflow/tfjs';

/** What tfjs-layers' activations offer (its Activation class is not exported). */
export interface LayerActivation {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

export interface FusedActivation {
  /** tfjs's class name: 'tanh', 'sigmoid', 'hardSigmoid', 'hardSigmoidKeras3', ... */
  readonly name: string;
  /** x: any shape -> same shape. */
  apply(x: tf.Tensor): tf.Tensor;
  /** Whether derivative() reads `pre` (false: it reads only `post`, so the forward need not keep `pre`). */
  readonly needsPre: boolean;
  /** f'(pre) elementwise, from the pre-activation and f(pre); shapes equal. */
  derivative(pre: tf.Tensor | null, post: tf.Tensor): tf.Tensor;
}

type Derivative = (pre: tf.Tensor | null, post: tf.Tensor) => tf.Tensor;

const CLOSED_FORM: Readonly<Record<string, { needsPre: boolean; derivative: Derivative }>> = {
  linear: { needsPre: false, derivative: (_pre, post) => tf.onesLike(post) },
  // tfjs's Tanh gradient: dy * (1 - y^2)
  tanh: { needsPre: false, derivative: (_pre, post) => tf.sub(1, tf.square(post)) },
  // tfjs's Sigmoid gradient: dy * (y * (1 - y))
  sigmoid: { needsPre: false, derivative: (_pre, post) => tf.mul(post, tf.sub(1, post)) },
  // tfjs's Relu gradient: dy * step(x), step(0) = 0 (TF's too)
  relu: { needsPre: true, derivative: (pre) => tf.cast(tf.greater(pre as tf.Tensor, 0), 'float32') },
};

/**
 * f'(x) through tfjs's registered gradients, for any elementwise f: the vector-Jacobian product with ones.
 * Parity note: tfjs 4.22's engine keeps one tape; a tf.grad called while another gradient is being
 * backpropagated (we are inside a customGrad's gradFunc) replaces the outer tape with its own and sets it to
 * null when done, and the outer backprop then fails ("Cannot read properties of null (reading 'forEach')",
 * measured). The outer tape is put back afterwards; the inner one only held this call's nodes.
 */
function gradientOf(apply: (x: tf.Tensor) => tf.Tensor, pre: tf.Tensor): tf.Tensor {
  const state = tf.engine().state;
  const outerTape = state.activeTape;
  try {
    return tf.grad((x: tf.Tensor) => apply(x))(pre);
  } finally {
    state.activeTape = outerTape;
  }
}

/** Wraps a tfjs-layers activation for the fused layers. */
export function fusedActivation(activation: LayerActivation): FusedActivation {
  const name = activation.getClassName();
  const apply = (x: tf.Tensor) => activation.apply(x);
  const closed = Object.hasOwn(CLOSED_FORM, name) ? CLOSED_FORM[name] : undefined;
  if (closed) return { name, apply, ...closed };
  return { name, apply, needsPre: true, derivative: (pre) => gradientOf(apply, pre as tf.Tensor) };
}
