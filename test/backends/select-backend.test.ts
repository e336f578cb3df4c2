/**
 * Backend selection: each local backend loads, says which one it is, and computes a known matmul;
 * cuda without a GPU package is refused with code-3 facts; auto prefers tensorflow.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/backends';
import { ConfigError } from '../../src/errors';

describe.each<BackendName>(['tensorflow', 'cpu', 'wasm'])('backend %s', (name) => {
  test('loads, reports itself and computes [[1,2],[3,4]] x [[5],[6]]', async () => {
    const info = await selectBackend(name);
    expect(info.name).toBe(name);
    expect(tf.getBackend()).toBe(info.tfjsBackend);
    expect(info.versions['tfjs-core']).toBe('4.22.0');
    const before = tf.memory().numTensors;
    const product = tf.tidy(() =>
      tf
        .matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([[5], [6]]),
        )
        .arraySync(),
    );
    // 1*5 + 2*6 = 17; 3*5 + 4*6 = 39
    expect(product).toEqual([[17], [39]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

test('tensorflow is libtensorflow through tfjs-node, with its version', async () => {
  const info = await selectBackend('tensorflow');
  expect(info.tfjsBackend).toBe('tensorflow');
  expect(info.versions['tfjs-node']).toBe('4.22.0');
  expect(info.versions.libtensorflow).toMatch(/^\d+\.\d+/);
});

test('auto picks tensorflow when its binding loads, and says so', async () => {
  const info = await selectBackend('auto');
  expect(info.name).toBe('tensorflow');
  expect(info.notes.join(' ')).toContain('chosen by --backend auto');
});

test('an unknown backend name is a ConfigError naming it', async () => {
  await expect(selectBackend('tpu' as never)).rejects.toThrow(new ConfigError('backend: expected one of auto, tensorflow, cpu, wasm, cuda, got "tpu"'));
});

test('cuda refuses to share a process with tfjs-node (both register "tensorflow")', async () => {
  await selectBackend('tensorflow');
  await expect(selectBackend('cuda')).rejects.toThrow(/run cuda in its own process/);
});
