/**
 * checkGradients: the three-way gradient check of one model, for one loss on one batch.
 *
 *   layer vs hand                  tfjs's autodiff (float32, the chosen backend) against the hand backward
 *                                  pass (float64): does tfjs train the model Keras defines?
 *   hand vs finite differences     the hand backward against central differences of the hand forward
 *                                  (float64): is the reference itself right?
 *   hand vs Keras, layer vs Keras  with Keras's own gradients (GradientTape), where given
 *
 * per weight tensor (every layer's weights in Keras's order, trainable or not) and per float input.
 * Library code: returns a result or throws a typed error; never prints or exits.
 */
import { selectBackend, type BackendChoice, type BackendInfo } from '../backends';
import { compareGradients, maxAbs, norm2, type GradientDifference } from '../gradients/compare-gradients';
import { probePasses, probeTensor, type FiniteDifferenceProbe } from '../gradients/finite-differences';
import { lossTargets, modelLoss, type LossName } from '../gradients/losses';
import { ConfigError, ShapeError } from '../errors';
import type { NdArray } from '../tensor';
import { checkInputs } from './check-inputs';
import { backwardGraph, handLoss, handLossGradients, type GraphGradients } from './hand-backward';
import { forwardGraphValues } from './hand-forward';
import type { HandTensor } from '../layers/kind';
import type { GraphModel } from './model';
import { graphReductionSize } from './tolerance';
import { tfjsGradientFixNotes } from './tfjs-gradient-notes';

export interface GradientCheckOptions {
  readonly model: GraphModel;
  readonly backend: BackendChoice;
  readonly loss: LossName;
  readonly seed: number;
  readonly inputs?: readonly NdArray[];
  /** How the layer path builds its recurrent layers: tfjs's own (default) or the fused ones (docs/fused-layers.md). */
  readonly layerImpl?: 'tfjs' | 'fused';
  readonly batch?: number;
  readonly timeSteps?: number;
  /** One per output; seeded when absent (src/gradients/losses.ts). */
  readonly targets?: readonly NdArray[];
  /**
   * Keras's gradients for these inputs and targets, by tensor name (`input "x"` for a float input, `layer/weight` for a weight): from the model as
   * saved (float32) and from its float64 rebuild, either or both. hand vs Keras reads float64 where given,
   * layer vs Keras float32 where given.
   */
  readonly keras?: KerasGradients;
  /** Overrides the default tolerances (scaled max error), per pair. */
  readonly tolerance?: Partial<GradientTolerances>;
  /** Entries probed one by one per tensor by the finite differences (default 4). */
  readonly finiteDifferenceEntries?: number;
  /** Skips the layer path (the hand and finite-difference checks alone; no backend loads). */
  readonly handOnly?: boolean;
  /** Skips the finite differences (where Keras's gradients are the reference being tested against). */
  readonly skipFiniteDifferences?: boolean;
  /** Called as the finite differences move from tensor to tensor (they run the forward 2 + 2 * entries times each). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface KerasGradients {
  readonly float32?: ReadonlyMap<string, NdArray>;
  readonly float64?: ReadonlyMap<string, NdArray>;
}

export type GradientPair = 'layer vs hand' | 'hand vs finite differences' | 'hand vs Keras' | 'layer vs Keras';

interface GradientTolerances {
  /** float32 autodiff against float64: max |a - b| / max |b| per tensor. */
  readonly float32: number;
  /** Central differences against the float64 backward. */
  readonly finiteDifferences: number;
  /** float64 against Keras float64. */
  readonly float64: number;
}

export interface TensorGradientRow {
  /** `input "x"` or `layer/weight`, e.g. `lstm/recurrent_kernel`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** The hand path's float64 gradient: max |g| and ||g||_2 (the scale of the comparisons). */
  readonly maxAbs: number;
  readonly norm: number;
  readonly comparisons: readonly { pair: GradientPair; difference: GradientDifference }[];
  readonly probes: readonly FiniteDifferenceProbe[];
}

