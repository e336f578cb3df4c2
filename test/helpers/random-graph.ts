/**
 * Random GraphModels of the registered layer kinds, for property tests (test/graph/random-graphs.property.test.ts).
 *
 * fast-check draws only small integers and booleans (a GraphChoice); buildRandomGraph turns them into a valid
 * model deterministically: each step's kind is the one it prefers when that kind accepts the current shape, else
 * one that does, and every config is a typed config object built here (never through readConfig). Shrinking
 * therefore walks towards kind 0, 1 unit, fewer layers, and every shrunk choice is still a valid model.
 *
 * Shapes come from the kinds' own outputShape, weight shapes from their weightShapes (through inferShapes /
 * inboundShapes), and weights from a seeded NumPy stream: uniform in [-0.5, 0.5), kernels (kernel,
 * recurrent_kernel) scaled by 1 / sqrt(fan_in), fan_in = the kernel's first axis.
 */
import fc from 'fast-check';
import type { GraphInput, GraphLayer, GraphModel, Shape, WeightArray } from '../../src/graph/model';
import { inboundShapes, inferShapes } from '../../src/graph/shapes';
import { NumpyRandomState } from '../../src/data/numpy-random';
import type { ActivationConfig } from '../../src/layers/activation';
import type { AlphaDropoutConfig } from '../../src/layers/alpha-dropout';
import type { BatchNormalizationConfig } from '../../src/layers/batch-normalization';
import type { ConcatenateConfig } from '../../src/layers/concatenate';
import type { Conv1dConfig } from '../../src/layers/conv1d';
import type { DenseConfig } from '../../src/layers/dense';
import type { DropoutConfig } from '../../src/layers/dropout';
import type { FlattenConfig } from '../../src/layers/flatten';
import type { GaussianDropoutConfig } from '../../src/layers/gaussian-dropout';
import type { GaussianNoiseConfig } from '../../src/layers/gaussian-noise';
import type { GlobalPooling1dConfig } from '../../src/layers/global-pooling-1d';
import type { GruConfig } from '../../src/layers/gru';
import type { LayerNormalizationConfig } from '../../src/layers/layer-normalization';
import type { LstmConfig } from '../../src/layers/lstm';
import type { Pooling1dConfig } from '../../src/layers/pooling-1d';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';
import type { RepeatVectorConfig } from '../../src/layers/repeat-vector';
import type { ReshapeConfig } from '../../src/layers/reshape';
import type { SpatialDropout1dConfig } from '../../src/layers/spatial-dropout-1d';
import type { BidirectionalConfig } from '../../src/layers/bidirectional';
import type { TimeDistributedConfig } from '../../src/layers/time-distributed';
import { LAYER_KINDS, layerKind } from '../../src/layers/registry';
import { sizeOf } from '../../src/tensor';

/** The raw draws for one layer; what they mean depends on the kind it becomes. */
interface StepChoice {
  /** Preferred kind: index into the generated kinds (wraps). */
  readonly kind: number;
  /** 1-8. */
  readonly units: number;
  readonly activation: number;
  readonly recurrentActivation: number;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly resetAfter: boolean;
  /**
   * Rate, stddev, seed and noise shape of the inference identities; Flatten's data format; Conv1D's and the
   * poolings' padding, stride and dilation; the normalizations' epsilon; a merge's input count and partners.
   */
  readonly option: number;
  /** Reshape: which target shape of those that fit; Conv1D's kernel size, pool_size, RepeatVector's n. */
  readonly target: number;
}

/** One chain of layers, each reading the one before; the first reads `from`. Its last layer is a model output. */
interface ChainChoice {
  /** Chain 0: input 0. Later chains: their own input when there are as many inputs as chains, else node `from` of chain 0 (0 = its input, i = its i-th layer). */
  readonly from: number;
  readonly steps: readonly StepChoice[];
}

interface GraphChoice {
  readonly topology: 'Sequential' | 'Functional';
  /** Per input: [batch, timeSteps, features]'s timeSteps 1-6 and features 1-5. */
  readonly inputs: readonly { readonly timeSteps: number; readonly features: number }[];
  readonly chains: readonly ChainChoice[];
  /** 1-3: the batch of the seeded inputs. */
  readonly batch: number;
  readonly weightSeed: number;
  readonly inputSeed: number;
}

