/** Shared last step of every loader: set the tfjs backend and check it really is the one in use. */
import { BackendUnavailableError } from '../errors';
import type { BackendInfo, BackendName } from './types';

/**
 * Sets `tfjsBackend` as tfjs's backend and returns what a report states about it.
 * @throws BackendUnavailableError when tfjs cannot set it or ends up on another backend.
 */
export async function activateBackend(name: BackendName, tfjsBackend: string, versions: Record<string, string>, notes: string[]): Promise<BackendInfo> {
  // The union package, not bare tfjs-core: tfjs-core's CommonJS bundle leaves out the chained tensor
  // methods (x.flatten()) that tfjs-layers calls, e.g. in its orthogonal initializer.
  const tf = await import('@tensorflow/tfjs');
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfjsBackend);
    await tf.ready();
  } catch (error) {
    throw new BackendUnavailableError(`backend ${name}: tfjs could not initialise '${tfjsBackend}': ${(error as Error).message}`);
  }
  const active = tf.getBackend();
  if (!ok || active !== tfjsBackend) {
    throw new BackendUnavailableError(`backend ${name}: expected tfjs backend '${tfjsBackend}', got '${active}'`);
  }
  return {
    name,
    tfjsBackend: active,
    versions: { 'tfjs-core': tf.version['tfjs-core'], 'tfjs-layers': tf.version['tfjs-layers'], ...versions },
    notes,
  };
}