export interface GradientCheckResult {
  readonly loss: LossName;
  readonly lossValue: { hand: number; layer?: number };
  readonly backend?: BackendInfo;
  readonly seed: number;
  readonly inputSource: 'given' | 'seed';
  readonly targetSource: 'given' | 'seed' | 'none';
  readonly rows: readonly TensorGradientRow[];
  readonly tolerances: GradientTolerances;
  /** tfjs fixes the layer path needed for this model's gradients (the one-time-step Unpack gradient). */
  readonly tfjsFixes: readonly string[];
  /** Tensors whose float32 tolerance the float32-floor rule widened: the hand path's float32 distance, and the tolerance used. */
  readonly widened: readonly { tensor: string; float32Floor: number; tolerance: number }[];
  /** Why the layer path has no gradients at all: tfjs cannot differentiate the model on this backend (a fail). */
  readonly layerPathError?: string;
  /** Why the layer path has no gradients for the inputs (it has the weights'; not a fail: training needs only those). */
  readonly inputsError?: string;
  readonly pass: boolean;
  readonly timingsMs: Readonly<Record<'handPath' | 'finiteDifferences' | 'layerPath', number>>;
}

/** The float32-floor rule's factor: a float32 path may sit this many times the float32 hand path's distance from float64. */
export const FLOAT32_FLOOR_FACTOR = 4;

/**
 * Default tolerances, from measurements (docs/gradients.md has the tables):
 *   float32: layer vs hand over the Keras goldens and random models, worst scaled max error measured, x10,
 *            growing with the longest reduction K as the forward's does (sqrt(K / 16));
 *   finiteDifferences: central differences of smooth float64 losses agree to ~1e-9 scaled; 1e-6;
 *   float64: the hand path against Keras float64, both exact to ~1e-15; 1e-10.
 */
export function defaultGradientTolerances(model: GraphModel): GradientTolerances {
  const k = graphReductionSize(model);
  return { float32: 2e-5 * Math.max(1, Math.sqrt(k / 16)), finiteDifferences: 1e-6, float64: 1e-10 };
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 100) / 100;
}

/**
 * The entries of a model input at the steps a Masking layer reading it masks, where the loss jumps (moving
 * one value off mask_value unmasks the whole step): finite differences cannot probe them. Flat indices of
 * [batch, timeSteps, features]; undefined when no Masking layer reads the input.
 */
function maskedSteps(model: GraphModel, values: ReadonlyMap<string, HandTensor>, input: string): ((index: number) => boolean) | undefined {
  const masks = model.layers.filter((l) => l.kind === 'masking' && l.inbound[0] === input).map((l) => (values.get(l.name) as HandTensor).mask);
  const shape = (values.get(input) as HandTensor).shape;
  if (masks.length === 0 || shape.length !== 3) return undefined;
  const features = shape[2];
  return (index) => masks.some((mask) => mask !== undefined && mask[Math.floor(index / features)] === 0);
}

/** The finite differences of one tensor as one comparison: its worst probe, scaled as the probes are. */
function finiteDifferenceComparison(
  probes: readonly FiniteDifferenceProbe[],
  hand: ArrayLike<number>,
  tolerance: number,
): { pair: GradientPair; difference: GradientDifference } {
  // The worst judged probe (a probe across a kink is shown in the JSON, not judged); all across kinks: the first.
  const judged = probes.filter((p) => p.smooth || !Number.isFinite(p.numeric) || !Number.isFinite(p.analytic));
  const worst = (judged.length > 0 ? judged : probes).reduce((a, b) => (b.scaledError > a.scaledError || Number.isNaN(b.scaledError) ? b : a));
  return {
    pair: 'hand vs finite differences',
    difference: {
      relativeNormError: probes[0].scaledError,
      scaledMaxError: worst.scaledError,
      maxAbsError: Math.abs(worst.analytic - worst.numeric),
      worstIndex: worst.at === 'direction' ? -1 : worst.at,
      worstActual: worst.analytic,
      worstExpected: worst.numeric,
      scale: maxAbs(hand) || 1,
      nonFinite: probes.filter((p) => !Number.isFinite(p.analytic) || !Number.isFinite(p.numeric)).length,
      tolerance,
      pass: probes.every((p) => probePasses(p, tolerance)),
    },
  };
}

/**
 * Runs the check.
 * @throws ConfigError, ShapeError for inputs, targets or Keras gradients that do not fit; ConfigError when a
 *   layer's kind has no hand backward; BackendUnavailableError.
 */
