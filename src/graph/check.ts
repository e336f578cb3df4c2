/**
 * checkModel: the one parity check every entry point runs. A GraphModel (from flags, a Keras file, tfjs
 * artifacts) -> the same float32 inputs through the tfjs layer path and the hand path -> per output:
 *
 *   layer vs hand    always; the hand path (float64) is the reference
 *   hand vs Keras    with Keras's own output (expected); Keras is the reference
 *   layer vs Keras   with Keras's own output
 *
 * Library code: returns a result or throws a typed error; never prints or exits.
 */
import type * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice, type BackendInfo } from '../backends';
import { compareOutputs, type ParityReport, type Tolerance } from '../compare/compare';
import { floorAwareTolerance } from '../compare/tolerance';
import { seededIntegers, seededNormal } from '../data/numpy-random';
import { ConfigError, ShapeError } from '../errors';
import { firstNonFinite, unravelIndex } from '../io/finite';
import type { Precision } from '../hand/precision';
import { formatShape, type NdArray } from '../tensor';
import { checkInputShape, forwardGraph } from './hand-forward';
import type { GraphModel } from './model';
import { summarizeGraph, type LayerRow } from './summary';
import { graphReductionSize, graphTolerance } from './tolerance';

export interface ModelCheckOptions {
  readonly model: GraphModel;
  readonly backend: BackendChoice;
  readonly precision: Precision;
  /** Seeds the inputs when none are given: np.random.seed(seed + i); randn(shape of input i). */
  readonly seed: number;
  /** One per model input, batch first; rounded to float32 once, as Keras's predict casts them. */
  readonly inputs?: readonly NdArray[];
  /** Samples of a seeded input (default 1). */
  readonly batch?: number;
  /** Sequence length of a seeded input where the model accepts any. */
  readonly timeSteps?: number;
  /** Keras's outputs for these inputs, one per model output. */
  readonly expected?: readonly NdArray[];
  /** Missing fields take graphTolerance(model). */
  readonly tolerance?: Partial<Tolerance>;
  /** Called with the built tfjs model after a check that passed (to save it). */
  readonly onPass?: (tfModel: tf.LayersModel) => Promise<void>;
}

type ComparisonName = 'layer vs hand' | 'hand vs Keras' | 'layer vs Keras';

export interface Comparison {
  /** The output's layer name. */
  readonly output: string;
  readonly name: ComparisonName;
  readonly report: ParityReport;
}

interface ToleranceChoice {
  /** What the comparisons started from: the default for this model, or the user's. */
  readonly base: Tolerance;
  /** The longest dot product (K) the default follows. */
  readonly reductionSize: number;
  readonly userAtol: boolean;
  /** Per output, where the float32-floor rule applied: the floor measured and the atol used. */
  readonly widened: readonly { output: string; float32Floor: number; atol: number }[];
}

