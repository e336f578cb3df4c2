/**
 * The hand path's backward pass over a whole graph: reverse graph order, each layer's kind turning the
 * gradients of its outputs into those of its inputs and weights (backpropagation through time inside the
 * recurrent kinds). Plain TypeScript, no tfjs, like the forward (./hand-forward.ts).
 */
import { ConfigError } from '../errors';
import { modelLoss, type LossName } from '../gradients/losses';
import type { AnyLayerKind, HandTensor, WeightData } from '../layers/kind';
import { layerKind } from '../layers/registry';
import { withBpttFaults, type BpttFaults } from '../hand/bptt';
import { arithmeticFor, type Precision } from '../hand/precision';
import type { NdArray } from '../tensor';
import { forwardGraphValues } from './hand-forward';
import { tensorRef, type GraphLayer, type GraphModel, type TensorRef } from './model';

type Values = Float64Array | Float32Array;

export interface GraphGradients {
  /** dL/d(model input i), its shape; null for an integer (token id) input. */
  readonly inputs: readonly (Values | null)[];
  /** dL/d(weight w of layer l) as weights[l][w], in the layer's weight order and shape. */
  readonly weights: readonly (readonly Values[])[];
}

/** A kind's backward pass (LayerKind.backward). */
export type LayerBackward = NonNullable<AnyLayerKind['backward']>;

/**
 * The fault seam of the hand backward (apps/faults/gradients/ injects its bugs here, never into a copy of this
 * code): each hook alters one step of the real code. Without faults the code path is the shipped one.
 */
export interface BackwardFaults {
  /** BPTT's hooks, for every recurrent layer the backward runs (those a Bidirectional or TimeDistributed holds too). */
  readonly bptt?: BpttFaults;
  /** The backward to run for `layer` in place of its kind's, where this returns one (a wrapper of kind.backward). */
  readonly layer?: (layer: GraphLayer, kind: AnyLayerKind) => LayerBackward | undefined;
}

/** The faults withBackwardFaults has put in scope (none outside one). */
let faultsInScope: BackwardFaults | undefined;

/**
 * Runs `run` with `faults` as the default of every backwardGraph it makes: how a fault reaches the backward of
 * a caller that takes no faults (checkGradients). When `run` returns a promise the scope lasts until it
 * settles, so run one scope at a time, and nothing else that differentiates meanwhile. Tests only.
 */
export function withBackwardFaults<T>(faults: BackwardFaults | undefined, run: () => T): T {
  const outer = faultsInScope;
  faultsInScope = faults;
  let result: T;
  try {
    result = run();
  } catch (error) {
    faultsInScope = outer;
    throw error;
  }
  if (!(result instanceof Promise)) {
    faultsInScope = outer;
    return result;
  }
  return result.finally(() => {
    faultsInScope = outer;
  }) as T;
}

/** The refs of a layer's outputs: its name, then `name:1`, ... for every extra output the forward made. */
function outputRefs(name: string, values: ReadonlyMap<TensorRef, HandTensor>): TensorRef[] {
  const refs = [name];
  while (values.has(tensorRef(name, refs.length))) refs.push(tensorRef(name, refs.length));
  return refs;
}

/**
 * Backpropagates `outputGradients` (dL/d each model output, in model.outputs order) through the graph.
 * @param values the forward's tensors (forwardGraphValues) for the same inputs, weights and precision
 * @param faults fault hooks (tests only): by default those of the enclosing withBackwardFaults, none outside one
 * @throws ConfigError when a layer's kind has no hand backward.
 */
export function backwardGraph(
  model: GraphModel,
  values: ReadonlyMap<TensorRef, HandTensor>,
  outputGradients: readonly Values[],
  precision: Precision = 'float64',
  weights: readonly (readonly WeightData[])[] = model.layers.map((layer) => layer.weights.map((w) => w.data)),
  faults: BackwardFaults | undefined = faultsInScope,
): GraphGradients {
  const arith = arithmeticFor(precision);
  const grads = new Map<TensorRef, Values>();
  const accumulate = (ref: TensorRef, gradient: Values): void => {
    const sum = grads.get(ref);
    if (sum === undefined) {
      grads.set(ref, arith.load(gradient).slice());
      return;
    }
    for (let i = 0; i < sum.length; i++) sum[i] = arith.round(sum[i] + gradient[i]);
  };
  model.outputs.forEach((ref, k) => accumulate(ref, outputGradients[k]));

  const weightGrads: Values[][] = model.layers.map((layer) => layer.weights.map((w) => arith.alloc(w.data.length)));
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const layer = model.layers[l];
    const refs = outputRefs(layer.name, values);
    if (!refs.some((ref) => grads.has(ref))) continue; // nothing the loss reads depends on it
    const kind = layerKind(layer.kind);
    if (!kind.backward) throw new ConfigError(`layer "${layer.name}" (${kind.kerasClass}): expected a kind with a hand backward pass, got none yet`);
    const outGrads = refs.map((ref) => grads.get(ref) ?? arith.alloc((values.get(ref) as HandTensor).data.length));
    const inputs = layer.inbound.map((from) => values.get(from) as HandTensor);
    const backward = faults?.layer?.(layer, kind) ?? kind.backward;
    const run = () => backward(layer.config, weights[l], inputs, outGrads, arith);
    const result = faults?.bptt ? withBpttFaults(faults.bptt, run) : run();
    result.weights.forEach((g, w) => (weightGrads[l][w] = g));
    result.inputs.forEach((g, i) => {
      if (g !== null) accumulate(layer.inbound[i], g);
    });
  }
  return {
    inputs: model.inputs.map((input) =>
      input.dtype === 'int32' ? null : (grads.get(input.name) ?? arith.alloc((values.get(input.name) as HandTensor).data.length)),
    ),
    weights: weightGrads,
  };
}

interface HandLossGradients {
  readonly loss: number;
  readonly outputs: NdArray[];
  readonly gradients: GraphGradients;
}

/**
 * The loss of the model on `inputs` and its gradients, all on the hand path.
 * @param targets one per output (undefined for sum-squares), as lossTargets gives them
 * @param weights float64 copies for the finite differences; default the model's own
 */
export function handLossGradients(
  model: GraphModel,
  inputs: readonly NdArray[],
  loss: LossName,
  targets: readonly (NdArray | undefined)[],
  precision: Precision = 'float64',
  weights?: readonly (readonly WeightData[])[],
): HandLossGradients {
  const values = forwardGraphValues(model, inputs, precision, weights);
  const outputs = model.outputs.map((ref) => {
    const out = values.get(ref) as HandTensor;
    return { shape: out.shape.slice(), data: out.data };
  });
  const { value, gradients } = modelLoss(loss, outputs, targets);
  return { loss: value, outputs, gradients: backwardGraph(model, values, gradients, precision, weights) };
}

/** The loss alone (the finite differences' function). */
export function handLoss(
  model: GraphModel,
  inputs: readonly NdArray[],
  loss: LossName,
  targets: readonly (NdArray | undefined)[],
  weights?: readonly (readonly WeightData[])[],
): number {
  const values = forwardGraphValues(model, inputs, 'float64', weights);
  const outputs = model.outputs.map((ref) => values.get(ref) as HandTensor);
  return modelLoss(loss, outputs, targets).value;
}
