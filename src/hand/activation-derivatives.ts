/**
 * Derivatives of the activations in ./activations.ts, for the hand path's backward pass, in float64.
 * Callers round the result in float32 mode (one derivative = one operation).
 *
 * Each elementwise entry is d f(x) / dx as a function of the pre-activation x. At a kink the value is the one
 * TensorFlow's gradient gives (what Keras trains with), measured in float64 with tf.GradientTape
 * (models/keras-models/activation-gradients.json, scripts/keras-models/make_activation_gradients.py):
 *   relu'(0) = 0             ReluGrad passes where x > 0
 *   relu6'(0) = relu6'(6) = 0  Relu6Grad passes where 0 < x < 6, so hard_sigmoid'(+-3) = 0, hard_silu'(3) = 1
 *   leaky_relu'(0) = 0.2     LeakyReluGrad passes where x > 0 (float32 slope)
 *   elu'(0) = 1, selu'(0) = scale   EluGrad / SeluGrad take the negative branch only where x < 0
 *   celu'(0) = 2             tf.maximum's and tf.minimum's gradients both pass at a tie (x >= 0, x <= 0)
 *   hard_tanh'(+-1) = 1      tf.clip_by_value = minimum then maximum: both pass at the bound
 *   sparse_plus'(-1) = 0, sparse_plus'(1) = 1, sparse_sigmoid'(+-1) = 0, soft_shrink'(+-0.5) = hard_shrink'(+-0.5) = 0
 *                            tf.where takes the branch its condition picks at the kink
 *
 * Parity notes (tfjs 4.22's gradients, measured on its cpu backend through the layer path's activations):
 *   - tf.relu6's gradient passes at x = 6 (x <= 6), so tfjs's hard_sigmoid'(3) is 1/6 where TF's is 0, and
 *     hard_silu'(3) = 1.5 where TF's is 1 (tfjs's 'relu6' activation is minimum(6, relu(x)), 0 at 6 like TF).
 *   - tf.selu's gradient takes the negative branch at x = 0: scale * alpha = 1.7581 where TF's is scale = 1.0507.
 *   - The custom tfjs activations built on tf.where over a comparison (soft_shrink, hard_shrink, sparse_plus,
 *     sparse_sigmoid) have no gradient in tfjs ("gradient function not found for Less/Greater/LessEqual").
 *
 * Row activations (softmax, log_softmax, sparsemax) have a backward over one row instead: the vector-Jacobian
 * product dx = dy^T (dy/dx), computed from the row's pre-activation and dL/dy.
 */
import { ConfigError } from '../errors';
import {
  GELU_RSQRT2,
  LEAKY_RELU_SLOPE,
  SELU_ALPHA,
  SELU_SCALE,
  SHRINK_THRESHOLD,
  erfc,
  hardSigmoidKeras,
  hardSigmoidTfjs,
  logSoftmaxRow,
  sigmoid,
  softmaxRow,
  softplus,
  type RowFunction,
  type ScalarFunction,
} from './activations';
import type { FloatBuffer } from './linalg';

/** 2 / sqrt(pi): d erfc(z) / dz = -(2 / sqrt(pi)) exp(-z^2). */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** relu6(x + 3) / 6's slope: 1/6 strictly inside (-3, 3) (Relu6Grad's 0 < x + 3 < 6). */
function hardSigmoidKerasDerivative(x: number): number {
  return x > -3 && x < 3 ? 1 / 6 : 0;
}

function silu(x: number): number {
  // tf.nn.silu's own gradient: s * (1 + x * (1 - s)), s = sigmoid(x)
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
}

