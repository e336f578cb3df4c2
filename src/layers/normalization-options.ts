/**
 * What LayerNormalization and BatchNormalization share: the axis reader (the last axis only, written -1,
 * [-1], or as tfjs's and tf.keras 2's built layers save it, the last axis's positive index, checked against
 * the input's rank in outputShape), epsilon, and the shape rule. Plain TypeScript (no tfjs).
 */
import { ShapeError } from '../errors';
import type { Shape } from '../graph/model';
import type { ReadContext } from './read-context';
import { formatShape } from './window-1d';

type Raw = Readonly<Record<string, unknown>>;

/**
 * axis: -1 (the last), or a non-negative index the input's rank must make the last. Returns -1 after recording
 * a blocker.
 */
export function readLastAxis(raw: Raw, ctx: ReadContext, fallback: number): number {
  const value = ctx.value(raw, 'axis');
  if (value === undefined || value === null) return fallback;
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= -1) return v;
  ctx.block('axis', value, 'expected -1 (the last axis), the only axis rnn-parity checks', 'normalize over the features axis');
  return -1;
}

/** epsilon: a number from 0 to 1 (absent: Keras's default 1e-3). */
export function readEpsilon(raw: Raw, ctx: ReadContext): number {
  return ctx.number(raw, 'epsilon', 1e-3, 0, 1);
}

/**
 * The output shape (the input's) of a layer normalizing over the last axis.
 * @returns the input shape
 * @throws ShapeError for other than one input of rank minRank..maxRank with a known last axis, or an axis
 *   that is not the last
 */
export function lastAxisOutputShape(kerasClass: string, axis: number, inputs: readonly Shape[], minRank: number, maxRank: number): Shape {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length < minRank || input.length > maxRank || typeof input[input.length - 1] !== 'number') {
    throw new ShapeError(
      `${kerasClass}: expected one input of rank ${minRank} to ${maxRank} with a known last axis, got ${inputs.map(formatShape).join(' and ') || 'none'}`,
    );
  }
  if (axis !== -1 && axis !== input.length - 1) {
    throw new ShapeError(`${kerasClass}: expected axis -1 or ${input.length - 1} (the last axis of ${formatShape(input)}), got ${axis}`);
  }
  return input;
}
