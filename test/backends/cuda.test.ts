/**
 * The cuda backend on a machine without a GPU (every machine this project's CI has): a clear,
 * code-3 refusal that names what it needs. Its own file: tfjs-node must not be loaded in this process.
 */
import { selectBackend } from '../../src/backends';
import { assertGpuDevice, GPU_INSTALL_COMMAND, loadCudaBackend } from '../../src/backends/node-gpu';
import { exitCodeFor } from '../../apps/cli/exit-codes';
import { BackendUnavailableError } from '../../src/errors';

describe('cuda', () => {
  test('without @tensorflow/tfjs-node-gpu: BackendUnavailableError naming CUDA 11.2, cuDNN 8.1 and the install command', async () => {
    const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'"), { code: 'MODULE_NOT_FOUND' });
    const attempt = loadCudaBackend(() => Promise.reject(missing));
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/CUDA 11\.2 and cuDNN 8\.1/);
    await expect(attempt).rejects.toThrow(/is not installed/);
    await expect(attempt).rejects.toThrow(GPU_INSTALL_COMMAND);
  });

  test('TF32 is turned off before libtensorflow could start CUDA', async () => {
    delete process.env.NVIDIA_TF32_OVERRIDE;
    await expect(loadCudaBackend(() => Promise.reject(new Error('no')))).rejects.toThrow(BackendUnavailableError);
    expect(process.env.NVIDIA_TF32_OVERRIDE).toBe('0');
  });

  test('a package that loads but registers no GPU device is refused, never reported as CUDA', () => {
    expect(() => assertGpuDevice(false)).toThrow(BackendUnavailableError);
    expect(() => assertGpuDevice(false)).toThrow(/registered no GPU device|got none/);
    expect(() => assertGpuDevice(true)).not.toThrow();
  });

  const gpuPackageInstalled = (() => {
    try {
      require.resolve('@tensorflow/tfjs-node-gpu');
      return true;
    } catch {
      return false;
    }
  })();
  if (gpuPackageInstalled) console.log('skipped: @tensorflow/tfjs-node-gpu is installed here; the GPU workflow checks the real device');
  (gpuPackageInstalled ? test.skip : test)('the real package is absent on this machine: selectBackend("cuda") is unavailable, exit code 3', async () => {
    const error = await selectBackend('cuda').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(exitCodeFor(error)).toBe(3);
  });
});