/** A generated model with what the check needs, printed readably by fast-check. */
interface RandomGraph {
  readonly model: GraphModel;
  readonly batch: number;
  readonly inputSeed: number;
  readonly weightSeed: number;
  /** Every layer's output shape (symbolic batch), by name. */
  readonly shapes: ReadonlyMap<string, Shape>;
  /** One line per input and layer: name, kind, inbound, typed config, output shape, weight shapes. */
  describe(): string;
}

/** Activations of Dense and Activation layers (our names), softmax included. */
const DENSE_ACTIVATIONS = ['linear', 'tanh', 'relu', 'sigmoid', 'elu', 'softsign', 'softmax'] as const;
/** Activations of the recurrent layers (elementwise). */
const RECURRENT_ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'elu', 'softsign'] as const;
/** Gate activations: Keras's sigmoid, Keras 3's hard_sigmoid and tfjs's (Keras 2's) hard sigmoid. */
const GATE_ACTIVATIONS = ['sigmoid', 'hard_sigmoid', 'hard_sigmoid_tfjs'] as const;
const RATES = [0, 0.1, 0.5] as const;

interface KindGenerator {
  readonly kind: string;
  /** Needs [batch, timeSteps, features]. */
  readonly needsSequence: boolean;
  accepts(shape: Shape): boolean;
  /** `nextNeedsSequence`: the next layer of the chain prefers a kind that needs [batch, timeSteps, features]. */
  config(step: StepChoice, shape: Shape, nextNeedsSequence: boolean): unknown;
  /**
   * Merge kinds (several inputs; Functional graphs only): the inputs besides `from`, distinct nodes before it
   * (model inputs and layers, with their shapes) that fit, and the config for them; undefined where none fits
   * (the step then becomes another kind). Never `from` twice: Add([x, x]) is a valid Keras call, but tfjs
   * 4.22's executor counts a layer reading x twice as one recipient and decrements twice, so it disposes x
   * while another layer still needs it (model.predict fails); rnn-parity's layer path shares that bug.
   */
  merge?(step: StepChoice, from: string, earlier: ReadonlyMap<string, Shape>): { partners: string[]; config: unknown } | undefined;
}

const pick = <T>(values: readonly T[], index: number): T => values[index % values.length];
const rank3 = (shape: Shape): boolean => shape.length === 3 && typeof shape[2] === 'number';
const allKnown = (shape: Shape): boolean => shape.slice(1).every((d) => d !== null);

function recurrentConfig(step: StepChoice, nextNeedsSequence: boolean): RecurrentConfig {
  return {
    units: step.units,
    activation: pick(RECURRENT_ACTIVATIONS, step.activation),
    useBias: step.useBias,
    // Where the next layer needs a sequence, it gets one.
    returnSequences: step.returnSequences || nextNeedsSequence,
    goBackwards: step.goBackwards,
    unroll: false,
    zeroOutputForMask: false,
    returnState: false,
    dropout: 0,
    recurrentDropout: 0,
  };
}

function identityRate(step: StepChoice): number {
  return pick(RATES, step.option);
}

function identitySeed(step: StepChoice): number | null {
  return step.option % 2 === 0 ? null : 1337;
}

/** Epsilons of the normalization layers: Keras's default and a small one. */
const EPSILONS = [1e-3, 1e-5] as const;

/** Conv1D: kernel 1-3, padding from `option`, stride 2 or dilation 2 on some; valid only where the window fits. */
function conv1dConfig(step: StepChoice, shape: Shape): Conv1dConfig {
  const timeSteps = shape[1] as number;
  const kernelSize = 1 + (step.target % 3);
  const padding = pick(['valid', 'same', 'causal'] as const, step.option);
  const spread = Math.floor(step.option / 3) % 3; // 0: plain, 1: stride 2, 2: dilation 2
  const strides = spread === 1 ? 2 : 1;
  const dilationRate = spread === 2 ? 2 : 1;
  const fits = (kernelSize - 1) * dilationRate + 1 <= timeSteps;
  return {
    filters: step.units,
    kernelSize,
    strides,
    padding: padding === 'valid' && !fits ? 'causal' : padding,
    dilationRate,
    activation: pick(DENSE_ACTIVATIONS, step.activation),
    useBias: step.useBias,
  };
}

