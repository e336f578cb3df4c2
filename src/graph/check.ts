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
import { mergeReports, type ChunkReport } from '../compare/merge';
import { floorAwareTolerance } from '../compare/tolerance';
import { ShapeError } from '../errors';
import type { Precision } from '../hand/precision';
import { formatShape, type NdArray } from '../tensor';
import { forwardGraph } from './hand-forward';
import type { GraphModel } from './model';
import { arraySource, checkChunkSamples, checkedSource, defaultChunkSamples, sampleCount, type SampleSource } from './samples';
import { inputSources } from './check-inputs';
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
  /** The same, read a chunk at a time (a .npy file: src/io/npy-stream.ts); closed when the check ends. */
  readonly inputSources?: readonly SampleSource[];
  /** Samples of a seeded input (default 1). */
  readonly batch?: number;
  /** Sequence length of a seeded input where the model accepts any. */
  readonly timeSteps?: number;
  /** Keras's outputs for these inputs, one per model output. */
  readonly expected?: readonly NdArray[];
  /** The same, read a chunk at a time; closed when the check ends. */
  readonly expectedSources?: readonly SampleSource[];
  /** How the layer path builds its recurrent layers: tfjs's own (default) or the fused ones (docs/fused-layers.md). */
  readonly layerImpl?: 'tfjs' | 'fused';
  /** Samples per chunk: a multiple of PREDICT_BATCH (default: defaultChunkSamples, within a memory budget). */
  readonly chunkSamples?: number;
  /** Called after each chunk of each pass. */
  readonly onProgress?: (progress: CheckProgress) => void;
  /** Called with each chunk's layer path outputs in pass 1, in sample order (to stream them to a file). */
  readonly onChunk?: (chunk: { readonly firstSample: number; readonly layerOutputs: readonly NdArray[] }) => void;
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
  /** The layer path's recurrent layers: tfjs's own or the fused ones. */
  readonly layerImpl: 'tfjs' | 'fused';
  readonly seed: number;
  readonly inputSource: 'given' | 'seed';
  /** Samples checked, and how they were cut: `count` chunks of `samples` (the last may be shorter). */
  readonly samples: number;
  readonly chunks: { readonly samples: number; readonly count: number };
  /** Each model input's whole shape. */
  readonly inputShapes: number[][];
  /** The first chunk's inputs (all of them when there is one chunk). */
  readonly inputs: NdArray[];
  /** Per output: its whole shape, and the first chunk's values on each path (all of them when there is one chunk). */
  readonly outputs: { name: string; shape: number[]; layer: NdArray; hand: NdArray; expected?: NdArray }[];
  readonly comparisons: Comparison[];
  readonly tolerance: ToleranceChoice;
  readonly pass: boolean;
  /** Wall time of each part, summed over chunks and passes: read (inputs and expected outputs), both paths, the comparisons. */
  readonly timingsMs: Readonly<Record<'backend' | 'model' | 'read' | 'layerPath' | 'handPath' | 'compare', number>>;
}

/** Where a long check is: which pass (1: both paths; 2: the float32 floor; 3: the widened comparisons) and how far. */
export interface CheckProgress {
  readonly pass: 1 | 2 | 3;
  readonly samplesDone: number;
  readonly samples: number;
  readonly chunks: number;
}

/** One chunk of samples through both paths (and Keras's, when given). */
interface ChunkValues {
  readonly firstSample: number;
  readonly inputs: NdArray[];
  readonly hand: NdArray[];
  readonly layer: NdArray[];
  readonly expected?: NdArray[];
}

const PAIRS: readonly ComparisonName[] = ['layer vs hand', 'hand vs Keras', 'layer vs Keras'];

/** The arrays a comparison reads: [actual, reference]. */
function pairArrays(name: ComparisonName, values: ChunkValues, i: number): [NdArray, NdArray] {
  const expected = values.expected?.[i] as NdArray;
  if (name === 'layer vs hand') return [values.layer[i], values.hand[i]];
  if (name === 'hand vs Keras') return [values.hand[i], expected];
  return [values.layer[i], expected];
}

/**
 * Runs the check, a chunk of samples at a time (options.chunkSamples, default defaultChunkSamples): both paths
 * and the comparisons see each chunk, and the chunks' reports merge into exactly the report of one pass over
 * everything (src/compare/merge.ts). The float32-floor rule, when a comparison fails on tolerance, runs the hand
 * path in float32 over every chunk (pass 2) and compares again with the widened tolerance (pass 3).
 * @throws ConfigError, ShapeError for inputs or expected outputs that do not fit; BackendUnavailableError.
 */
