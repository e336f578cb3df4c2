/**
 * runKerasCheck: Keras as the oracle. A user's Keras model is imported once, and the same float32
 * input goes through the tfjs layer path (the Keras weights set into buildModel's model) and the hand
 * path (the Keras weights read directly). Up to three comparisons come back:
 *
 *   layer vs hand    always; the hand path (float64) is the reference, as in runCheck
 *   hand vs Keras    with Keras's own output (expected); Keras is the reference
 *   layer vs Keras   with Keras's own output
 *
 * Library code: returns a result or throws a typed error; it never prints or exits.
 */
import { selectBackend, type BackendChoice, type BackendInfo } from '../backends';
import type { LayerSummary } from '../check';
import { compareOutputs, type ParityReport, type Tolerance } from '../compare/compare';
import { seededNormal } from '../data/numpy-random';
import { ConfigError, ShapeError } from '../errors';
import { firstNonFinite, unravelIndex } from '../io/finite';
import { forwardManual, type Precision } from '../manual/forward';
import { predictLayers } from '../model/predict';
import { inputShape, outputShape, validateSpec, type ModelSpec } from '../spec';
import { formatShape, type NdArray } from '../tensor';
import { gateCount } from '../weights';
import { buildModelWithWeights } from './layer-model';
import { readKerasFile, type KerasModel } from './read';
import { kerasTolerance } from './tolerance';

export interface KerasCheckOptions {
  /** A .keras file, or a bare .weights.h5 together with `spec`. */
  readonly file: string;
  /** The architecture of a bare .weights.h5 (its batch and timeSteps are the input's when an input is given). */
  readonly spec?: ModelSpec;
  readonly backend: BackendChoice;
  /** Seeds the input when none is given: np.random.seed(seed); randn(batch, timeSteps, inputDim). */
  readonly seed: number;
  /** Samples in the seeded input; must agree with the input's first dimension when both are given. */
  readonly batch?: number;
  /** Sequence length for a model saved with timeSteps None and no input given. */
  readonly timeSteps?: number;
  readonly precision: Precision;
  /** [batch, timeSteps, inputDim]; rounded to float32 once, as Keras's predict casts it. */
  readonly input?: NdArray;
  /** Keras's own output for `input` (float32 model.predict, or a float64 reference); its shape must be the model's output shape. */
  readonly expected?: NdArray;
  /** Overrides for every comparison; missing fields take kerasTolerance(spec). */
  readonly tolerance?: Partial<Tolerance>;
}

/** One comparison: `actual` judged against `reference`. */
export interface PairReport {
  readonly name: 'layer vs hand' | 'hand vs Keras' | 'layer vs Keras';
  readonly report: ParityReport;
}