export async function checkGradients(options: GradientCheckOptions): Promise<GradientCheckResult> {
  const { model, loss, seed } = options;
  const inputs = checkInputs(model, options);
  const tolerances = { ...defaultGradientTolerances(model), ...options.tolerance };

  let t = performance.now();
  const values = forwardGraphValues(model, inputs, 'float64');
  const handOutputs = model.outputs.map((ref) => values.get(ref) as HandTensor);
  const targets = lossTargets(
    loss,
    handOutputs.map((o, k) => ({ name: model.outputs[k], shape: o.shape })),
    seed,
    options.targets,
  );
  const { value: handLossValue, gradients: outputGradients } = modelLoss(loss, handOutputs, targets);
  const hand = backwardGraph(model, values, outputGradients, 'float64');
  const handPathMs = elapsed(t);

  // The tensors in report order, with the hand path's gradient of each.
  const tensors: { name: string; shape: readonly number[]; hand: ArrayLike<number>; input?: number; layer?: number; weight?: number }[] = [];
  model.inputs.forEach((input, i) => {
    const g = hand.inputs[i];
    if (g !== null) tensors.push({ name: `input "${input.name}"`, shape: inputs[i].shape, hand: g, input: i });
  });
  model.layers.forEach((layer, l) =>
    layer.weights.forEach((w, k) => tensors.push({ name: `${layer.name}/${w.name}`, shape: w.shape, hand: hand.weights[l][k], layer: l, weight: k })),
  );

  // Finite differences of the float64 hand forward, on float64 copies of the weights and inputs.
  t = performance.now();
  const weights64 = model.layers.map((layer) => layer.weights.map((w) => Float64Array.from(w.data)));
  const inputs64 = inputs.map((x) => ({ shape: x.shape, data: Float64Array.from(x.data) }));
  const lossAt = (): number => handLoss(model, inputs64, loss, targets, weights64);
  const probes = tensors.map((tensor, n) => {
    options.onProgress?.(n, tensors.length);
    if (options.skipFiniteDifferences) return [];
    const values64 = tensor.input !== undefined ? inputs64[tensor.input].data : weights64[tensor.layer!][tensor.weight!];
    const skip = tensor.input !== undefined ? maskedSteps(model, values, model.inputs[tensor.input].name) : undefined;
    return probeTensor(values64, tensor.hand, lossAt, {
      entries: options.finiteDifferenceEntries ?? 4,
      seed: seed + n,
      tolerance: tolerances.finiteDifferences,
      ...(skip ? { skip } : {}),
    });
  });
  const finiteDifferencesMs = elapsed(t);

  // The layer path: tfjs's autodiff on the chosen backend.
  let layer:
    { loss: number; gradients: (ArrayLike<number> | null)[]; unpackFixed: boolean; addedGradients: readonly string[]; inputsError?: string } | undefined;
  let layerPathError: string | undefined;
  let backend: BackendInfo | undefined;
  t = performance.now();
  if (!options.handOnly) {
    backend = await selectBackend(options.backend);
    const { buildTfjsModel } = await import('./tfjs-model');
    const { layerPathGradients } = await import('./tfjs-gradients');
    const tfModel = buildTfjsModel(model, { layerImpl: options.layerImpl ?? 'tfjs' });
    try {
      const result = layerPathGradients(tfModel, model, inputs, loss, targets);
      layer = {
        loss: result.loss,
        unpackFixed: result.unpackGradient === 'fixed',
        addedGradients: result.addedGradients,
        gradients: tensors.map((tensor) =>
          tensor.input !== undefined ? result.gradients.inputs[tensor.input] : result.gradients.weights[tensor.layer!][tensor.weight!],
        ),
        ...(result.inputsError !== undefined ? { inputsError: result.inputsError } : {}),
      };
    } catch (error) {
      // tfjs cannot differentiate the model here: a finding about the layer path, reported, not a crash.
      if ((error as Error).name !== 'LayerPathGradientError') throw error;
      layerPathError = (error as Error).message;
    } finally {
      tfModel.dispose();
    }
  }
  const layerPathMs = elapsed(t);

  const kerasHand = options.keras?.float64 ?? options.keras?.float32;
  const kerasLayer = options.keras?.float32 ?? options.keras?.float64;
  for (const map of [options.keras?.float32, options.keras?.float64]) {
    if (!map) continue;
    for (const tensor of tensors) {
      const k = map.get(tensor.name);
      // Every weight must have one; an input may be left out (a golden too large to keep, e.g. the IRNN's).
      if (k === undefined && tensor.input === undefined) throw new ConfigError(`Keras gradients: expected one for ${tensor.name}, got none`);
      if (k === undefined) continue;
      if (k.data.length !== tensor.hand.length) {
        throw new ShapeError(
          `Keras gradient of ${tensor.name}: expected ${tensor.hand.length} values (shape [${tensor.shape.join(', ')}]), got ${k.data.length}`,
        );
      }
    }
  }
  const kerasTolerance = options.keras?.float64 ? tolerances.float64 : tolerances.float32;
  // The float32-floor rule, as for outputs: where a float32 path misses the default on a tensor, the hand path's
  // own float32 gradient shows how far float32 arithmetic lands from float64 there (a gradient made by
  // cancellation: LayerNormalization over 2 features, a tiny recurrent-kernel gradient). The tolerance becomes
  // FLOAT32_FLOOR_FACTOR x that floor (scaled); measured: tfjs within 2.25x of the float32 hand path's distance
  // on every such tensor of the no-false-alarm sweep, real bugs 1e6 above it. Not with a tolerance the user set.
  let float32Hand: GraphGradients | undefined;
  const widened: { tensor: string; float32Floor: number; tolerance: number }[] = [];
  const float32Tolerance = (n: number): number => {
    if (options.tolerance?.float32 !== undefined) return tolerances.float32;
    float32Hand ??= handLossGradients(model, inputs, loss, targets, 'float32').gradients;
    const tensor = tensors[n];
    const g32 = tensor.input !== undefined ? float32Hand.inputs[tensor.input] : float32Hand.weights[tensor.layer!][tensor.weight!];
    if (!g32) return tolerances.float32;
    const floor = compareGradients(g32, tensor.hand, 0).scaledMaxError;
    const widenedTolerance = FLOAT32_FLOOR_FACTOR * floor;
    if (!Number.isFinite(widenedTolerance) || widenedTolerance <= tolerances.float32) return tolerances.float32;
    widened.push({ tensor: tensor.name, float32Floor: floor, tolerance: widenedTolerance });
    return widenedTolerance;
  };
  const compareFloat32 = (actual: ArrayLike<number>, expected: ArrayLike<number>, n: number): GradientDifference => {
    const first = compareGradients(actual, expected, tolerances.float32);
    if (first.pass || first.nonFinite > 0) return first;
    const tolerance = float32Tolerance(n);
    return tolerance > tolerances.float32 ? compareGradients(actual, expected, tolerance) : first;
  };
  const rows: TensorGradientRow[] = tensors.map((tensor, n) => {
    const comparisons: { pair: GradientPair; difference: GradientDifference }[] = [];
    const layerGradient = layer?.gradients[n] ?? null;
    if (layerGradient) comparisons.push({ pair: 'layer vs hand', difference: compareFloat32(layerGradient, tensor.hand, n) });
    if (probes[n].length > 0) comparisons.push(finiteDifferenceComparison(probes[n], tensor.hand, tolerances.finiteDifferences));
    const kHand = kerasHand?.get(tensor.name);
    if (kHand) comparisons.push({ pair: 'hand vs Keras', difference: compareGradients(tensor.hand, kHand.data, kerasTolerance) });
    const kLayer = kerasLayer?.get(tensor.name);
    if (kLayer && layerGradient) comparisons.push({ pair: 'layer vs Keras', difference: compareFloat32(layerGradient, kLayer.data, n) });
    return { name: tensor.name, shape: tensor.shape, maxAbs: maxAbs(tensor.hand), norm: norm2(tensor.hand), comparisons, probes: probes[n] };
  });
  return {
    loss,
    tfjsFixes: layer && backend ? tfjsGradientFixNotes(model, values, backend.name, layer) : [],
    ...(layerPathError !== undefined ? { layerPathError } : {}),
    ...(layer?.inputsError !== undefined ? { inputsError: layer.inputsError } : {}),
    lossValue: { hand: handLossValue, ...(layer ? { layer: layer.loss } : {}) },
    ...(backend ? { backend } : {}),
    seed,
    inputSource: options.inputs ? 'given' : 'seed',
    targetSource: loss === 'sum-squares' ? 'none' : options.targets ? 'given' : 'seed',
    rows,
    tolerances,
    widened: [...new Map(widened.map((w) => [w.tensor, w])).values()],
    // A layer path tfjs cannot differentiate fails the check: such a model cannot be trained in tfjs.
    pass: layerPathError === undefined && rows.every((row) => row.comparisons.every((c) => c.difference.pass)),
    timingsMs: { handPath: handPathMs, finiteDifferences: finiteDifferencesMs, layerPath: layerPathMs },
  };
}
