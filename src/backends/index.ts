/**
 * selectBackend: the one door to every backend. Each loader is imported lazily, so choosing
 * 'cpu' or 'wasm' never loads libtensorflow.
 */
import { BackendUnavailableError, ConfigError } from '../errors';
import { BACKEND_CHOICES, type BackendChoice, type BackendInfo, type BackendName } from './types';

export { BACKEND_CHOICES, type BackendChoice, type BackendInfo, type BackendName } from './types';

async function loadNamed(name: BackendName): Promise<BackendInfo> {
  switch (name) {
    case 'tensorflow':
      return (await import('./node')).loadTensorflowBackend();
    case 'cpu':
      return (await import('./cpu')).loadCpuBackend();
    case 'wasm':
      return (await import('./wasm')).loadWasmBackend();
    case 'cuda':
      return (await import('./node-gpu')).loadCudaBackend();
  }
}

/**
 * Loads and activates a backend. 'auto' is 'tensorflow' when tfjs-node's binding loads, else 'cpu';
 * the returned info says which one ran and why.
 * @throws ConfigError for an unknown name; BackendUnavailableError when the named backend cannot run.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new ConfigError(`backend: expected one of ${BACKEND_CHOICES.join(', ')}, got ${JSON.stringify(choice)}`);
  }
  if (choice !== 'auto') return loadNamed(choice);
  try {
    const info = await loadNamed('tensorflow');
    return { ...info, notes: [...info.notes, 'chosen by --backend auto'] };
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    const info = await loadNamed('cpu');
    return { ...info, notes: [...info.notes, `chosen by --backend auto because ${error.message}`] };
  }
}
