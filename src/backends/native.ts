/** Facts shared by the two libtensorflow backends (tfjs-node and tfjs-node-gpu). */

/** The parts of tfjs-node's NodeJSKernelBackend we read. */
interface NativeBackend {
  readonly isUsingGpuDevice?: boolean;
  readonly binding?: { readonly TF_Version?: string };
}

/**
 * TensorFlow's C++ logs (oneDNN notices) go to stderr at load; keep them out of the report
 * unless the user asked for them by setting TF_CPP_MIN_LOG_LEVEL themselves.
 */
export function quietTensorflowLogs(): void {
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = '2';
}

/** libtensorflow's version and whether TensorFlow registered a GPU device, read from the active backend. */
export async function nativeBackendFacts(): Promise<{ libtensorflow: string; usesGpu: boolean }> {
  const tf = await import('@tensorflow/tfjs-core');
  const backend = tf.backend() as unknown as NativeBackend;
  return {
    libtensorflow: backend.binding?.TF_Version ?? 'unknown',
    usesGpu: backend.isUsingGpuDevice === true,
  };
}