function hardSilu(x: number): number {
  // d/dx x * hard_sigmoid(x) = hard_sigmoid(x) + x * hard_sigmoid'(x)
  return hardSigmoidKeras(x) + x * hardSigmoidKerasDerivative(x);
}

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
  hard_sigmoid: hardSigmoidKerasDerivative,
  /** clip(0.2x + 0.5, 0, 1): 0.2 where the clip does not bind (tfjs's hardSigmoid gradient). */
  hard_sigmoid_tfjs: (x) => {
    const y = hardSigmoidTfjs(x);
    return y > 0 && y < 1 ? 0.2 : 0;
  },
  /** 1 for x > 0, exp(x) otherwise (EluGrad: the negative branch y + 1 only where x < 0; both give 1 at 0). */
  elu: (x) => (x > 0 ? 1 : Math.exp(x)),
  /** scale for x >= 0 (SeluGrad's positive branch at 0), scale * alpha * exp(x) for x < 0. */
  selu: (x) => (x >= 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
  /** sigmoid(x) (SoftplusGrad). */
  softplus: (x) => sigmoid(x),
  /** 1 / (1 + |x|)^2 (SoftsignGrad). */
  softsign: (x) => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
  silu,
  swish: silu,
  /** 1 where 0 < x < 6 (Relu6Grad). */
  relu6: (x) => (x > 0 && x < 6 ? 1 : 0),
  exponential: (x) => Math.exp(x),
  /**
   * d/dx 0.5 x erfc(-c x) = 0.5 erfc(-c x) + 0.5 x c (2/sqrt(pi)) exp(-(c x)^2), with c = float32(1/sqrt(2))
   * as the forward uses it (GELU_RSQRT2): what TF's autodiff of tf.nn.gelu's erfc form gives.
   */
  gelu: (x) => {
    const z = -x * GELU_RSQRT2;
    return 0.5 * erfc(z) + 0.5 * x * GELU_RSQRT2 * TWO_OVER_SQRT_PI * Math.exp(-z * z);
  },
  hard_silu: hardSilu,
  hard_swish: hardSilu,
  /** 1 for x > 0, float32(0.2) otherwise (LeakyReluGrad: 0.2 at x = 0). */
  leaky_relu: (x) => (x > 0 ? 1 : LEAKY_RELU_SLOPE),
  /** d/dx x tanh(softplus(x)) = tanh(sp) + x (1 - tanh(sp)^2) sigmoid(x). */
  mish: (x) => {
    const t = Math.tanh(softplus(x));
    return t + x * (1 - t * t) * sigmoid(x);
  },
  /** d/dx -softplus(-x) = sigmoid(-x). */
  log_sigmoid: (x) => sigmoid(-x),
  /** max(x, 0)' + expm1(min(x, 0))': TF's maximum and minimum both pass at x = 0, so 2 there. */
  celu: (x) => (x >= 0 ? 1 : 0) + (x <= 0 ? Math.exp(x) : 0),
  /** 0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1 (the tf.where branches of the forward). */
  sparse_plus: (x) => (x <= -1 ? 0 : x < 1 ? 0.5 * (x + 1) : 1),
  /** 1/2 strictly inside (-1, 1), 0 elsewhere (the constant branches at +-1). */
  sparse_sigmoid: (x) => (x > -1 && x < 1 ? 0.5 : 0),
  /** (1 + x / sqrt(x^2 + 4)) / 2. */
  squareplus: (x) => (1 + x / Math.sqrt(x * x + 4)) / 2,
  /** 1 where |x| > 0.5 (the zero branch at +-0.5). */
  soft_shrink: (x) => (x > SHRINK_THRESHOLD || x < -SHRINK_THRESHOLD ? 1 : 0),
  /** 1 where |x| > 0.5. */
  hard_shrink: (x) => (Math.abs(x) > SHRINK_THRESHOLD ? 1 : 0),
  /** d/dx x - tanh(x) = tanh(x)^2. */
  tanh_shrink: (x) => {
    const t = Math.tanh(x);
    return t * t;
  },
  /** 1 for -1 <= x <= 1 (clip_by_value's minimum and maximum both pass at the bounds). */
  hard_tanh: (x) => (x >= -1 && x <= 1 ? 1 : 0),
};

/**
 * The derivative of the elementwise activation `name`.
 * @throws ConfigError for a name without one.
 */
export function elementwiseDerivative(name: string): ScalarFunction {
  if (Object.hasOwn(ELEMENTWISE_DERIVATIVES, name)) return ELEMENTWISE_DERIVATIVES[name];
  throw new ConfigError(`activation: no derivative for ${JSON.stringify(name)} (known: ${Object.keys(ELEMENTWISE_DERIVATIVES).sort().join(', ')})`);
}

/**
 * The backward of a row activation over one row: gradInput[offset, offset + length) from the row's
 * pre-activation x and dL/dy, both read at the same offset. Rounds every operation with `round`.
 */
type RowBackward = (
  preActivation: ArrayLike<number>,
  gradOutput: ArrayLike<number>,
  gradInput: FloatBuffer,
  offset: number,
  length: number,
  round: (x: number) => number,
) => void;

/** The row's forward output, recomputed in a scratch buffer of the row's length. */
function rowOutput(forward: RowFunction, x: ArrayLike<number>, offset: number, length: number, round: (x: number) => number): Float64Array {
  const y = new Float64Array(length);
  for (let j = 0; j < length; j++) y[j] = x[offset + j];
  forward(y, 0, length, round);
  return y;
}

/** softmax: dx = y * (dy - sum(dy * y)) (TF's SoftmaxGrad). */
const softmaxRowBackward: RowBackward = (x, dy, dx, offset, length, round) => {
  const y = rowOutput(softmaxRow, x, offset, length, round);
  let dot = 0;
  for (let j = 0; j < length; j++) dot = round(dot + round(dy[offset + j] * y[j]));
  for (let j = 0; j < length; j++) dx[offset + j] = round(y[j] * round(dy[offset + j] - dot));
};

