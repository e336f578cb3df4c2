/** Shared pieces of the layer-path tests: the backends they run on, leak checks, bit-exact views. */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/backends';

/**
 * Every backend this project sets up itself. A test that selects one fails (never skips) when it cannot
 * load: 'tensorflow' is installed by `npm run setup`, cpu and wasm ship in node_modules.
 */
export const LAYER_BACKENDS: readonly BackendName[] = ['tensorflow', 'cpu', 'wasm'];

/**
 * Runs `fn` and asserts it left tf.memory().numTensors where it was (tfjs-core's expectNoLeakedTensors).
 * Select the backend before calling: a backend's first initialisation may allocate.
 */
export async function expectNoLeakedTensors<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors - before).toBe(0);
  return result;
}

/** The bit patterns of float32 values, so that toEqual compares exactly (-0 and NaN included). */
export function float32Bits(values: ArrayLike<number>): number[] {
  return Array.from(new Uint32Array(Float32Array.from(values).buffer));
}