export interface KerasCheckResult {
  readonly file: string;
  readonly model: KerasModel;
  /** The spec checked: the model's, with the input's batch and timeSteps. */
  readonly spec: ModelSpec;
  readonly seed: number;
  /** 'file' when the caller gave the input, 'seed' when it was drawn. */
  readonly inputSource: 'file' | 'seed';
  readonly backend: BackendInfo;
  readonly precision: Precision;
  readonly input: NdArray;
  /** Keras's layers as saved: names from config.json, weight shapes as stored in model.weights.h5. */
  readonly layers: LayerSummary[];
  readonly totalParameters: number;
  /** tfjs's output (float32). */
  readonly layerOutput: NdArray;
  /** The hand path's output. */
  readonly manualOutput: NdArray;
  /** Keras's output, when given. */
  readonly expected?: NdArray;
  /** layer vs hand, then (with expected) hand vs Keras and layer vs Keras. */
  readonly comparisons: PairReport[];
  /** Every comparison passed. */
  readonly pass: boolean;
  readonly timingsMs: Readonly<Record<'import' | 'backend' | 'model' | 'layerPath' | 'manualPath' | 'compare', number>>;
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

/** The batch both the input and the flags agree on. @throws ConfigError when they disagree. */
function batchOf(options: KerasCheckOptions): number | undefined {
  const fromInput = options.input?.shape[0];
  if (fromInput !== undefined && options.batch !== undefined && fromInput !== options.batch) {
    throw new ConfigError(`batch: expected ${fromInput} (the input's first dimension), got ${options.batch}`);
  }
  return fromInput ?? options.batch;
}

function checkInputRank(input: NdArray): void {
  if (input.shape.length !== 3) {
    throw new ShapeError(`input: expected rank 3 [batch, timeSteps, inputDim], got ${formatShape(input.shape)}`);
  }
}

function checkInput(input: NdArray, spec: ModelSpec): void {
  if (formatShape(input.shape) !== formatShape(inputShape(spec))) {
    throw new ShapeError(`input: expected shape ${formatShape(inputShape(spec))} (timeSteps ${spec.timeSteps}, inputDim ${spec.inputDim} from the model), got ${formatShape(input.shape)}`);
  }
}

/**
 * Refuses NaN or Inf in an array the caller gives (exit code 2): no comparison with it can pass. What
 * the forward passes compute from finite arrays is a result instead, judged by compareOutputs (exit 1).
 */
function checkFinite(what: string, array: NdArray): void {
  const bad = firstNonFinite(array.data);
  if (bad !== undefined) {
    throw new ConfigError(`${what}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at ${formatShape(unravelIndex(bad.index, array.shape))}`);
  }
}

/** Keras's view of the layers: class, output shape, parameters and stored weight shapes. */
function summarize(model: KerasModel, spec: ModelSpec): LayerSummary[] {
  const className = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[spec.cell];
  const width = gateCount(spec.cell) * spec.units;
  const recurrent = model.weights.recurrent.map((layer, k): LayerSummary => {
    const biasShape = layer.recurrentBias ? [2, width] : [width];
    const weightShapes = [[layer.kernel.rows, width], [spec.units, width], biasShape];
    const sequences = k < spec.layers - 1 || spec.returnSequences;
    return {
      name: model.layerNames[k],
      type: className,
      outputShape: sequences ? [null, spec.timeSteps, spec.units] : [null, spec.units],
      parameters: weightShapes.reduce((sum, s) => sum + s[0] * (s[1] ?? 1), 0),
      weightShapes,
    };
  });
  const dense: LayerSummary = {
    name: model.layerNames[spec.layers],
    type: 'Dense',
    outputShape: spec.returnSequences ? [null, spec.timeSteps, spec.denseUnits] : [null, spec.denseUnits],
    parameters: (spec.units + 1) * spec.denseUnits,
    weightShapes: [[spec.units, spec.denseUnits], [spec.denseUnits]],
  };
  return [...recurrent, dense];
}

/**
 * Imports the model, runs both paths and compares them with each other and (given `expected`) with Keras.
 * @throws FileFormatError, ConfigError, ShapeError for a bad file, an unsupported model, or an input or
 *   expected output whose shape does not fit the model; BackendUnavailableError.
 */
export async function runKerasCheck(options: KerasCheckOptions): Promise<KerasCheckResult> {
  let t = performance.now();
  if (options.input) checkInputRank(options.input);
  const batch = batchOf(options);
  const timeSteps = options.input?.shape[1] ?? options.timeSteps;
  const sizes = { ...(batch !== undefined ? { batch } : {}), ...(timeSteps !== undefined ? { timeSteps } : {}) };
  // A bare .weights.h5's spec takes the input's batch and timeSteps; a .keras checks them against its config.
  const given = options.spec ? validateSpec({ ...options.spec, ...sizes }) : undefined;
  const sizesFrom = options.input ? `the input ${formatShape(options.input.shape)}` : 'the options';
  const model = readKerasFile(options.file, { ...sizes, ...(given ? { spec: given } : {}), sizesFrom });
  const spec = model.spec;
  const importMs = elapsed(t);

  if (options.input) checkInput(options.input, spec);
  const input: NdArray = { shape: inputShape(spec), data: Float32Array.from((options.input ?? seededNormal(options.seed, inputShape(spec))).data) };
  if (options.expected && formatShape(options.expected.shape) !== formatShape(outputShape(spec))) {
    throw new ShapeError(`expected output: expected shape ${formatShape(outputShape(spec))} (the model's output for input ${formatShape(input.shape)}), got ${formatShape(options.expected.shape)}`);
  }
  // After the rounding: a float64 input past 3.4e38 is Infinity to both paths.
  checkFinite(options.input ? 'input (as float32, as both paths read it)' : 'input', input);
  if (options.expected) checkFinite('expected output', options.expected);
  const tolerance = { ...kerasTolerance(spec), ...options.tolerance };

  t = performance.now();
  const backend = await selectBackend(options.backend);
  const backendMs = elapsed(t);

  t = performance.now();
  const tfModel = buildModelWithWeights(spec, model.weights);
  try {
    const modelMs = elapsed(t);
    t = performance.now();
    const layerOutput = predictLayers(tfModel, input);
    const layerPathMs = elapsed(t);

    t = performance.now();
    const manualOutput = forwardManual(model.weights, input, options.precision);
    const manualPathMs = elapsed(t);

    t = performance.now();
    const comparisons: PairReport[] = [{ name: 'layer vs hand', report: compareOutputs(layerOutput, manualOutput, tolerance) }];
    if (options.expected) {
      comparisons.push({ name: 'hand vs Keras', report: compareOutputs(manualOutput, options.expected, tolerance) });
      comparisons.push({ name: 'layer vs Keras', report: compareOutputs(layerOutput, options.expected, tolerance) });
    }
    const compareMs = elapsed(t);

    const layers = summarize(model, spec);
    return {
      file: options.file,
      model,
      spec,
      seed: options.seed,
      inputSource: options.input ? 'file' : 'seed',
      backend,
      precision: options.precision,
      input,
      layers,
      totalParameters: layers.reduce((sum, l) => sum + l.parameters, 0),
      layerOutput,
      manualOutput,
      ...(options.expected ? { expected: options.expected } : {}),
      comparisons,
      pass: comparisons.every((c) => c.report.pass),
      timingsMs: { import: importMs, backend: backendMs, model: modelMs, layerPath: layerPathMs, manualPath: manualPathMs, compare: compareMs },
    };
  } finally {
    tfModel.dispose();
  }
}