/** log_softmax: dx = dy - exp(y) * sum(dy) (TF's LogSoftmaxGrad). */
const logSoftmaxRowBackward: RowBackward = (x, dy, dx, offset, length, round) => {
  const y = rowOutput(logSoftmaxRow, x, offset, length, round);
  let sum = 0;
  for (let j = 0; j < length; j++) sum = round(sum + dy[offset + j]);
  for (let j = 0; j < length; j++) dx[offset + j] = round(dy[offset + j] - round(round(Math.exp(y[j])) * sum));
};

/**
 * sparsemax as Keras 3.15 computes it (see sparsemaxRow): z = the row sorted descending (a stable sort: tied
 * logits keep their order, as tf.sort's top_k gives them), cumsum_k = z_1 + ... + z_k, S = the positions k
 * with z_k - (cumsum_k - 1) / k > 0, K = |S|, tau = (sum over S of cumsum_k - 1) / K, y = max(x - tau, 0).
 * TF differentiates that graph:
 *   dy_i/dx_m = [x_i - tau >= 0] (delta_im - dtau/dx_m)   (tf.maximum's gradient passes at a tie, x - tau = 0)
 *   dtau/dx_m = #{k in S : k >= p(m)} / K                (x_m sits at sorted position p(m); cumsum_k holds it for k >= p(m))
 * so dx_m = [x_m - tau >= 0] dy_m - dtau/dx_m * (sum of dy_i over the i that pass).
 */
export const sparsemaxRowBackward: RowBackward = (x, dy, dx, offset, length, round) => {
  // order[p] = the index of the p-th largest logit (Array.prototype.sort is stable)
  const order = Array.from({ length }, (_, j) => j).sort((a, b) => x[offset + b] - x[offset + a]);
  const inSupport = new Uint8Array(length);
  let cumsum = 0;
  let supportSum = 0;
  let k = 0;
  for (let p = 0; p < length; p++) {
    const z = x[offset + order[p]];
    cumsum = round(cumsum + z);
    if (round(z - round(round(cumsum - 1) / (p + 1))) > 0) {
      inSupport[p] = 1;
      supportSum = round(supportSum + cumsum);
      k++;
    }
  }
  const tau = round(round(supportSum - 1) / k);
  let passSum = 0;
  for (let j = 0; j < length; j++) if (round(x[offset + j] - tau) >= 0) passSum = round(passSum + dy[offset + j]);
  // from the last sorted position up: count = #{k in S : k >= p}
  let count = 0;
  for (let p = length - 1; p >= 0; p--) {
    count += inSupport[p];
    const m = order[p];
    const own = round(x[offset + m] - tau) >= 0 ? dy[offset + m] : 0;
    dx[offset + m] = round(own - round(round(count / k) * passSum));
  }
};

/** The backward of each row activation, by Keras 3's name (the keys of ROWWISE). */
export const ROWWISE_BACKWARD: Readonly<Record<string, RowBackward>> = {
  softmax: softmaxRowBackward,
  log_softmax: logSoftmaxRowBackward,
  sparsemax: sparsemaxRowBackward,
};

/**
 * dL/dx of the activation `name` applied to `preActivation` (the backward of applyActivation), as a new buffer.
 * Elementwise: dx = round(dy * round(f'(x))); row activations: the vector-Jacobian product over each row of
 * the last axis.
 * @param preActivation x: [..., lastDim]
 * @param gradOutput dL/dy: [..., lastDim], the shape of x
 * @param alloc the result's buffer (arith.alloc: a Float32Array in float32 mode); a Float64Array by default
 * @returns dL/dx: [..., lastDim]
 * @throws ConfigError for a name in neither table.
 */
export function activationBackward(
  name: string,
  preActivation: ArrayLike<number>,
  gradOutput: ArrayLike<number>,
  lastDim: number,
  round: (x: number) => number,
  alloc: (length: number) => FloatBuffer = (length) => new Float64Array(length),
): FloatBuffer {
  const dx = alloc(gradOutput.length);
  if (name === 'linear') {
    for (let i = 0; i < dx.length; i++) dx[i] = round(gradOutput[i]);
    return dx;
  }
  if (Object.hasOwn(ELEMENTWISE_DERIVATIVES, name)) {
    const derivative = ELEMENTWISE_DERIVATIVES[name];
    for (let i = 0; i < dx.length; i++) dx[i] = round(gradOutput[i] * round(derivative(preActivation[i])));
    return dx;
  }
  if (Object.hasOwn(ROWWISE_BACKWARD, name)) {
    const backward = ROWWISE_BACKWARD[name];
    for (let offset = 0; offset < dx.length; offset += lastDim) backward(preActivation, gradOutput, dx, offset, lastDim, round);
    return dx;
  }
  const known = [...Object.keys(ELEMENTWISE_DERIVATIVES), ...Object.keys(ROWWISE_BACKWARD)].sort();
  throw new ConfigError(`activation: no backward for ${JSON.stringify(name)} (known: ${known.join(', ')})`);
}