/** Pooling: pool_size 1-3 (at most the time steps for valid), strides = pool_size or 1, padding from `option`. */
function pooling1dConfig(step: StepChoice, shape: Shape): Pooling1dConfig {
  const timeSteps = shape[1] as number;
  const padding = pick(['valid', 'same'] as const, step.option);
  const poolSize = padding === 'valid' ? Math.min(1 + (step.target % 3), timeSteps) : 1 + (step.target % 3);
  return { poolSize, strides: step.goBackwards ? 1 : poolSize, padding };
}

/** Nodes before this one whose shape equals `shape` (unknown sizes match anything), `from` excluded. */
function sameShape(earlier: ReadonlyMap<string, Shape>, from: string, fits: (other: Shape) => boolean): string[] {
  return [...earlier.entries()].filter(([name, other]) => name !== from && fits(other)).map(([name]) => name);
}

const equalDims = (a: Shape, b: Shape, skip = -1): boolean => a.length === b.length && a.every((d, i) => i === skip || i === 0 || d === b[i]);

/**
 * An elementwise merge: 2 inputs (Subtract always; the others when `option` is even) or 3 where two distinct
 * partners of the same shape exist.
 */
function elementwiseMerge(
  step: StepChoice,
  from: string,
  earlier: ReadonlyMap<string, Shape>,
  maxInputs: number,
): { partners: string[]; config: unknown } | undefined {
  const shape = earlier.get(from) as Shape;
  const fitting = sameShape(earlier, from, (other) => equalDims(other, shape));
  if (fitting.length === 0) return undefined;
  const first = step.target % fitting.length;
  const count = maxInputs === 2 || step.option % 2 === 0 ? 1 : Math.min(2, fitting.length);
  return { partners: Array.from({ length: count }, (_, i) => fitting[(first + i) % fitting.length]), config: {} };
}

/** Reshape targets for `count` values per sample, rank 1 or 2 (so the output is rank 2 or 3), some with -1. */
function reshapeTargets(count: number): number[][] {
  const targets: number[][] = [];
  for (let a = 1; a <= count; a++) {
    if (count % a !== 0) continue;
    targets.push([a, count / a], [-1, count / a], [a, -1]);
  }
  targets.push([count], [-1]);
  return targets;
}

/** The recurrent kinds a Bidirectional may hold, with the config each takes. */
function heldRecurrent(step: StepChoice, next: boolean): { kind: string; config: RecurrentConfig } {
  const base = { ...recurrentConfig(step, next), goBackwards: false };
  const gate = pick(GATE_ACTIVATIONS, step.recurrentActivation);
  return pick(
    [
      { kind: 'simple-rnn', config: base },
      { kind: 'lstm', config: { ...base, recurrentActivation: gate, unitForgetBias: true } as RecurrentConfig },
      { kind: 'gru', config: { ...base, recurrentActivation: gate, resetAfter: step.resetAfter } as RecurrentConfig },
    ],
    step.target,
  );
}

/**
 * Kinds this generator does not draw, and where they are covered instead: Embedding needs integer inputs, and
 * a mask (Embedding(mask_zero=True), Masking) must not reach the merges and GlobalAveragePooling1D, which
 * refuse one; test/graph/random-token-models.property.test.ts draws masked token and Masking models.
 */
export const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  embedding: 'test/graph/random-token-models.property.test.ts',
  masking: 'test/graph/random-token-models.property.test.ts',
};

