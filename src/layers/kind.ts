/**
 * The contract one layer kind fulfils. Everything both paths need to know about a kind lives in its folder
 * under src/layers/ behind this interface; the drivers (readers, the tfjs builder, the hand forward, the
 * report, the tolerance) only loop over the registry (./registry.ts).
 *
 * Split by what a file may import: `config` and `hand` are plain TypeScript (no tfjs: the hand path must
 * not use what it checks); only `tfjs` builds a TensorFlow.js layer, loaded lazily by the registry line.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Arithmetic } from '../hand/precision';
import type { Shape, WeightArray } from '../graph/model';
import type { ReadContext } from './read-context';

/**
 * A weight's values on the hand path: float32 as stored, or float64 (the gradient check's finite
 * differences perturb weights by less than a float32 step).
 */
export type WeightData = Float32Array | Float64Array;

/** A weight the kind creates in build(): its Keras name and shape. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * A host tensor the hand path passes between layers: float64 data (in float32 mode every value is a
 * float32 value), shape batch first.
 */
export interface HandTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
  /**
   * Keras's padding mask, [batch, timeSteps] (1 = a real step, 0 = padding), when one reaches this tensor
   * (from Embedding(mask_zero=True) or Masking, through the layers that carry it).
   */
  readonly mask?: Uint8Array;
}

/** Gradients of a scalar loss with respect to one layer's inputs and weights (the hand path's backward pass). */
export interface LayerGradients {
  /**
   * One per input, in inbound order, with that input's shape; null where no gradient flows (integer token
   * ids into an Embedding).
   */
  readonly inputs: readonly (Float64Array | Float32Array | null)[];
  /** One per weight, in weightShapes order and shape. */
  readonly weights: readonly (Float64Array | Float32Array)[];
}

/** Where tfjs and Keras define this layer's computation differently, and what the tool did about it. */
export interface ParityNote {
  /** Short key, e.g. 'gru-reset-after'. */
  readonly id: string;
  readonly text: string;
}

export interface LayerKind<Config> {
  /** One word per kind, used in the folder name, output and docs: 'lstm', 'dense', 'dropout'. */
  readonly kind: string;
  /** Keras's class_name in config.json and legacy .h5 files. */
  readonly kerasClass: string;
  /** Class names a tfjs model.json may give it (tfjs's own, and ours for custom layers). */
  readonly tfjsClasses: readonly string[];
  /**
   * Reads a layer's `config` object (snake_case keys, as Keras and tfjs's model.json write it) into the typed
   * config. Every blocker (unsupported option, bad value) goes to ctx, all of them, not only the first; the
   * returned config is only used when ctx holds none.
   */
  readConfig(raw: Readonly<Record<string, unknown>>, ctx: ReadContext): Config;
  /**
   * Output shape from the input shapes (batch first, null = any; one entry per inbound, most kinds take one).
   * @throws ShapeError naming the layer's expectation when an input does not fit.
   */
  outputShape(config: Config, inputs: readonly Shape[]): Shape;
  /**
   * Shapes of the outputs after the first, where the kind has several (a recurrent layer with return_state:
   * its final states). The graph names them `layer:1`, `layer:2`, ...
   */
  extraOutputShapes?(config: Config, inputs: readonly Shape[]): Shape[];
  /** The hand path of those extra outputs, computed with the first (forward's output is the first). */
  forwardAll?(config: Config, weights: readonly WeightData[], inputs: readonly HandTensor[], arith: Arithmetic): HandTensor[];
  /** The weights build() creates, in Keras's and tfjs's order. */
  weightShapes(config: Config, inputs: readonly Shape[]): WeightSpec[];
  /**
   * The hand path: this layer's forward pass on concrete inputs. Weights arrive in weightShapes order,
   * already checked against it; inputs have the shapes outputShape accepted, with concrete sizes.
   */
  forward(config: Config, weights: readonly WeightData[], inputs: readonly HandTensor[], arith: Arithmetic): HandTensor;
  /**
   * The hand path's backward pass (backpropagation through time for the recurrent kinds): dL/d(inputs) and
   * dL/d(weights) from dL/d(outputs). Plain TypeScript like forward; recomputes from the inputs whatever of
   * the forward it needs (no state kept between calls). Every operation rounded with arith.round, so float32
   * mode rounds as the forward does. Follows Keras's gradients where a function has a kink (relu'(0) = 0,
   * relu6'(6) = 0, as TF defines them), with a parity note where tfjs defines it otherwise.
   * @param outputGrads one per output (forwardAll's list, or forward's one), each with that output's shape;
   *   zeros where the loss does not read that output
   */
  backward?(
    config: Config,
    weights: readonly WeightData[],
    inputs: readonly HandTensor[],
    outputGrads: readonly (Float64Array | Float32Array)[],
    arith: Arithmetic,
  ): LayerGradients;
  /**
   * Keras's supports_masking: the output carries the first input's mask unchanged (Dense, Dropout,
   * Activation, ...). A kind without it (and without computeMask) drops the mask, as Keras does (with a
   * warning there).
   */
  readonly supportsMasking?: boolean;
  /** The output's mask, where the kind makes or changes one (Embedding, Masking, recurrent layers). */
  computeMask?(config: Config, inputs: readonly HandTensor[]): Uint8Array | undefined;
  /** The layer path: an unbuilt tfjs layer computing what Keras computes. Loaded lazily: never call from the hand path. */
  tfjsLayer(config: Config, name: string): tf.layers.Layer;
  /**
   * Layers applied after tfjsLayer's output, where tfjs needs a fix-up to compute what Keras computes
   * (Bidirectional's zeroed padded steps). No weights.
   */
  tfjsAfter?(config: Config, name: string): tf.layers.Layer[];
  /** tfjsAfter's layers go after every output, not only the first (Bidirectional's two outputs without a merge). */
  readonly tfjsAfterEveryOutput?: boolean;
  /**
   * The weights the tfjs layer holds, from the graph's (Keras's) weights, where they differ (default: the
   * same list). Example: GRUResetAfter always holds a bias, so use_bias=False gets a zero one.
   */
  tfjsWeights?(config: Config, weights: readonly WeightArray[], inputs: readonly Shape[]): WeightArray[];
  /** The longest dot product the layer reduces over (0 for none): feeds the default tolerance. */
  reductionSize(config: Config, inputs: readonly Shape[]): number;
  /** Differences between tfjs and Keras that applied to this layer, and what the tool did. */
  parityNotes?(config: Config): ParityNote[];
  /** Options worth showing in the summary ('units=32, relu'); short. */
  describe?(config: Config): string;
}

/** A kind whose config type is forgotten: what the registry holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayerKind = LayerKind<any>;
