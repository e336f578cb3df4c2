/** The 'cuda' backend: @tensorflow/tfjs-node-gpu, libtensorflow 2.9.1 built for CUDA. */
import { BackendUnavailableError } from '../errors';
import { activateBackend } from './activate';
import { nativeBackendFacts, quietTensorflowLogs } from './native';
import type { BackendInfo } from './types';

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const GPU_INSTALL_COMMAND = `npm install --no-save ${GPU_PACKAGE}@4.22.0 && npm run setup`;
const GPU_REQUIREMENTS = 'an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 (what libtensorflow 2.9.1 in tfjs-node-gpu 4.22 is built for)';

/** Loads the GPU package; a parameter so that tests can stand in for it. */
type GpuPackageImporter = () => Promise<{ version: Record<string, string> }>;

const importGpuPackage: GpuPackageImporter = () => import(GPU_PACKAGE);

/**
 * Throws unless TensorFlow really registered a GPU device: tfjs-node-gpu quietly runs on the CPU
 * when CUDA or cuDNN is missing, and a CPU run must never be reported as CUDA.
 * @throws BackendUnavailableError
 */
export function assertGpuDevice(usesGpu: boolean): void {
  if (!usesGpu) {
    throw new BackendUnavailableError(
      `backend cuda: expected TensorFlow to register a GPU device, got none (${GPU_PACKAGE} loaded but fell back to the CPU); ` +
        `it needs ${GPU_REQUIREMENTS}`,
    );
  }
}

/**
 * Loads @tensorflow/tfjs-node-gpu and activates it, with TF32 matmuls off.
 * @throws BackendUnavailableError when the package is absent, fails to load or finds no GPU.
 */
export async function loadCudaBackend(importer: GpuPackageImporter = importGpuPackage): Promise<BackendInfo> {
  // Parity note: Ampere+ GPUs run float32 matmuls as TF32 (10-bit mantissa) unless this is 0, which
  // moves results by ~1e-3. It must be set before libtensorflow initialises CUDA.
  process.env.NVIDIA_TF32_OVERRIDE = '0';
  quietTensorflowLogs();
  const cpuPackageEntry = safeResolve('@tensorflow/tfjs-node');
  if (cpuPackageEntry && require.cache[cpuPackageEntry]) {
    throw new BackendUnavailableError(
      'backend cuda: expected a process without @tensorflow/tfjs-node, got it already loaded (both register "tensorflow"); run cuda in its own process',
    );
  }
  let gpu: { version: Record<string, string> };
  try {
    gpu = await importer();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && (error as Error).message.includes(GPU_PACKAGE);
    const got = missing ? `${GPU_PACKAGE} is not installed` : `${GPU_PACKAGE} failed to load: ${(error as Error).message.split('\n')[0]}`;
    throw new BackendUnavailableError(`backend cuda: expected ${GPU_PACKAGE} on ${GPU_REQUIREMENTS}, got: ${got}. Install it with \`${GPU_INSTALL_COMMAND}\``);
  }
  const info = await activateBackend('cuda', 'tensorflow', { 'tfjs-node-gpu': gpu.version['tfjs-node'] ?? 'unknown' }, []);
  const facts = await nativeBackendFacts();
  assertGpuDevice(facts.usesGpu);
  return {
    ...info,
    versions: { ...info.versions, libtensorflow: facts.libtensorflow },
    notes: ['GPU device registered by TensorFlow', 'NVIDIA_TF32_OVERRIDE=0 (TF32 off)'],
  };
}

function safeResolve(name: string): string {
  try {
    return require.resolve(name);
  } catch {
    return '';
  }
}