const GENERATORS: readonly KindGenerator[] = [
  {
    kind: 'bidirectional',
    needsSequence: true,
    accepts: rank3,
    config: (step, _shape, next): BidirectionalConfig => {
      const held = heldRecurrent(step, next);
      const kind = layerKind(held.kind);
      const zero = held.config.returnSequences;
      return {
        forward: { kind, config: { ...held.config, zeroOutputForMask: zero } },
        backward: { kind, config: { ...held.config, goBackwards: true, zeroOutputForMask: zero } },
        mergeMode: pick(['concat', 'sum', 'ave', 'mul'] as const, step.option),
        explicitBackward: false,
      };
    },
  },
  {
    kind: 'time-distributed',
    needsSequence: true,
    accepts: (shape) => rank3(shape) && allKnown(shape),
    config: (step): TimeDistributedConfig => ({
      layer: {
        kind: layerKind('dense'),
        config: { units: step.units, activation: pick(DENSE_ACTIVATIONS, step.activation), useBias: step.useBias } as DenseConfig,
      },
    }),
  },

  {
    kind: 'simple-rnn',
    needsSequence: true,
    accepts: rank3,
    config: (step, _shape, next) => recurrentConfig(step, next),
  },
  {
    kind: 'lstm',
    needsSequence: true,
    accepts: rank3,
    config: (step, _shape, next): LstmConfig => ({
      ...recurrentConfig(step, next),
      recurrentActivation: pick(GATE_ACTIVATIONS, step.recurrentActivation),
      unitForgetBias: step.resetAfter,
    }),
  },
  {
    kind: 'gru',
    needsSequence: true,
    accepts: rank3,
    config: (step, _shape, next): GruConfig => ({
      ...recurrentConfig(step, next),
      recurrentActivation: pick(GATE_ACTIVATIONS, step.recurrentActivation),
      resetAfter: step.resetAfter,
    }),
  },
  {
    kind: 'dense',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2 && typeof shape[shape.length - 1] === 'number',
    config: (step): DenseConfig => ({ units: step.units, activation: pick(DENSE_ACTIVATIONS, step.activation), useBias: step.useBias }),
  },
  {
    kind: 'activation',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2,
    config: (step): ActivationConfig => ({ activation: pick(DENSE_ACTIVATIONS, step.activation) }),
  },
  {
    kind: 'dropout',
    needsSequence: false,
    accepts: () => true,
    config: (step, shape): DropoutConfig => ({
      rate: identityRate(step),
      // A training-only mask shape: broadcast over time where there is a time axis.
      noiseShape: step.useBias || shape.length !== 3 ? null : [null, 1, shape[2]],
      seed: identitySeed(step),
    }),
  },
  {
    kind: 'spatial-dropout-1d',
    needsSequence: true,
    accepts: (shape) => shape.length === 3,
    config: (step): SpatialDropout1dConfig => ({ rate: identityRate(step), seed: identitySeed(step) }),
  },
  {
    kind: 'gaussian-noise',
    needsSequence: false,
    accepts: () => true,
    config: (step): GaussianNoiseConfig => ({ stddev: identityRate(step), seed: identitySeed(step) }),
  },
  {
    kind: 'gaussian-dropout',
    needsSequence: false,
    accepts: () => true,
    config: (step): GaussianDropoutConfig => ({ rate: identityRate(step), seed: identitySeed(step) }),
  },
  {
    kind: 'alpha-dropout',
    needsSequence: false,
    accepts: () => true,
    config: (step): AlphaDropoutConfig => ({ rate: identityRate(step), noiseShape: null, seed: identitySeed(step) }),
  },
  {
    kind: 'flatten',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2 && allKnown(shape),
    config: (step, shape): FlattenConfig => ({ dataFormat: shape.length >= 3 && step.option % 2 === 1 ? 'channels_first' : 'channels_last' }),
  },
  {
    kind: 'reshape',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2 && allKnown(shape),
    config: (step, shape, next): ReshapeConfig => {
      const all = reshapeTargets(sizeOf(shape.slice(1) as number[]));
      const fitting = next ? all.filter((t) => t.length === 2) : all;
      return { targetShape: pick(fitting, step.target) };
    },
  },
  {
    kind: 'conv1d',
    needsSequence: true,
    accepts: rank3,
    config: (step, shape): Conv1dConfig => conv1dConfig(step, shape),
  },
  {
    kind: 'max-pooling-1d',
    needsSequence: true,
    accepts: rank3,
    config: (step, shape): Pooling1dConfig => pooling1dConfig(step, shape),
  },
  {
    kind: 'average-pooling-1d',
    needsSequence: true,
    accepts: rank3,
    config: (step, shape): Pooling1dConfig => pooling1dConfig(step, shape),
  },
  {
    kind: 'global-max-pooling-1d',
    needsSequence: true,
    accepts: rank3,
    // keepdims where the next layer wants a sequence ([batch, 1, channels]).
    config: (step, _shape, next): GlobalPooling1dConfig => ({ keepdims: step.useBias || next }),
  },
  {
    kind: 'global-average-pooling-1d',
    needsSequence: true,
    accepts: rank3,
    config: (step, _shape, next): GlobalPooling1dConfig => ({ keepdims: step.useBias || next }),
  },
  {
    kind: 'layer-normalization',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2 && typeof shape[shape.length - 1] === 'number',
    config: (step): LayerNormalizationConfig => ({
      axis: -1,
      epsilon: pick(EPSILONS, step.option),
      center: step.useBias,
      scale: step.goBackwards || !step.useBias,
    }),
  },
  {
    kind: 'batch-normalization',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2 && shape.length <= 4 && typeof shape[shape.length - 1] === 'number',
    config: (step): BatchNormalizationConfig => ({
      axis: -1,
      epsilon: pick(EPSILONS, step.option),
      center: step.useBias,
      scale: step.goBackwards || !step.useBias,
      momentum: 0.99,
    }),
  },
  {
    kind: 'repeat-vector',
    needsSequence: false,
    accepts: (shape) => shape.length === 2 && typeof shape[1] === 'number',
    config: (step): RepeatVectorConfig => ({ n: 1 + (step.target % 4) }),
  },
  {
    kind: 'concatenate',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2,
    config: (): ConcatenateConfig => ({ axis: -1 }),
    // Along the features (-1) with nodes that match elsewhere, or along time (odd `option`, rank 3).
    merge: (step, from, earlier) => {
      const shape = earlier.get(from) as Shape;
      const alongTime = step.option % 2 === 1 && shape.length === 3;
      const axis = alongTime ? 1 : shape.length - 1;
      const fitting = sameShape(earlier, from, (other) => equalDims(other, shape, axis));
      if (fitting.length === 0) return undefined;
      // Along time, written 1 or -2 (tfjs's own Concatenate gets -2 wrong: src/layers/concatenate/tfjs.ts).
      return { partners: [pick(fitting, step.target)], config: { axis: alongTime ? pick([1, -2], step.target) : -1 } as ConcatenateConfig };
    },
  },
  ...(['add', 'multiply', 'average', 'maximum', 'minimum'] as const).map((kind): KindGenerator => ({
    kind,
    needsSequence: false,
    accepts: (shape) => shape.length >= 2,
    config: () => ({}),
    merge: (step, from, earlier) => elementwiseMerge(step, from, earlier, 3),
  })),
  {
    kind: 'subtract',
    needsSequence: false,
    accepts: (shape) => shape.length >= 2,
    config: () => ({}),
    merge: (step, from, earlier) => elementwiseMerge(step, from, earlier, 2),
  },
];

