/**
 * Options every Keras layer config carries (name, trainable, dtype), and the training-only keys of layers
 * with weights (initializers, regularizers, constraints), which no forward pass reads.
 */
import { dtypeName } from '../keras/config-checks';
import type { ReadContext } from './read-context';

type Raw = Readonly<Record<string, unknown>>;

/** Reads name, trainable and dtype; dtype must be float32 (the layer path computes in float32). */
export function readCommonOptions(raw: Raw, ctx: ReadContext): void {
  ctx.ignore('name', 'trainable', 'build_config');
  const dtype = ctx.value(raw, 'dtype');
  if (dtype !== undefined && dtype !== null && dtypeName(dtype) !== 'float32') {
    ctx.block('dtype', dtypeName(dtype) ?? dtype, 'expected float32', 'mixed or float64 precision is not checked yet');
  }
}

/** Keys that only shape training: ignored for a forward check, and said so nowhere because they cannot matter. */
export function ignoreTrainingOptions(ctx: ReadContext, ...weights: string[]): void {
  for (const w of weights) ctx.ignore(`${w}_initializer`, `${w}_regularizer`, `${w}_constraint`);
  ctx.ignore('activity_regularizer', 'seed');
}

/** Keras 3 quantization and LoRA keys of Dense-like layers: only their "off" values are checked. */
export function refuseQuantization(raw: Raw, ctx: ReadContext): void {
  ctx.only(raw, 'quantization_config', null, 'quantized layers are not checked');
  ctx.only(raw, 'lora_rank', null, 'merge the LoRA weights first');
  ctx.ignore('lora_alpha');
}