export async function checkModel(options: ModelCheckOptions): Promise<ModelCheckResult> {
  const { model } = options;
  const sources = inputSources(model, options);
  const expectedSources = options.expectedSources ?? options.expected?.map(arraySource);
  try {
    return await checkSources(options, sources, expectedSources);
  } finally {
    for (const source of [...sources, ...(expectedSources ?? [])]) source.close?.();
  }
}

async function checkSources(
  options: ModelCheckOptions,
  sources: readonly SampleSource[],
  expectedSources: readonly SampleSource[] | undefined,
): Promise<ModelCheckResult> {
  const { model } = options;
  const samples = sampleCount(
    sources,
    model.inputs.map((i) => `input "${i.name}"`),
  );
  const chunk =
    options.chunkSamples !== undefined
      ? checkChunkSamples(options.chunkSamples)
      : defaultChunkSamples(
          model,
          sources.map((s) => s.shape),
        );
  const chunks = Math.max(1, Math.ceil(samples / chunk));
  const timings = { read: 0, handPath: 0, layerPath: 0, compare: 0 };
  const timed = <T>(key: keyof typeof timings, run: () => T): T => {
    const t = performance.now();
    try {
      return run();
    } finally {
      timings[key] += performance.now() - t;
    }
  };
  const readInputs = (k: number): NdArray[] => timed('read', () => sources.map((s) => s.read(k * chunk, Math.min(chunk, samples - k * chunk))));
  const hand = (inputs: readonly NdArray[], precision: Precision) => timed('handPath', () => forwardGraph(model, inputs, precision));

  // The first chunk's hand path before any backend loads: a wrong expected shape is a quick error.
  const firstInputs = readInputs(0);
  const firstHand = hand(firstInputs, options.precision);
  if (expectedSources && expectedSources.length !== model.outputs.length) {
    throw new ShapeError(`expected outputs: expected ${model.outputs.length} (${model.outputs.join(', ')}), got ${expectedSources.length}`);
  }
  const expected = expectedSources?.map((source, i) => {
    const what = `expected output "${model.outputs[i]}"`;
    const want = [samples, ...firstHand[i].shape.slice(1)];
    if (formatShape(source.shape) !== formatShape(want)) {
      throw new ShapeError(`${what}: expected shape ${formatShape(want)} (the model's output for these inputs), got ${formatShape(source.shape)}`);
    }
    return checkedSource(source, what, 'as-is');
  });

  let t = performance.now();
  const backend = await selectBackend(options.backend);
  const backendMs = round2(performance.now() - t);
  const { buildTfjsModel, predictGraph } = await import('./tfjs-model');
  t = performance.now();
  const tfModel = buildTfjsModel(model, { layerImpl: options.layerImpl ?? 'tfjs' });
  const modelMs = round2(performance.now() - t);
  try {
    const progress = (pass: CheckProgress['pass'], k: number) =>
      options.onProgress?.({ pass, samplesDone: Math.min(samples, (k + 1) * chunk), samples, chunks });
    /** Chunk k through both paths; the first chunk's values are kept (the result shows them, and one chunk needs no second read). */
    let first: ChunkValues | undefined;
    const chunkValues = (k: number): ChunkValues => {
      if (k === 0 && first) return first;
      const inputs = k === 0 ? firstInputs : readInputs(k);
      const handOutputs = k === 0 ? firstHand : hand(inputs, options.precision);
      const layer = timed('layerPath', () => predictGraph(tfModel, inputs, model.inputs));
      const count = inputs[0]?.shape[0] ?? 0;
      const values: ChunkValues = {
        firstSample: k * chunk,
        inputs,
        hand: handOutputs,
        layer,
        ...(expected ? { expected: timed('read', () => expected.map((s) => s.read(k * chunk, count))) } : {}),
      };
      if (k === 0) first = values;
      return values;
    };
    const pairsOf = (name: ComparisonName) => name === 'layer vs hand' || expected !== undefined;
    const names = PAIRS.filter(pairsOf);

    // Pass 1: every chunk through both paths, compared at the base tolerance.
    const base: Tolerance = { ...graphTolerance(model), ...options.tolerance };
    const userAtol = options.tolerance?.atol !== undefined;
    const parts = model.outputs.map(() => names.map((): ChunkReport[] => []));
    for (let k = 0; k < chunks; k++) {
      const values = chunkValues(k);
      options.onChunk?.({ firstSample: values.firstSample, layerOutputs: values.layer });
      timed('compare', () =>
        model.outputs.forEach((_, i) =>
          names.forEach((name, p) => parts[i][p].push({ report: compareOutputs(...pairArrays(name, values, i), base), firstSample: values.firstSample })),
        ),
      );
      progress(1, k);
    }
    const merged = model.outputs.map((_, i) => names.map((_, p) => timed('compare', () => mergeReports(parts[i][p]))));

    // The float32-floor rule, for outputs whose comparisons failed on tolerance alone.
    const failedOnTolerance = (reports: readonly ParityReport[]) =>
      reports.some((r) => !r.pass) && reports.every((r) => r.shapeMatch && r.nonFinite.actual + r.nonFinite.expected === 0);
    const candidates = model.outputs.map((_, i) => i).filter((i) => failedOnTolerance(merged[i]) && !userAtol && options.precision === 'float64');
    const widened: { output: string; float32Floor: number; atol: number }[] = [];
    const tolerances = model.outputs.map(() => base);
    if (candidates.length > 0) {
      // Pass 2: the hand path in float32 against float64, the floor a float32 framework cannot get below.
      const floors = model.outputs.map(() => NaN);
      for (let k = 0; k < chunks; k++) {
        const values = chunkValues(k);
        const float32 = hand(values.inputs, 'float32');
        for (const i of candidates) {
          const floor = timed('compare', () => compareOutputs(float32[i], values.hand[i], { atol: 0, rtol: 0 }).maxAbsError);
          floors[i] = Number.isNaN(floors[i]) ? floor : Number.isNaN(floor) ? floors[i] : Math.max(floors[i], floor);
        }
        if (chunks > 1) progress(2, k);
      }
      for (const i of candidates) {
        if (!Number.isFinite(floors[i])) continue;
        const tolerance = floorAwareTolerance(base, floors[i]);
        if (tolerance.atol > base.atol) {
          widened.push({ output: model.outputs[i], float32Floor: floors[i], atol: tolerance.atol });
          tolerances[i] = tolerance;
        }
      }
      // Pass 3: the widened outputs compared again.
      const again = candidates.filter((i) => tolerances[i] !== base);
      if (again.length > 0) {
        again.forEach((i) => names.forEach((_, p) => (parts[i][p] = [])));
        for (let k = 0; k < chunks; k++) {
          const values = chunkValues(k);
          timed('compare', () =>
            again.forEach((i) =>
              names.forEach((name, p) =>
                parts[i][p].push({ report: compareOutputs(...pairArrays(name, values, i), tolerances[i]), firstSample: values.firstSample }),
              ),
            ),
          );
          if (chunks > 1) progress(3, k);
        }
        again.forEach((i) => names.forEach((_, p) => (merged[i][p] = timed('compare', () => mergeReports(parts[i][p])))));
      }
    }

    const comparisons: Comparison[] = model.outputs.flatMap((output, i) => names.map((name, p) => ({ output, name, report: merged[i][p] })));
    const pass = comparisons.every((c) => c.report.pass);
    if (pass && options.onPass) await options.onPass(tfModel);
    const { rows, totalParameters } = summarizeGraph(model);
    const shown = first ?? chunkValues(0);
    return {
      model,
      layers: rows,
      totalParameters,
      backend,
      precision: options.precision,
      layerImpl: options.layerImpl ?? 'tfjs',
      seed: options.seed,
      inputSource: options.inputs || options.inputSources ? 'given' : 'seed',
      samples,
      chunks: { samples: Math.min(chunk, samples), count: chunks },
      inputShapes: sources.map((s) => s.shape.slice()),
      inputs: shown.inputs,
      outputs: model.outputs.map((name, i) => ({
        name,
        shape: [samples, ...shown.hand[i].shape.slice(1)],
        layer: shown.layer[i],
        hand: shown.hand[i],
        ...(shown.expected ? { expected: shown.expected[i] } : {}),
      })),
      comparisons,
      tolerance: { base, reductionSize: graphReductionSize(model), userAtol, widened },
      pass,
      timingsMs: {
        backend: backendMs,
        model: modelMs,
        read: round2(timings.read),
        layerPath: round2(timings.layerPath),
        handPath: round2(timings.handPath),
        compare: round2(timings.compare),
      },
    };
  } finally {
    tfModel.dispose();
  }
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
