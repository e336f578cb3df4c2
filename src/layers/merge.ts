/**
 * What the merge kinds share (Add, Subtract, Multiply, Average, Maximum, Minimum; Concatenate has its own
 * shape rule): the config (no options of their own), the shape rule (every input the same shape; Keras's
 * broadcasting between shapes of size-1 axes is refused), and the hand forward: Keras 3's _merge_function
 * folds the inputs left to right, out = op(op(x0, x1), x2) ..., Average dividing the sum by the count.
 * Plain TypeScript (no tfjs).
 */
import { ConfigError, ShapeError } from '../errors';
import type { Dim, Shape } from '../graph/model';
import type { Arithmetic } from '../hand/precision';
import { readCommonOptions } from './common-options';
import type { HandTensor } from './kind';
import type { ReadContext } from './read-context';
import { formatShape } from './window-1d';

type Raw = Readonly<Record<string, unknown>>;

/** Merge layers have no options of their own: an empty config. */
export type MergeConfig = Readonly<Record<string, never>>;

export function readMergeConfig(raw: Raw, ctx: ReadContext): MergeConfig {
  readCommonOptions(raw, ctx);
  ctx.finish(raw);
  return {};
}

/**
 * Two sizes of one axis that must match: null (any) takes the other's.
 * @returns the merged size, or undefined when both are known and differ
 */
export function mergeDim(a: Dim, b: Dim): Dim | undefined {
  if (a === null) return b;
  if (b === null || a === b) return a;
  return undefined;
}

/**
 * Every input the same shape (unknown sizes match any).
 * @param count exactly this many inputs (Subtract: 2), else at least 2
 * @throws ShapeError naming the layer's class and the shapes
 */
export function elementwiseOutputShape(kerasClass: string, inputs: readonly Shape[], count?: number): Shape {
  const shapes = inputs.map(formatShape).join(' and ') || 'none';
  if (count !== undefined ? inputs.length !== count : inputs.length < 2) {
    throw new ShapeError(`${kerasClass}: expected ${count ?? 'at least 2'} inputs, got ${inputs.length} (${shapes})`);
  }
  const out: Dim[] = [...inputs[0]];
  for (const shape of inputs.slice(1)) {
    const merged = shape.length === out.length ? shape.map((d, i) => mergeDim(out[i], d)) : [undefined];
    if (merged.some((d) => d === undefined)) {
      throw new ShapeError(`${kerasClass}: expected inputs of one shape (broadcasting is not checked), got ${shapes}`);
    }
    merged.forEach((d, i) => (out[i] = d as Dim));
  }
  return out;
}

/**
 * Keras's merge layers combine their inputs' padding masks (and Multiply, Maximum, Minimum compute with them);
 * the merge kinds here neither carry nor use one, so a masked input is refused rather than computed otherwise.
 * @throws ConfigError when an input carries a mask (Embedding(mask_zero=True) or Masking upstream)
 */
export function refuseMaskedInputs(kerasClass: string, inputs: readonly HandTensor[]): void {
  if (inputs.some((x) => x.mask !== undefined)) {
    throw new ConfigError(`${kerasClass}: expected inputs without a padding mask (Keras merges masks; rnn-parity does not check that yet), got a masked input`);
  }
}

/**
 * out = op(...op(op(x0, x1), x2)..., x{n-1}), each result rounded (float32 mode); Average divides by n at the end.
 * @param inputs n tensors of one shape, none masked
 * @throws ConfigError for a masked input
 */
export function elementwiseForward(
  kerasClass: string,
  op: (a: number, b: number) => number,
  inputs: readonly HandTensor[],
  arith: Arithmetic,
  divideByCount = false,
): HandTensor {
  refuseMaskedInputs(kerasClass, inputs);
  const out = arith.alloc(inputs[0].data.length);
  out.set(inputs[0].data);
  for (const input of inputs.slice(1)) {
    const x = input.data;
    for (let i = 0; i < out.length; i++) out[i] = arith.round(op(out[i], x[i]));
  }
  if (divideByCount) for (let i = 0; i < out.length; i++) out[i] = arith.round(out[i] / inputs.length);
  return { shape: inputs[0].shape.slice(), data: out };
}