/** The generators of kinds the registry holds now: a kind removed from the registry is no longer drawn. */
export const GENERATED: readonly KindGenerator[] = GENERATORS.filter((g) => LAYER_KINDS.some((k) => k.kind === g.kind));

/** Kinds with weights this file knows; drawn 3 times as often as the others, so most graphs have weights. */
const WEIGHTED = new Set(['simple-rnn', 'lstm', 'gru', 'dense', 'conv1d', 'layer-normalization', 'batch-normalization']);
/**
 * What a step's `kind` index points into. Merge kinds are also drawn 3 times as often: they need a partner of a
 * fitting shape among the nodes before them and become another kind where none fits (about 2 in 3 draws).
 */
const DRAW_TABLE: readonly KindGenerator[] = GENERATED.flatMap((g) => (WEIGHTED.has(g.kind) || g.merge !== undefined ? [g, g, g] : [g]));

/** Registered kinds this file cannot build yet (a new kind needs a generator here). */
export function ungeneratedKinds(): string[] {
  return LAYER_KINDS.map((k) => k.kind).filter((kind) => !GENERATED.some((g) => g.kind === kind) && !Object.hasOwn(COVERED_ELSEWHERE, kind));
}

const stepArb: fc.Arbitrary<StepChoice> = fc.record({
  kind: fc.nat({ max: 63 }),
  units: fc.integer({ min: 1, max: 8 }),
  activation: fc.nat({ max: 63 }),
  recurrentActivation: fc.nat({ max: 63 }),
  useBias: fc.boolean(),
  returnSequences: fc.boolean(),
  goBackwards: fc.boolean(),
  resetAfter: fc.boolean(),
  option: fc.nat({ max: 63 }),
  target: fc.nat({ max: 63 }),
});

