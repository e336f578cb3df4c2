/**
 * What the 1-D windowed kinds share (Conv1D, MaxPooling1D, AveragePooling1D): their option readers (a size
 * as Keras writes it, `[3]`, or as a bare number, `3`; data_format channels_last), the rank-3 input check,
 * and TensorFlow's window arithmetic (output length and left padding for valid, same and causal), which
 * Keras 3 on every backend and tfjs both follow. Plain TypeScript (no tfjs).
 */
import { ShapeError } from '../errors';
import type { Shape } from '../graph/model';
import type { ReadContext } from './read-context';

type Raw = Readonly<Record<string, unknown>>;

export type WindowPadding = 'valid' | 'same' | 'causal';

/** Largest window size, stride or dilation accepted. */
const MAX_WINDOW = 4096;

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

/**
 * A 1-D size: an integer from 1 to MAX_WINDOW, or a list of one (Keras 3 writes `[3]`, tfjs `[3]` or `3`).
 * Absent or null: `fallback` (undefined: required). Returns 1 after recording a blocker.
 */
export function readSize1d(raw: Raw, ctx: ReadContext, key: string, fallback?: number): number {
  const value = ctx.value(raw, key);
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_WINDOW) return v;
  ctx.block(key, value, `expected an integer from 1 to ${MAX_WINDOW}, or a list of one`);
  return 1;
}

/**
 * data_format: channels_last only (absent or null, Keras 2's and tfjs's unset value, is channels_last).
 * channels_first would put the time axis last; rnn-parity's sequences are [batch, timeSteps, features].
 */
export function readChannelsLast(raw: Raw, ctx: ReadContext): void {
  const value = ctx.value(raw, 'data_format');
  if (value === undefined || value === null || value === 'channels_last') return;
  ctx.block('data_format', value, 'expected "channels_last", the only value rnn-parity checks', 'put the time axis second: [batch, timeSteps, features]');
}

/**
 * One input [batch, timeSteps, channels] with known channels.
 * @returns [timeSteps (null: any), channels]
 * @throws ShapeError naming the layer's class otherwise
 */
export function sequenceInput(kerasClass: string, inputs: readonly Shape[]): [number | null, number] {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length !== 3 || typeof input[2] !== 'number') {
    throw new ShapeError(
      `${kerasClass}: expected one input [batch, timeSteps, features] with known features, got ${inputs.map(formatShape).join(' and ') || 'none'}`,
    );
  }
  return [input[1], input[2]];
}

/** The span a window of `size` taps `dilation` apart covers: (size - 1) * dilation + 1. */
export function dilatedSize(size: number, dilation: number): number {
  return (size - 1) * dilation + 1;
}

/**
 * Output length of a window sliding over `length` steps (TensorFlow's rule, tfjs's convOutputLength):
 * valid: floor((length - span) / stride) + 1; same and causal: ceil(length / stride).
 * @returns null for an unknown length
 * @throws ShapeError when a valid window does not fit once
 */
export function windowOutputLength(
  kerasClass: string,
  length: number | null,
  size: number,
  stride: number,
  dilation: number,
  padding: WindowPadding,
): number | null {
  if (length === null) return null;
  if (padding !== 'valid') return Math.ceil(length / stride);
  const span = dilatedSize(size, dilation);
  if (length < span) throw new ShapeError(`${kerasClass}: expected at least ${span} time steps for a valid window of ${span}, got ${length}`);
  return Math.floor((length - span) / stride) + 1;
}

/**
 * Zeros (or, for pooling, nothing) before step 0: same puts floor(total / 2) of TensorFlow's
 * max((outLength - 1) * stride + span - length, 0) on the left; causal puts all of span - 1 there.
 */
export function windowPadLeft(length: number, size: number, stride: number, dilation: number, padding: WindowPadding): number {
  const span = dilatedSize(size, dilation);
  if (padding === 'causal') return span - 1;
  if (padding === 'valid') return 0;
  const outLength = Math.ceil(length / stride);
  return Math.floor(Math.max((outLength - 1) * stride + span - length, 0) / 2);
}
