/** The pure-JavaScript backend (@tensorflow/tfjs-backend-cpu): no native code, runs anywhere. */
import type { BackendInfo } from './types';
import { activateBackend } from './activate';

/**
 * Loads and activates the cpu backend. Loads no native library.
 * @throws BackendUnavailableError if tfjs refuses to set it.
 */
// Imported dynamically by selectBackend (./index.ts), which the export checker cannot follow.
// ts-unused-exports:disable-next-line
export async function loadCpuBackend(): Promise<BackendInfo> {
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  const info = await activateBackend('cpu', 'cpu', { 'tfjs-backend-cpu': cpu.version_cpu }, ['pure JavaScript, single thread']);
  // tfjs-backend-cpu prints a banner advising tfjs-node on its first tensor under Node; this tool
  // offers that backend itself (--backend tensorflow), so the banner would only be noise in reports.
  const tf = await import('@tensorflow/tfjs-core');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return info;
}
