/** rnn-parity as a library: re-exports only. */
export { selectBackend, BACKEND_CHOICES, type BackendChoice, type BackendInfo, type BackendName } from './backends';
export { runCheck, type CheckOptions, type CheckResult, type LayerSummary } from './check';
export { compareOutputs, formatIndex, type ParityReport, type Tolerance } from './compare/compare';
export { summarizeReport } from './compare/summary';
export { defaultTolerance } from './compare/tolerance';
export { NumpyRandomState, seededNormal } from './data/numpy-random';
export { BackendUnavailableError, ConfigError, FileFormatError, ShapeError } from './errors';
export { readNpy, readNpyFile, writeNpy, writeNpyFile } from './io/npy';
export { loadModelArtifacts, saveModelArtifacts } from './io/weights';
export { runKerasCheck, type KerasCheckOptions, type KerasCheckResult } from './keras/check';
export { readKerasFile, type KerasModel } from './keras/read';
export { forwardManual, type Precision } from './manual/forward';
export { buildModel } from './model/build';
export { extractWeights } from './model/extract';
export { predictLayers } from './model/predict';
export { DEFAULT_SPEC, validateSpec, type ModelSpec } from './spec';
export type { NdArray } from './tensor';
export type { DenseWeights, Matrix, RecurrentLayerWeights, RnnWeights } from './weights';