const inputArb = fc.record({ timeSteps: fc.integer({ min: 1, max: 6 }), features: fc.integer({ min: 1, max: 5 }) });
const seedArb = fc.nat({ max: 2 ** 31 - 1 });

const sequentialArb: fc.Arbitrary<GraphChoice> = fc.record({
  topology: fc.constant('Sequential' as const),
  inputs: fc.tuple(inputArb),
  chains: fc.tuple(fc.record({ from: fc.constant(0), steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }) })),
  batch: fc.integer({ min: 1, max: 3 }),
  weightSeed: seedArb,
  inputSeed: seedArb,
});

/** 1-2 inputs, 1-2 chains (so 1-2 outputs, never fewer than inputs: every chain ends in an output; merge layers may join chains). */
const functionalArb: fc.Arbitrary<GraphChoice> = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).chain(([inputCount, extra]) => {
  const chainCount = Math.max(inputCount, extra);
  const chainArb = fc.record({ from: fc.nat({ max: 3 }), steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }) });
  return fc.record({
    topology: fc.constant('Functional' as const),
    inputs: fc.array(inputArb, { minLength: inputCount, maxLength: inputCount }),
    chains: fc.array(chainArb, { minLength: chainCount, maxLength: chainCount }),
    batch: fc.integer({ min: 1, max: 3 }),
    weightSeed: seedArb,
    inputSeed: seedArb,
  });
});

/** Sequential stacks and Functional graphs, half each; every value is a valid model. */
export const graphChoiceArb: fc.Arbitrary<GraphChoice> = fc.oneof(sequentialArb, functionalArb);

/** The same, built, and printed by fast-check as the graph's layers and configs. */
export const randomGraphArb: fc.Arbitrary<RandomGraph> = graphChoiceArb.map(buildRandomGraph);

interface LayerDraft {
  readonly name: string;
  readonly kind: string;
  readonly config: unknown;
  readonly inbound: readonly string[];
}

/** A kind that takes `shape` (merge kinds only in Functional graphs: a Sequential model has no merges). */
function chooseKind(step: StepChoice, shape: Shape, topology: GraphChoice['topology']): KindGenerator {
  const fits = (g: KindGenerator): boolean => g.accepts(shape) && (g.merge === undefined || topology === 'Functional');
  const preferred = pick(DRAW_TABLE, step.kind);
  if (fits(preferred)) return preferred;
  const fitting = GENERATED.filter(fits);
  // Dropout and friends accept any shape, so `fitting` is never empty while they are registered.
  if (fitting.length === 0) throw new Error(`random-graph: no registered kind accepts shape [${shape.join(', ')}]`);
  return pick(fitting, step.kind);
}

/**
 * Builds the model a GraphChoice describes.
 * @throws Error only for a registry with no kind that accepts some shape (no inference identity registered).
 */
