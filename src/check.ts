/**
 * runCheck: one parity check, top to bottom. Backend -> layer-path model (built from the seed or loaded)
 * -> weights extracted -> the same float32 input through both paths -> ParityReport.
 * Library code: it returns a result or throws a typed error; it never prints or exits.
 */
import type * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice, type BackendInfo } from './backends';
import { compareOutputs, type ParityReport, type Tolerance } from './compare/compare';
import { defaultTolerance, floorAwareTolerance } from './compare/tolerance';
import { seededNormal } from './data/numpy-random';
import { loadModelArtifacts, saveModelArtifacts } from './io/weights';
import { forwardManual, type Precision } from './manual/forward';
import { buildModel } from './model/build';
import { extractWeights } from './model/extract';
import { predictLayers } from './model/predict';
import { specFromModel } from './model/spec-from-model';
import { inputShape, type ModelSpec } from './spec';
import type { NdArray } from './tensor';
import type { RnnWeights } from './weights';

export interface CheckOptions {
  /** The model to build; ignored (except batch) when weightsDir is given. */
  readonly spec: ModelSpec;
  /** Seeds the input (NumPy's np.random.seed(seed); randn(N, T, D)) and the initializers. */
  readonly seed: number;
  readonly backend: BackendChoice;
  /** The hand path's arithmetic: 'float64' (the reference) or 'float32' (every op rounded). */
  readonly precision: Precision;
  /** Missing fields take defaultTolerance(spec) of the model actually checked. */
  readonly tolerance?: Partial<Tolerance>;
  /** Load the model from tfjs artifacts in this directory instead of building it. */
  readonly weightsDir?: string;
  /** Save the model's tfjs artifacts here (atomically) after a check that passes; a failed check saves nothing. */
  readonly saveWeightsDir?: string;
  /** Use this input instead of the seeded one: [batch, timeSteps, inputDim]. */
  readonly input?: NdArray;
}

/** One row of a Keras-style model summary. */
export interface LayerSummary {
  readonly name: string;
  readonly type: string;
  readonly outputShape: (number | null)[];
  readonly parameters: number;
  /** Shapes of the layer's weights in order, e.g. [[3,5],[5,5],[5]]. */
  readonly weightShapes: number[][];
}

export interface CheckResult {
  readonly spec: ModelSpec;
  readonly seed: number;
  readonly backend: BackendInfo;
  readonly precision: Precision;
  readonly input: NdArray;
  readonly layers: LayerSummary[];
  readonly totalParameters: number;
  readonly weights: RnnWeights;
  /** tfjs's output (float32). */
  readonly layerOutput: NdArray;
  /** The hand path's output (the reference). */
  readonly manualOutput: NdArray;
  readonly report: ParityReport;
  /**
   * Set when the default tolerance failed and the model's own float32 floor was measured:
   * max |hand path in float32 - hand path in float64|. The report's tolerance is then floorAwareTolerance.
   */
  readonly float32Floor?: number;
  /** Wall time of each stage in milliseconds. */
  readonly timingsMs: Readonly<Record<'backend' | 'model' | 'layerPath' | 'manualPath' | 'compare', number>>;
}

function summarize(model: tf.LayersModel): LayerSummary[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: layer.outputShape as (number | null)[],
    parameters: layer.countParams(),
    weightShapes: layer.getWeights().map((w) => w.shape.slice()),
  }));
}

/** The input both paths read: the seeded float64 draw rounded once to float32, as Keras's predict casts it. */
function float32Input(input: NdArray): NdArray {
  return { shape: input.shape.slice(), data: Float32Array.from(input.data) };
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

/**
 * Compares at the default tolerance (or the user's). When that fails and the user set no atol, measures
 * this model's float32 floor and retries at floorAwareTolerance: values far from unit scale (a linear
 * or relu recurrence that grows) make a fixed atol meaningless, while float32 itself sets what is possible.
 */
function compareWithFloor(
  layerOutput: NdArray,
  manualOutput: NdArray,
  weights: RnnWeights,
  input: NdArray,
  spec: ModelSpec,
  options: CheckOptions,
): { report: ParityReport; float32Floor?: number } {
  const tolerance = { ...defaultTolerance(spec), ...options.tolerance };
  const report = compareOutputs(layerOutput, manualOutput, tolerance);
  const finite = report.nonFinite.actual + report.nonFinite.expected === 0;
  if (report.pass || options.tolerance?.atol !== undefined || options.precision !== 'float64' || !report.shapeMatch || !finite) {
    return { report };
  }
  const float32 = forwardManual(weights, input, 'float32');
  const float32Floor = compareOutputs(float32, manualOutput, { atol: 0, rtol: 0 }).maxAbsError;
  if (!Number.isFinite(float32Floor)) return { report };
  const widened = floorAwareTolerance(tolerance, float32Floor);
  if (widened.atol <= tolerance.atol) return { report, float32Floor };
  return { report: compareOutputs(layerOutput, manualOutput, widened), float32Floor };
}

/**
 * Runs one check. The input is rounded to float32 once and both paths read those same values,
 * so the report measures the computation, not the input's rounding.
 * @throws ConfigError, ShapeError, FileFormatError for bad specs or files; BackendUnavailableError.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  let t = performance.now();
  const backend = await selectBackend(options.backend);
  const backendMs = elapsed(t);

  t = performance.now();
  let model: tf.LayersModel;
  let spec = options.spec;
  if (options.weightsDir) {
    model = (await loadModelArtifacts(options.weightsDir)).model;
    spec = specFromModel(model, options.spec.batch);
  } else {
    model = buildModel(spec, options.seed);
  }
  try {
    const weights = extractWeights(model, spec);
    const layers = summarize(model);
    const modelMs = elapsed(t);

    const input = float32Input(options.input ?? seededNormal(options.seed, inputShape(spec)));
    t = performance.now();
    const layerOutput = predictLayers(model, input);
    const layerPathMs = elapsed(t);

    t = performance.now();
    const manualOutput = forwardManual(weights, input, options.precision);
    const manualPathMs = elapsed(t);

    t = performance.now();
    const { report, float32Floor } = compareWithFloor(layerOutput, manualOutput, weights, input, spec, options);
    const compareMs = elapsed(t);

    // A failed check leaves earlier results in saveWeightsDir as they were.
    if (options.saveWeightsDir && report.pass) {
      await saveModelArtifacts(model, options.saveWeightsDir, { generatedBy: 'rnn-parity', seed: options.seed });
    }
    return {
      spec,
      seed: options.seed,
      backend,
      precision: options.precision,
      input,
      layers,
      totalParameters: layers.reduce((sum, l) => sum + l.parameters, 0),
      weights,
      layerOutput,
      manualOutput,
      report,
      ...(float32Floor !== undefined ? { float32Floor } : {}),
      timingsMs: { backend: backendMs, model: modelMs, layerPath: layerPathMs, manualPath: manualPathMs, compare: compareMs },
    };
  } finally {
    model.dispose();
  }
}
