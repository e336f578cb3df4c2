/**
 * A layer held by a wrapper (Bidirectional's `layer` and `backward_layer`, TimeDistributed's `layer`):
 * its serialized {class_name, config} read through its own kind, with blockers named under the wrapper.
 */
import { isObject } from '../keras/config-checks';
import type { AnyLayerKind } from './kind';
import type { ReadContext } from './read-context';

/** The held layer: its kind (the object, so drivers need no registry lookup) and its typed config. */
export interface WrappedLayer<Config = unknown> {
  readonly kind: AnyLayerKind;
  readonly config: Config;
}

/**
 * @param accepted the kinds this wrapper can hold, by kind name
 * @returns undefined (after a blocker) when the held layer is missing or of another kind
 */
export function readWrappedLayer(raw: Readonly<Record<string, unknown>>, key: string, ctx: ReadContext, accepted: readonly string[]): WrappedLayer | undefined {
  const entry = ctx.value(raw, key);
  if (!isObject(entry) || !isObject(entry.config) || typeof entry.class_name !== 'string') {
    ctx.block(key, entry, 'expected a layer {class_name, config}');
    return undefined;
  }
  const kind = ctx.kindFor(entry.class_name);
  if (kind === undefined || !accepted.includes(kind.kind)) {
    ctx.block(`${key}.class_name`, entry.class_name, `expected one of the kinds it can wrap (${accepted.join(', ')})`);
    return undefined;
  }
  const nested = ctx.nested(`${key} ${JSON.stringify(entry.config.name ?? entry.class_name)} (${entry.class_name})`);
  nested.ignore('input_shape', 'batch_input_shape', 'batch_shape');
  return { kind, config: kind.readConfig(entry.config, nested) };
}
