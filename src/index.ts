/** rnn-parity as a library: re-exports only. */
export { selectBackend, BACKEND_CHOICES, type BackendChoice, type BackendInfo, type BackendName } from './backends';
export { runCheck, type CheckOptions, type CheckResult } from './check';
export { compareOutputs, formatIndex, type ParityReport, type Tolerance } from './compare/compare';
export { summarizeReport } from './compare/summary';
export { defaultTolerance } from './compare/tolerance';
export { NumpyRandomState, seededNormal } from './data/numpy-random';
export { BackendUnavailableError, ConfigError, FileFormatError, ShapeError } from './errors';
export { readNpy, readNpyFile, writeNpy, writeNpyFile } from './io/npy';
export { loadModelArtifacts, saveModelArtifacts } from './io/model-artifacts';
export { readModelFile, type ReadModelOptions } from './formats/read-model';
export type { ModelFile } from './formats/keras-model';
export { checkModel, type Comparison, type ModelCheckOptions, type ModelCheckResult } from './graph/check';
export { forwardGraph, forwardGraphValues } from './graph/hand-forward';
export { backwardGraph, handLossGradients, type GraphGradients } from './graph/hand-backward';
export {
  checkGradients,
  defaultGradientTolerances,
  type GradientCheckOptions,
  type GradientCheckResult,
  type GradientPair,
  type KerasGradients,
} from './graph/gradient-check';
export { layerPathGradients } from './graph/tfjs-gradients';
export { LOSSES, lossName, lossTargets, modelLoss, type LossName } from './gradients/losses';
export { compareGradients, type GradientDifference } from './gradients/compare-gradients';
export { readKerasGradients } from './io/keras-gradients';
export { createOptimizer, type OptimizerSpec } from './optimizers';
export { createTfjsOptimizer } from './optimizers/tfjs-optimizers';
export type { Dim, GraphInput, GraphLayer, GraphModel, Shape, WeightArray } from './graph/model';
export { summarizeGraph, type LayerRow } from './graph/summary';
export { buildTfjsModel, predictGraph } from './graph/tfjs-model';
export { graphTolerance } from './graph/tolerance';
export { UnsupportedModelError } from './graph/unsupported';
export { LAYER_KINDS, layerKind } from './layers/registry';
export type { LayerKind } from './layers/kind';
export { presetModel } from './presets/flags';
export { forwardHand, type Precision } from './hand/forward';
export { closeWorkerPool, forwardHandParallel, type ParallelOptions } from './hand/parallel';
export { buildModel } from './model/build';
export { extractWeights } from './model/extract';
export { predictLayers } from './model/predict';
export { DEFAULT_SPEC, validateSpec, type ModelSpec } from './spec';
export type { NdArray } from './tensor';
export type { DenseWeights, Matrix, RecurrentLayerWeights, RnnWeights } from './weights';
