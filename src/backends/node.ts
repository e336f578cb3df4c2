/** The 'tensorflow' backend: @tensorflow/tfjs-node, libtensorflow on the CPU (the default). */
import { BackendUnavailableError } from '../errors';
import { activateBackend } from './activate';
import { nativeBackendFacts, quietTensorflowLogs } from './native';
import type { BackendInfo } from './types';

/**
 * Loads @tensorflow/tfjs-node (about 1 s: libtensorflow is large) and activates it.
 * @throws BackendUnavailableError when its native binding does not load, naming the fix.
 */
// Imported dynamically by selectBackend (./index.ts), which the export checker cannot follow.
// ts-unused-exports:disable-next-line
export async function loadTensorflowBackend(): Promise<BackendInfo> {
  quietTensorflowLogs();
  let node: typeof import('@tensorflow/tfjs-node');
  try {
    node = await import('@tensorflow/tfjs-node');
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new BackendUnavailableError(
      `backend tensorflow: expected @tensorflow/tfjs-node's native binding to load, got "${reason}"; ` +
        'run `npm run setup` (it installs libtensorflow), or use --backend cpu or --backend wasm',
    );
  }
  const info = await activateBackend('tensorflow', 'tensorflow', { 'tfjs-node': node.version['tfjs-node'] }, []);
  const facts = await nativeBackendFacts();
  return { ...info, versions: { ...info.versions, libtensorflow: facts.libtensorflow }, notes: ['libtensorflow on CPU'] };
}
