/**
 * The losses the gradient check differentiates, in plain TypeScript (float64), with their targets.
 * The model's loss is the sum over its outputs y_k of one of:
 *
 *   sum-squares            L = sum_i y_i^2                                              (no targets)
 *   mse                    L = mean_i (y_i - t_i)^2                                     Keras MeanSquaredError
 *   softmax-crossentropy   L = mean over rows of logsumexp(y_row) - y_row[t_row]        Keras SparseCategoricalCrossentropy(from_logits=True)
 *   binary-crossentropy    L = mean_i max(y_i, 0) - y_i t_i + log(1 + exp(-|y_i|))      Keras BinaryCrossentropy(from_logits=True)
 *
 * Rows are the last axis (a sequence output [batch, timeSteps, classes] has batch*timeSteps rows).
 * Keras's reductions (mean over the last axis, then "sum over batch size") give exactly these means.
 * The cross-entropies take logits: an output with softmax or sigmoid inside the model is a different
 * function (differentiate its logits layer instead, or use mse).
 *
 * Seeded targets for output k (what scripts/keras-models/make_gradients.py draws too), seed S:
 *   mse: np.random.seed(S + 1000 + k); randn(*shape)        (as float32, the dtype Keras computes in)
 *   softmax-crossentropy: np.random.seed(S + 1000 + k); randint(0, classes, shape[:-1])
 *   binary-crossentropy: np.random.seed(S + 1000 + k); randint(0, 2, shape)
 */
import { seededIntegers, seededNormal } from '../data/numpy-random';
import { ConfigError, ShapeError } from '../errors';
import { softplus } from '../hand/activations';
import { formatShape, sizeOf, type NdArray } from '../tensor';

export const LOSSES = ['sum-squares', 'mse', 'softmax-crossentropy', 'binary-crossentropy'] as const;
export type LossName = (typeof LOSSES)[number];

/** The seed offset of output k's targets: S + TARGET_SEED_OFFSET + k. */
const TARGET_SEED_OFFSET = 1000;

/**
 * @throws ConfigError naming the value when `name` is not a loss.
 */
export function lossName(name: string): LossName {
  if ((LOSSES as readonly string[]).includes(name)) return name as LossName;
  throw new ConfigError(`--loss: expected one of ${LOSSES.join(', ')}, got ${JSON.stringify(name)}`);
}

/** What a loss's targets look like for an output of `shape`; undefined for sum-squares (none). */
function targetShape(loss: LossName, shape: readonly number[]): readonly number[] | undefined {
  if (loss === 'sum-squares') return undefined;
  return loss === 'softmax-crossentropy' ? shape.slice(0, -1) : shape;
}

/** Seeded targets for output k (see the file comment), or undefined for sum-squares. */
export function seededTargets(loss: LossName, outputShape: readonly number[], seed: number, k: number): NdArray | undefined {
  const s = seed + TARGET_SEED_OFFSET + k;
  switch (loss) {
    case 'sum-squares':
      return undefined;
    case 'mse': {
      const drawn = seededNormal(s, outputShape);
      return { shape: drawn.shape, data: Float32Array.from(drawn.data) };
    }
    case 'softmax-crossentropy':
      return seededIntegers(s, outputShape.slice(0, -1), 0, outputShape[outputShape.length - 1]);
    case 'binary-crossentropy':
      return seededIntegers(s, outputShape, 0, 2);
  }
}

/**
 * Checks user targets against an output: shape, and for the cross-entropies the values.
 * @throws ShapeError for a wrong shape; ConfigError for a class id outside [0, classes) or a binary target outside [0, 1].
 */
function checkTargets(loss: LossName, output: string, outputShape: readonly number[], targets: NdArray): void {
  const want = targetShape(loss, outputShape);
  if (want === undefined) throw new ConfigError(`--target: expected none (the sum-squares loss has no targets), got one for output "${output}"`);
  if (formatShape(want) !== formatShape(targets.shape)) {
    throw new ShapeError(`--target for output "${output}" (${loss}): expected shape ${formatShape(want)}, got ${formatShape(targets.shape)}`);
  }
  const classes = outputShape[outputShape.length - 1];
  for (let i = 0; i < targets.data.length; i++) {
    const t = targets.data[i];
    const bad =
      !Number.isFinite(t) ||
      (loss === 'softmax-crossentropy' && (!Number.isInteger(t) || t < 0 || t >= classes)) ||
      (loss === 'binary-crossentropy' && (t < 0 || t > 1));
    if (bad) {
      const range = loss === 'softmax-crossentropy' ? `a class id in [0, ${classes})` : loss === 'binary-crossentropy' ? 'a value in [0, 1]' : 'a finite value';
      throw new ConfigError(`--target for output "${output}" (${loss}): expected ${range} at flat index ${i}, got ${t}`);
    }
  }
}

