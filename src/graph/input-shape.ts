/**
 * A model input's shape from an InputLayer config (Keras 3 batch_shape, Keras 2 / tfjs batch_input_shape)
 * or from the first layer of a Sequential model. The batch size is dropped: Keras runs any batch size
 * unless the model is stateful (refused elsewhere), so a saved batch of 32 is no constraint. A saved
 * sequence length is one.
 */
import type { ReadContext } from '../layers/read-context';
import { dtypeName } from '../keras/config-checks';
import type { InputDtype, Shape } from './model';

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
    ctx.ignore('name', 'trainable', 'dtype', 'batch_shape', 'batch_input_shape', 'input_shape', 'batch_size');
    readInputDtype(raw, ctx);
    ctx.only(raw, 'sparse', false);
    ctx.only(raw, 'ragged', false);
    ctx.only(raw, 'optional', false);
    ctx.only(raw, 'input_tensor', null);
    ctx.finish(raw);
  }
  if (value === undefined) return undefined;
  const key = raw.batch_shape !== undefined ? 'batch_shape' : raw.batch_input_shape !== undefined ? 'batch_input_shape' : 'input_shape';
  if (!Array.isArray(value) || value.length < 2) {
    ctx.block(key, value, 'expected [batch, ...sizes]');
    return undefined;
  }
  const sizes = value.slice(1).map((d) => {
    if (d === null) return null;
    if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_DIM) return d;
    ctx.block(key, value, `expected sizes from 1 to ${MAX_DIM} or None`);
    return null;
  });
  return [null, ...sizes];
}

/** Integer dtypes an input may have: token ids for an Embedding. */
const INTEGER_DTYPES = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'];

/**
 * An InputLayer's dtype: 'float32', or 'int32' for any integer type (the layer path feeds tfjs int32, the
 * hand path reads the integer values). Anything else is a blocker.
 */
export function readInputDtype(raw: Raw, ctx: ReadContext): InputDtype {
  const dtype = raw.dtype;
  if (dtype === undefined || dtype === null) return 'float32';
  const name = dtypeName(dtype);
  if (name === 'float32') return 'float32';
  if (name !== undefined && INTEGER_DTYPES.includes(name)) return 'int32';
  ctx.block('dtype', name ?? dtype, 'expected float32 or an integer type (token ids)', 'float16, bfloat16 and float64 inputs are not checked yet');
  return 'float32';
}
