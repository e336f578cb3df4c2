/**
 * Reading an activation name from a layer config, from either writer: Keras 3 names are ours as they are;
 * tfjs's model.json holds tfjs's names snake-cased (tfjs's 'hardSigmoid' is saved as 'hard_sigmoid' and is
 * clip(0.2x + 0.5), not Keras 3's relu6(x + 3) / 6). Plain TypeScript: the hand path reads these names.
 */
import { ELEMENTWISE, ROWWISE } from '../../manual/activations';
import type { ReadContext } from '../read-context';

/** tfjs's saved name -> ours, where they differ. */
const FROM_TFJS: Readonly<Record<string, string>> = {
  hard_sigmoid: 'hard_sigmoid_tfjs',
  hard_sigmoid_keras3: 'hard_sigmoid',
  log_softmax: 'log_softmax',
};

/**
 * The activation under `key` (absent: `fallback`), as our name. Row activations (softmax) only where
 * `rowwise` allows them: a recurrent cell's activation must be elementwise.
 */
export function readActivation(ctx: ReadContext, raw: Readonly<Record<string, unknown>>, key: string, fallback: string, rowwise: boolean): string {
  const value = ctx.value(raw, key);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') {
    ctx.block(key, value, 'expected an activation name (custom activation objects are not supported)');
    return fallback;
  }
  const name = ctx.source === 'tfjs' && Object.hasOwn(FROM_TFJS, value) ? FROM_TFJS[value] : value;
  if (Object.hasOwn(ELEMENTWISE, name) || (rowwise && Object.hasOwn(ROWWISE, name))) return name;
  const known = [...Object.keys(ELEMENTWISE), ...(rowwise ? Object.keys(ROWWISE) : [])].sort();
  ctx.block(key, value, `expected one of ${known.join(', ')}`, rowwise ? undefined : 'a recurrent cell takes an elementwise activation');
  return fallback;
}
