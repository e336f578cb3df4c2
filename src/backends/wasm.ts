/** The WebAssembly backend (@tensorflow/tfjs-backend-wasm); its .wasm binaries ship inside the package. */
import type { BackendInfo } from './types';
import { activateBackend } from './activate';

/**
 * Loads and activates the wasm backend, with SIMD when the runtime has it (Node 20 does).
 * Parity note: tfjs 4.22 turns WASM threads off under Node (WASM_HAS_MULTITHREAD_SUPPORT is false
 * when IS_NODE; tfjs issue #3830). Forcing the flag on makes backend set-up fail, so we run one thread.
 * @throws BackendUnavailableError if the module cannot be instantiated.
 */
// Imported dynamically by selectBackend (./index.ts), which the export checker cannot follow.
// ts-unused-exports:disable-next-line
export async function loadWasmBackend(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const tf = await import('@tensorflow/tfjs-core');
  const info = await activateBackend('wasm', 'wasm', { 'tfjs-backend-wasm': wasm.version_wasm }, []);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return { ...info, notes: [`SIMD ${simd ? 'on' : 'off'}, ${threads} thread (tfjs disables WASM threads under Node)`] };
}