/**
 * The loss of one output and its gradient dL/dy, float64.
 * @param targets undefined only for sum-squares
 */
export function lossAndGradient(loss: LossName, y: NdArray, targets: NdArray | undefined): { value: number; gradient: Float64Array } {
  const n = y.data.length;
  const gradient = new Float64Array(n);
  const t = targets?.data;
  if (loss !== 'sum-squares' && t === undefined) throw new ConfigError(`loss ${loss}: expected targets, got none`);
  switch (loss) {
    case 'sum-squares': {
      let value = 0;
      for (let i = 0; i < n; i++) {
        value += y.data[i] * y.data[i];
        gradient[i] = 2 * y.data[i];
      }
      return { value, gradient };
    }
    case 'mse': {
      let value = 0;
      for (let i = 0; i < n; i++) {
        const d = y.data[i] - t![i];
        value += d * d;
        gradient[i] = (2 * d) / n;
      }
      return { value: value / n, gradient };
    }
    case 'softmax-crossentropy': {
      const classes = y.shape[y.shape.length - 1];
      const rows = n / classes;
      let value = 0;
      for (let r = 0; r < rows; r++) {
        const offset = r * classes;
        let max = -Infinity;
        for (let j = 0; j < classes; j++) max = Math.max(max, y.data[offset + j]);
        let sum = 0;
        for (let j = 0; j < classes; j++) sum += Math.exp(y.data[offset + j] - max);
        const logSumExp = max + Math.log(sum);
        const target = t![r];
        value += logSumExp - y.data[offset + target];
        // d/dy_j = (softmax_j - [j = target]) / rows
        for (let j = 0; j < classes; j++) gradient[offset + j] = (Math.exp(y.data[offset + j] - logSumExp) - (j === target ? 1 : 0)) / rows;
      }
      return { value: value / rows, gradient };
    }
    case 'binary-crossentropy': {
      let value = 0;
      for (let i = 0; i < n; i++) {
        const x = y.data[i];
        value += Math.max(x, 0) - x * t![i] + softplus(-Math.abs(x));
        // d/dx = sigmoid(x) - t
        gradient[i] = (1 / (1 + Math.exp(-x)) - t![i]) / n;
      }
      return { value: value / n, gradient };
    }
  }
}

/** Targets for every output: the user's, checked, or seeded draws. */
export function lossTargets(
  loss: LossName,
  outputs: readonly { name: string; shape: readonly number[] }[],
  seed: number,
  given?: readonly NdArray[],
): (NdArray | undefined)[] {
  if (loss === 'softmax-crossentropy') {
    const single = outputs.find((o) => o.shape[o.shape.length - 1] === 1);
    if (single) {
      throw new ConfigError(
        `--loss softmax-crossentropy: expected outputs of 2 or more classes, got output "${single.name}" with 1 (its loss is 0 whatever the model computes, so no gradient reaches it); use binary-crossentropy or mse`,
      );
    }
  }
  if (given) {
    if (loss === 'sum-squares') throw new ConfigError('--target: expected none (the sum-squares loss has no targets), got ' + given.length);
    if (given.length !== outputs.length) throw new ShapeError(`--target: expected ${outputs.length} (one per output), got ${given.length}`);
    given.forEach((t, k) => checkTargets(loss, outputs[k].name, outputs[k].shape, t));
    return given.slice();
  }
  return outputs.map((o, k) => seededTargets(loss, o.shape, seed, k));
}

/** Sum of the per-output losses and the gradient of each output. */
export function modelLoss(
  loss: LossName,
  outputs: readonly NdArray[],
  targets: readonly (NdArray | undefined)[],
): { value: number; gradients: Float64Array[] } {
  let value = 0;
  const gradients = outputs.map((y, k) => {
    if (sizeOf(y.shape) !== y.data.length) throw new ShapeError(`output ${k}: expected ${sizeOf(y.shape)} values, got ${y.data.length}`);
    const one = lossAndGradient(loss, y, targets[k]);
    value += one.value;
    return one.gradient;
  });
  return { value, gradients };
}
