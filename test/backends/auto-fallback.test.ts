/** --backend auto falls back to cpu, and says why, when tfjs-node's binding does not load. */
import { BackendUnavailableError } from '../../src/errors';

jest.mock('../../src/backends/node', () => ({
  loadTensorflowBackend: () => Promise.reject(new BackendUnavailableError('backend tensorflow: binding did not load (simulated)')),
}));

test('auto chooses cpu when tensorflow is unavailable, and the report says why', async () => {
  const { selectBackend } = await import('../../src/backends');
  const info = await selectBackend('auto');
  expect(info.name).toBe('cpu');
  expect(info.notes.join(' ')).toContain('binding did not load (simulated)');
});

test('choosing cpu never loads tfjs-node (libtensorflow)', async () => {
  const { selectBackend } = await import('../../src/backends');
  await selectBackend('cpu');
  const loaded = Object.keys(require.cache).some((file) => file.includes(`${'@tensorflow'}/tfjs-node/`));
  expect(loaded).toBe(false);
});
