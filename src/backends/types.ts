/** Backend names as the CLI and the library take them. */

/** 'auto' picks 'tensorflow' when tfjs-node's binding loads, else 'cpu'. */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'cpu', 'wasm', 'cuda'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'cpu', 'wasm', 'cuda'];

/** What a report states about the backend that actually ran. */
export interface BackendInfo {
  /** Our name for it: 'tensorflow' | 'cpu' | 'wasm' | 'cuda'. */
  readonly name: BackendName;
  /** What tf.getBackend() said after setting it. */
  readonly tfjsBackend: string;
  /** Package and library versions, e.g. { 'tfjs-core': '4.22.0', libtensorflow: '2.21.0' }. */
  readonly versions: Readonly<Record<string, string>>;
  /** Facts a reader should know: thread count, SIMD, GPU device, why auto chose it. */
  readonly notes: readonly string[];
}
