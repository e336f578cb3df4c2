/**
 * What the regularisation layers that are identities at inference share (Dropout, SpatialDropout1D,
 * GaussianNoise, GaussianDropout, AlphaDropout): their option readers, their shape rule (output = input), the
 * hand forward (the input itself) and the parity note. Each is still its own kind, folder and registry line.
 *
 * Parity note: Keras's call(inputs, training=False) returns `inputs` untouched for all five, and tfjs's
 * layers call K.inTrainPhase(noised, () => input, training) with training false at predict: both return the
 * input, so the rate, noise shape and seed cannot change an inference output. Plain TypeScript (no tfjs).
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors';
import type { Shape } from '../graph/model';
import { readCommonOptions } from './common-options';
import type { Arithmetic } from '../hand/precision';
import type { HandTensor, LayerGradients, LayerKind, ParityNote } from './kind';
import type { ReadContext } from './read-context';

type Raw = Readonly<Record<string, unknown>>;

/** The note every inference identity reports. */
function inferenceIdentityNote(kerasClass: string): ParityNote {
  return {
    id: 'inference-identity',
    text: `${kerasClass}: identity at inference in Keras and tfjs; both paths skip it (its rate, noise shape and seed only act in training)`,
  };
}

/** The hand forward of an inference identity: its one input, unchanged. */
function identityForward(inputs: readonly HandTensor[]): HandTensor {
  return inputs[0];
}

/**
 * The hand backward of an inference identity: dL/dx = dL/dy, as a new array (Keras differentiates the
 * inference call, which returns its input; training noise is not modelled). No weights.
 */
function identityBackward(outputGrads: readonly (Float64Array | Float32Array)[], arith: Arithmetic): LayerGradients {
  return { inputs: [arith.load(outputGrads[0]).slice()], weights: [] };
}

function formatShape(shape: Shape): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

/**
 * The output shape of an inference identity: its input's.
 * @param minRank the smallest rank accepted (batch included); `exactRank` when only one is
 * @throws ShapeError when there is not exactly one input, or its rank does not fit
 */
function identityOutputShape(kerasClass: string, inputs: readonly Shape[], minRank = 1, exactRank?: number): Shape {
  const [input] = inputs;
  const rankOk = input !== undefined && (exactRank === undefined ? input.length >= minRank : input.length === exactRank);
  if (inputs.length !== 1 || !rankOk) {
    const expected = exactRank === undefined ? `rank >= ${minRank}` : `rank ${exactRank}`;
    throw new ShapeError(`${kerasClass}: expected one input of ${expected}, got ${inputs.map(formatShape).join(' and ') || 'none'}`);
  }
  return input;
}

/** A required number in [0, 1] (rate, stddev). Returns 0 after recording a blocker. */
export function readFraction(raw: Raw, ctx: ReadContext, key: string): number {
  const value = ctx.value(raw, key);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return value;
  ctx.block(key, value, 'expected a number from 0 to 1');
  return 0;
}

/** seed: null or an integer (absent: null); it only seeds training noise. */
export function readSeed(raw: Raw, ctx: ReadContext): number | null {
  const value = ctx.value(raw, 'seed');
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  ctx.block('seed', value, 'expected null or an integer');
  return null;
}

/** noise_shape: null or a list of positive integers and nulls (absent: null); it only shapes training noise. */
export function readNoiseShape(raw: Raw, ctx: ReadContext): readonly (number | null)[] | null {
  const value = ctx.value(raw, 'noise_shape');
  if (value === undefined || value === null) return null;
  if (Array.isArray(value) && value.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 1))) {
    return value as (number | null)[];
  }
  ctx.block('noise_shape', value, 'expected null or a list of positive integers and nulls');
  return null;
}

/** What sets one inference identity apart from the others. */
interface InferenceIdentitySpec<Config> {
  readonly kind: string;
  readonly kerasClass: string;
  /** Its own options, read after name/trainable/dtype; unknown keys are refused after it. */
  readOptions(raw: Raw, ctx: ReadContext): Config;
  /** The tfjs layer (its folder's `./tfjs`, required lazily by the caller). */
  tfjsLayer(config: Config, name: string): tf.layers.Layer;
  describe(config: Config): string;
  /** The one rank accepted (SpatialDropout1D: 3); any rank >= 1 when absent. */
  readonly exactRank?: number;
}

/** The LayerKind of an inference identity: its input unchanged on the hand path, its mask carried. */
export function inferenceIdentityKind<Config>(spec: InferenceIdentitySpec<Config>): LayerKind<Config> {
  return {
    kind: spec.kind,
    kerasClass: spec.kerasClass,
    tfjsClasses: [spec.kerasClass],
    // Keras's supports_masking: a padding mask passes through unchanged.
    supportsMasking: true,
    readConfig(raw, ctx) {
      readCommonOptions(raw, ctx);
      const config = spec.readOptions(raw, ctx);
      ctx.finish(raw);
      return config;
    },
    outputShape: (_config, inputs) => identityOutputShape(spec.kerasClass, inputs, spec.exactRank ?? 1, spec.exactRank),
    weightShapes: () => [],
    forward: (_config, _weights, inputs) => identityForward(inputs),
    backward: (_config, _weights, _inputs, outputGrads, arith) => identityBackward(outputGrads, arith),
    tfjsLayer: (config, name) => spec.tfjsLayer(config, name),
    reductionSize: () => 0,
    parityNotes: () => [inferenceIdentityNote(spec.kerasClass)],
    describe: (config) => spec.describe(config),
  };
}
