/**
 * Reading an activation name from a layer config, from either writer: Keras 3 names are ours as they are
 * (its aliases swish and hard_swish become silu and hard_silu); tfjs's model.json holds tfjs's names
 * snake-cased (tfjs's 'hardSigmoid' is saved as 'hard_sigmoid' and is clip(0.2x + 0.5), not Keras 3's
 * relu6(x + 3) / 6; our custom 'leakyReluKeras' is saved as 'leaky_relu_keras'). Plain TypeScript: the hand
 * path reads these names.
 */
import { ELEMENTWISE, ROWWISE } from '../../hand/activations';
import type { ReadContext } from '../read-context';

/** Keras 3's alias -> the name Keras itself serializes (keras/src/activations/__init__.py). */
const KERAS_ALIASES: Readonly<Record<string, string>> = {
  swish: 'silu',
  hard_swish: 'hard_silu',
};

/**
 * Suffix of the custom tfjs activation classes that compute Keras 3's function where tfjs has none or a
 * different one (src/layers/activations/custom-tfjs.ts): 'leakyReluKeras', saved by tfjs as 'leaky_relu_keras'.
 */
export const CUSTOM_TFJS_SUFFIX = 'Keras';

/** tfjs's saved name -> ours, where they differ and the '_keras' rule below does not apply. */
const FROM_TFJS: Readonly<Record<string, string>> = {
  hard_sigmoid: 'hard_sigmoid_tfjs',
  hard_sigmoid_keras3: 'hard_sigmoid',
  log_softmax: 'log_softmax',
  swish: 'silu',
};

/** Names Keras 3 accepts that no layer here can take, and why. */
const REFUSED: Readonly<Record<string, string>> = {
  glu: 'glu halves the last axis (a Dense or Activation layer would not output its declared width); not supported',
  threshold: 'threshold needs threshold and default_value arguments, which a name cannot carry; not supported',
};

/** Our name for a name as `source` wrote it (not yet checked against the tables). */
export function activationNameFrom(value: string, source: 'keras' | 'tfjs'): string {
  if (source === 'tfjs') {
    if (Object.hasOwn(FROM_TFJS, value)) return FROM_TFJS[value];
    const suffix = `_${CUSTOM_TFJS_SUFFIX.toLowerCase()}`;
    if (value.endsWith(suffix)) {
      const stem = value.slice(0, -suffix.length);
      if (Object.hasOwn(ELEMENTWISE, stem) || Object.hasOwn(ROWWISE, stem)) return stem;
    }
  }
  return Object.hasOwn(KERAS_ALIASES, value) ? KERAS_ALIASES[value] : value;
}

/**
 * The activation under `key` (absent: `fallback`), as our name. Row activations (softmax, log_softmax,
 * sparsemax) only where `rowwise` allows them: a recurrent cell's activation must be elementwise.
 */
export function readActivation(ctx: ReadContext, raw: Readonly<Record<string, unknown>>, key: string, fallback: string, rowwise: boolean): string {
  const value = ctx.value(raw, key);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') {
    ctx.block(key, value, 'expected an activation name (custom activation objects are not supported)');
    return fallback;
  }
  const name = activationNameFrom(value, ctx.source);
  if (Object.hasOwn(ELEMENTWISE, name) || (rowwise && Object.hasOwn(ROWWISE, name))) return name;
  if (Object.hasOwn(REFUSED, name)) {
    ctx.block(key, value, REFUSED[name]);
    return fallback;
  }
  const known = [...Object.keys(ELEMENTWISE), ...(rowwise ? Object.keys(ROWWISE) : [])].sort();
  ctx.block(key, value, `expected one of ${known.join(', ')}`, rowwise ? undefined : 'a recurrent cell takes an elementwise activation');
  return fallback;
}