export function buildRandomGraph(choice: GraphChoice): RandomGraph {
  const inputs: GraphInput[] = choice.inputs.map((input, i) => ({ name: `input_${i + 1}`, shape: [null, input.timeSteps, input.features] }));
  const shapes = new Map<string, Shape>(inputs.map((i) => [i.name, i.shape]));
  const drafts: LayerDraft[] = [];
  const outputs: string[] = [];
  const chainNodes: string[][] = [];
  choice.chains.forEach((chain, c) => {
    let from: string;
    if (c === 0) from = inputs[0].name;
    else if (inputs.length > c) from = inputs[c].name;
    else {
      const trunk = chainNodes[0];
      from = trunk[chain.from % trunk.length];
    }
    const nodes = [from];
    chain.steps.forEach((step, s) => {
      const shape = shapes.get(from) as Shape;
      let generator = chooseKind(step, shape, choice.topology);
      const merged = generator.merge?.(step, from, shapes);
      // No partner fits: a kind a Sequential model could hold (never a merge) instead.
      if (generator.merge && merged === undefined) generator = chooseKind(step, shape, 'Sequential');
      const nextStep = chain.steps[s + 1];
      const nextNeedsSequence = nextStep !== undefined && pick(DRAW_TABLE, nextStep.kind).needsSequence;
      const name = `${generator.kind.replace(/-/g, '_')}_${drafts.length + 1}`;
      const inbound = [from, ...(merged?.partners ?? [])];
      const draft = { name, kind: generator.kind, config: merged ? merged.config : generator.config(step, shape, nextNeedsSequence), inbound };
      shapes.set(
        name,
        layerKind(draft.kind).outputShape(
          draft.config,
          inbound.map((i) => shapes.get(i) as Shape),
        ),
      );
      drafts.push(draft);
      nodes.push(name);
      from = name;
    });
    chainNodes.push(nodes);
    outputs.push(from);
  });

  const weightRandom = new NumpyRandomState(choice.weightSeed);
  const inferred = inferShapes(inputs, drafts);
  const layers: GraphLayer[] = drafts.map((draft) => ({
    ...draft,
    weights: layerKind(draft.kind)
      .weightShapes(draft.config, inboundShapes(draft, inferred))
      .map((spec) => drawWeight(weightRandom, spec.name, spec.shape)),
  }));
  const model: GraphModel = { topology: choice.topology, inputs, layers, outputs };
  return {
    model,
    batch: choice.batch,
    inputSeed: choice.inputSeed,
    weightSeed: choice.weightSeed,
    shapes: inferred,
    describe: () => describeGraph(model, inferred, choice),
    // fast-check prints a value through this method (fc.toStringMethod) in counterexamples.
    [fc.toStringMethod]: () => describeGraph(model, inferred, choice),
  } as RandomGraph;
}

/**
 * Uniform in [-0.5, 0.5); kernel and recurrent_kernel scaled by 1 / sqrt(fan_in = every axis but the last:
 * shape[0] for Dense, kernelSize * inputDim for Conv1D); a moving_variance shifted to [0.5, 1.5) (a variance is
 * positive).
 */
function drawWeight(random: NumpyRandomState, name: string, shape: readonly number[]): WeightArray {
  const scale = name.endsWith('kernel') ? 1 / Math.sqrt(sizeOf(shape.slice(0, -1))) : 1;
  const offset = name === 'moving_variance' ? 1 : 0;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = (random.randomSample() - 0.5) * scale + offset;
  return { name, shape: [...shape], data };
}

function formatDims(shape: Shape | readonly number[]): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

/** The readable counterexample: what a person needs to rebuild the model by hand. */
function describeGraph(model: GraphModel, shapes: ReadonlyMap<string, Shape>, choice: Pick<GraphChoice, 'batch' | 'weightSeed' | 'inputSeed'>): string {
  const lines = [`${model.topology} model (batch ${choice.batch}, weightSeed ${choice.weightSeed}, inputSeed ${choice.inputSeed})`];
  for (const input of model.inputs) lines.push(`  ${input.name}: Input ${formatDims(input.shape)}`);
  for (const layer of model.layers) {
    const weights = layer.weights.map((w) => `${w.name} ${formatDims(w.shape)}`).join(', ');
    lines.push(
      `  ${layer.name} = ${layerKind(layer.kind).kerasClass}(${JSON.stringify(layer.config)})(${layer.inbound.join(', ')}) -> ${formatDims(shapes.get(layer.name) ?? [])}` +
        (weights ? `; weights ${weights}` : ''),
    );
  }
  lines.push(`  outputs: ${model.outputs.join(', ')}`);
  return lines.join('\n');
}