export interface ModelCheckResult {
  readonly model: GraphModel;
  readonly layers: LayerRow[];
  readonly totalParameters: number;
  readonly backend: BackendInfo;
  readonly precision: Precision;
  readonly seed: number;
  readonly inputSource: 'given' | 'seed';
  readonly inputs: NdArray[];
  readonly outputs: { name: string; layer: NdArray; hand: NdArray; expected?: NdArray }[];
  readonly comparisons: Comparison[];
  readonly tolerance: ToleranceChoice;
  readonly pass: boolean;
  readonly timingsMs: Readonly<Record<'backend' | 'model' | 'layerPath' | 'handPath' | 'compare', number>>;
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

function refuseNonFinite(what: string, array: NdArray): void {
  const bad = firstNonFinite(array.data);
  if (bad !== undefined) {
    throw new ConfigError(
      `${what}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at ${formatShape(unravelIndex(bad.index, array.shape))}`,
    );
  }
}

/**
 * The ids a seeded integer input may hold: [0, V) with V the smallest vocabulary (Embedding input_dim)
 * among the layers that read it.
 * @throws ConfigError when no Embedding reads it (no range to draw from).
 */
export function tokenRange(model: GraphModel, inputName: string): number {
  const sizes = model.layers.filter((l) => l.kind === 'embedding' && l.inbound.includes(inputName)).map((l) => (l.config as { inputDim: number }).inputDim);
  if (sizes.length === 0) {
    throw new ConfigError(`input "${inputName}": expected an Embedding reading this integer input (to know the id range to draw), got none; give --input`);
  }
  return Math.min(...sizes);
}

/** The inputs both paths read: the given ones, or seeded draws; float32 values (or integer ids) either way. */
export function checkInputs(model: GraphModel, options: Pick<ModelCheckOptions, 'inputs' | 'seed' | 'batch' | 'timeSteps'>): NdArray[] {
  if (options.inputs) {
    if (options.inputs.length !== model.inputs.length) {
      throw new ShapeError(`inputs: expected ${model.inputs.length} (${model.inputs.map((i) => i.name).join(', ')}), got ${options.inputs.length}`);
    }
    const batches = new Set(options.inputs.map((x) => x.shape[0]));
    if (options.batch !== undefined && !batches.has(options.batch)) {
      throw new ConfigError(`--batch: expected ${[...batches].join(' or ')} (the input's first dimension), got ${options.batch}`);
    }
    return options.inputs.map((x, i) => {
      checkInputShape(model.inputs[i].name, x.shape, model.inputs[i].shape);
      // Integer ids stay exact (Float64Array); float inputs are rounded once to float32, as Keras's predict casts them.
      const input = { shape: x.shape.slice(), data: model.inputs[i].dtype === 'int32' ? Float64Array.from(x.data) : Float32Array.from(x.data) };
      refuseNonFinite(`input "${model.inputs[i].name}" (as float32, as both paths read it)`, input);
      return input;
    });
  }
  return model.inputs.map((input, i) => {
    const shape = input.shape.map((d, axis) => {
      if (axis === 0) return options.batch ?? 1;
      if (d !== null) {
        if (axis === 1 && options.timeSteps !== undefined && options.timeSteps !== d) {
          throw new ConfigError(`--timesteps: expected ${d} (the model's saved input shape), got ${options.timeSteps}`);
        }
        return d;
      }
      if (axis === 1 && options.timeSteps !== undefined) return options.timeSteps;
      throw new ConfigError(`input "${input.name}" axis ${axis}: expected a size (the model accepts any), got none; give --input or --timesteps`);
    });
    if (input.dtype === 'int32') {
      // Token ids: np.random.seed(S + i); np.random.randint(0, V, shape), V the smallest vocabulary reading them.
      return seededIntegers(options.seed + i, shape, 0, tokenRange(model, input.name));
    }
    const drawn = seededNormal(options.seed + i, shape);
    return { shape, data: Float32Array.from(drawn.data) };
  });
}

/**
 * Runs the check.
 * @throws ConfigError, ShapeError for inputs or expected outputs that do not fit; BackendUnavailableError.
 */
export async function checkModel(options: ModelCheckOptions): Promise<ModelCheckResult> {
  const { model } = options;
  const inputs = checkInputs(model, options);
  const hand = (precision: Precision) => forwardGraph(model, inputs, precision);

  let t = performance.now();
  const handOutputs = hand(options.precision);
  const handPathMs = elapsed(t);
  if (options.expected) {
    if (options.expected.length !== model.outputs.length) {
      throw new ShapeError(`expected outputs: expected ${model.outputs.length} (${model.outputs.join(', ')}), got ${options.expected.length}`);
    }
    options.expected.forEach((e, i) => {
      if (formatShape(e.shape) !== formatShape(handOutputs[i].shape)) {
        throw new ShapeError(
          `expected output "${model.outputs[i]}": expected shape ${formatShape(handOutputs[i].shape)} (the model's output for these inputs), got ${formatShape(e.shape)}`,
        );
      }
      refuseNonFinite(`expected output "${model.outputs[i]}"`, e);
    });
  }

  t = performance.now();
  const backend = await selectBackend(options.backend);
  const backendMs = elapsed(t);
  const { buildTfjsModel, predictGraph } = await import('./tfjs-model');
  t = performance.now();
  const tfModel = buildTfjsModel(model);
  try {
    const modelMs = elapsed(t);
    t = performance.now();
    const layerOutputs = predictGraph(tfModel, inputs, model.inputs);
    const layerPathMs = elapsed(t);

    t = performance.now();
    const base: Tolerance = { ...graphTolerance(model), ...options.tolerance };
    const userAtol = options.tolerance?.atol !== undefined;
    const comparisons: Comparison[] = [];
    const widened: { output: string; float32Floor: number; atol: number }[] = [];
    let float32Outputs: NdArray[] | undefined;
    model.outputs.forEach((output, i) => {
      const pairs = (tolerance: Tolerance): Comparison[] => [
        { output, name: 'layer vs hand', report: compareOutputs(layerOutputs[i], handOutputs[i], tolerance) },
        ...(options.expected
          ? [
              { output, name: 'hand vs Keras' as const, report: compareOutputs(handOutputs[i], options.expected[i], tolerance) },
              { output, name: 'layer vs Keras' as const, report: compareOutputs(layerOutputs[i], options.expected[i], tolerance) },
            ]
          : []),
      ];
      let results = pairs(base);
      const failedOnTolerance =
        results.some((c) => !c.report.pass) && results.every((c) => c.report.shapeMatch && c.report.nonFinite.actual + c.report.nonFinite.expected === 0);
      if (failedOnTolerance && !userAtol && options.precision === 'float64') {
        float32Outputs ??= hand('float32');
        const floor = compareOutputs(float32Outputs[i], handOutputs[i], { atol: 0, rtol: 0 }).maxAbsError;
        if (Number.isFinite(floor)) {
          const tolerance = floorAwareTolerance(base, floor);
          if (tolerance.atol > base.atol) {
            widened.push({ output, float32Floor: floor, atol: tolerance.atol });
            results = pairs(tolerance);
          }
        }
      }
      comparisons.push(...results);
    });
    const compareMs = elapsed(t);
    const pass = comparisons.every((c) => c.report.pass);
    if (pass && options.onPass) await options.onPass(tfModel);
    const { rows, totalParameters } = summarizeGraph(model);
    return {
      model,
      layers: rows,
      totalParameters,
      backend,
      precision: options.precision,
      seed: options.seed,
      inputSource: options.inputs ? 'given' : 'seed',
      inputs,
      outputs: model.outputs.map((name, i) => ({
        name,
        layer: layerOutputs[i],
        hand: handOutputs[i],
        ...(options.expected ? { expected: options.expected[i] } : {}),
      })),
      comparisons,
      tolerance: { base, reductionSize: graphReductionSize(model), userAtol, widened },
      pass,
      timingsMs: { backend: backendMs, model: modelMs, layerPath: layerPathMs, handPath: handPathMs, compare: compareMs },
    };
  } finally {
    tfModel.dispose();
  }
}
