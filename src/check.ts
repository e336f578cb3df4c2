/**
 * runCheck: the flags preset's check as a library call. The spec becomes a GraphModel (src/presets/flags.ts:
 * tfjs's seeded initializers), or one is read from tfjs artifacts (weightsDir), and checkModel runs both
 * paths; the result keeps the preset's view (spec, one output, one report) for callers that work with
 * stacks: the fault suite, the no-false-alarm sweep, the bench.
 * Library code: it returns a result or throws a typed error; it never prints or exits.
 */
import { selectBackend, type BackendChoice, type BackendInfo } from './backends';
import type { ParityReport, Tolerance } from './compare/compare';
import { ConfigError } from './errors';
import { readModelFile } from './formats/read-model';
import { checkModel } from './graph/check';
import type { GraphModel } from './graph/model';
import type { LayerRow } from './graph/summary';
import { saveModelArtifacts } from './io/model-artifacts';
import type { Precision } from './hand/precision';
import { presetModel, presetSpecOf, rnnWeightsOf } from './presets/flags';
import type { ModelSpec } from './spec';
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
  /** Missing fields take the model's default tolerance (src/graph/tolerance.ts). */
  readonly tolerance?: Partial<Tolerance>;
  /** Load the model from tfjs artifacts in this directory instead of building it. */
  readonly weightsDir?: string;
  /** Save the model's tfjs artifacts here (atomically) after a check that passes; a failed check saves nothing. */
  readonly saveWeightsDir?: string;
  /** Use this input instead of the seeded one: [batch, timeSteps, inputDim]. */
  readonly input?: NdArray;
}

export interface CheckResult {
  /** The preset's spec (for weightsDir: the loaded model's, which must be preset-shaped). */
  readonly spec: ModelSpec;
  /** The model checked, as every driver sees it. */
  readonly model: GraphModel;
  readonly seed: number;
  readonly backend: BackendInfo;
  readonly precision: Precision;
  readonly input: NdArray;
  /** The model's summary rows (src/graph/summary.ts). */
  readonly layers: LayerRow[];
  readonly totalParameters: number;
  /** The same weights as the stack hand path (src/hand/) takes them. */
  readonly weights: RnnWeights;
  /** tfjs's output (float32). */
  readonly layerOutput: NdArray;
  /** The hand path's output (the reference). */
  readonly handOutput: NdArray;
  /** layer vs hand. */
  readonly report: ParityReport;
  /**
   * Set when the default tolerance failed and the model's own float32 floor was measured:
   * max |hand path in float32 - hand path in float64|. The report's tolerance is then floorAwareTolerance.
   */
  readonly float32Floor?: number;
  /** Wall time of each stage in milliseconds. */
  readonly timingsMs: Readonly<Record<'backend' | 'model' | 'layerPath' | 'handPath' | 'compare', number>>;
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

/**
 * Runs one check. The input is rounded to float32 once and both paths read those same values,
 * so the report measures the computation, not the input's rounding.
 * @throws ConfigError, ShapeError, FileFormatError for bad specs or files; BackendUnavailableError.
 */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  let t = performance.now();
  await selectBackend(options.backend);
  const backendMs = elapsed(t);
  t = performance.now();
  let model: GraphModel;
  let spec: ModelSpec | undefined = options.spec;
  if (options.weightsDir) {
    model = readModelFile(options.weightsDir).model;
    spec = presetSpecOf(model, options.spec.batch);
    if (spec === undefined) {
      throw new ConfigError(
        `${options.weightsDir}: expected a model shaped like the flags preset (recurrent layers of one kind, then a linear Dense), got another; check it with checkModel (or the CLI's --model)`,
      );
    }
  } else {
    model = presetModel(options.spec, options.seed);
  }
  const modelMs = elapsed(t);
  const saveDir = options.saveWeightsDir;
  const result = await checkModel({
    model,
    backend: options.backend,
    precision: options.precision,
    seed: options.seed,
    batch: spec.batch,
    ...(options.input ? { inputs: [options.input] } : {}),
    ...(options.tolerance ? { tolerance: options.tolerance } : {}),
    ...(saveDir ? { onPass: (tfModel) => saveModelArtifacts(tfModel, saveDir, { generatedBy: 'rnn-parity', seed: options.seed }) } : {}),
  });
  const [output] = result.outputs;
  const [widened] = result.tolerance.widened;
  return {
    spec,
    model,
    seed: options.seed,
    backend: result.backend,
    precision: options.precision,
    input: result.inputs[0],
    layers: result.layers,
    totalParameters: result.totalParameters,
    weights: rnnWeightsOf(model, spec),
    layerOutput: output.layer,
    handOutput: output.hand,
    report: result.comparisons[0].report,
    ...(widened ? { float32Floor: widened.float32Floor } : {}),
    timingsMs: {
      backend: backendMs + result.timingsMs.backend,
      model: modelMs + result.timingsMs.model,
      layerPath: result.timingsMs.layerPath,
      handPath: result.timingsMs.handPath,
      compare: result.timingsMs.compare,
    },
  };
}
