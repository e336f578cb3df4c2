/**
 * A model input's shape from an InputLayer config (Keras 3 batch_shape, Keras 2 / tfjs batch_input_shape)
 * or from the first layer of a Sequential model. The batch size is dropped: Keras runs any batch size
 * unless the model is stateful (refused elsewhere), so a saved batch of 32 is no constraint. A saved
 * sequence length is one.
 */
import type { ReadContext } from '../layers/read-context';
import { readCommonOptions } from '../layers/common-options';
import type { Shape } from './model';

/** Largest size accepted in a saved shape. */
const MAX_DIM = 2 ** 24;

type Raw = Readonly<Record<string, unknown>>;

/**
 * @param isInputLayer the whole config is an InputLayer's (every key is read here); else only the shape keys
 *   of another layer's config are looked at
 * @returns [null, ...sizes] (batch left open), or undefined when the config names no shape
 */
export function readInputShape(raw: Raw, ctx: ReadContext, isInputLayer: boolean): Shape | undefined {
  let value: unknown = raw.batch_shape ?? raw.batch_input_shape;
  if (value === undefined && Array.isArray(raw.input_shape)) value = [null, ...raw.input_shape];
  if (isInputLayer) {
    readCommonOptions(raw, ctx);
    ctx.ignore('batch_shape', 'batch_input_shape', 'input_shape', 'batch_size');
    ctx.only(raw, 'sparse', false);
    ctx.only(raw, 'ragged', false);
    ctx.only(raw, 'optional', false);
    ctx.only(raw, 'input_tensor', null);
    ctx.finish(raw);
  }
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length < 2) {
    ctx.block('batch_shape', value, 'expected [batch, ...sizes]');
    return undefined;
  }
  const sizes = value.slice(1).map((d) => {
    if (d === null) return null;
    if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_DIM) return d;
    ctx.block('batch_shape', value, `expected sizes from 1 to ${MAX_DIM} or None`);
    return null;
  });
  return [null, ...sizes];
}
