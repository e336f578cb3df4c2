/**
 * The one model description every entry point makes and every driver reads: a graph of layers, each
 * with its kind's own typed config and its weights in the exact shapes and order Keras and tfjs store
 * them (kernel [inputDim, gates*units], recurrent kernel, bias; nothing converted on the way in).
 *
 * A Sequential model is a chain: each layer's one inbound is the layer before it. A Keras Functional
 * model is a graph: several inputs, branches, several outputs. Layers are kept in an order where every
 * layer comes after the layers it reads (Keras's config order is one).
 */

/** A size in a shape: a number, or null where the model accepts any (the batch, often the time steps). */
export type Dim = number | null;
/** A shape in tfjs order, batch first: [batch, timeSteps, features] for a sequence. */
export type Shape = readonly Dim[];

/** One weight, as Keras and tfjs store it: float32, row-major, in the layer's own order. */
export interface WeightArray {
  /** Keras's name for it: 'kernel', 'recurrent_kernel', 'bias'. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a model input holds: floats, or integers (token ids for an Embedding, any Keras integer type). */
export type InputDtype = 'float32' | 'int32';

/** A model input: its name and the shape it accepts (batch first, null where any size goes). */
export interface GraphInput {
  readonly name: string;
  readonly shape: Shape;
  /** Absent: float32. */
  readonly dtype?: InputDtype;
}

/** One layer of the graph. */
export interface GraphLayer<Config = unknown> {
  /** The user's layer name, unique in the model. */
  readonly name: string;
  /** The registry's kind, e.g. 'lstm' (src/layers/registry.ts). */
  readonly kind: string;
  /** The kind's typed config, as its readConfig returned it. */
  readonly config: Config;
  /** In the kind's weightShapes order. */
  readonly weights: readonly WeightArray[];
  /** Names of what it reads: model inputs or other layers, in call order. */
  readonly inbound: readonly string[];
}

/**
 * What a layer reads or a model outputs: a layer's (or input's) name for its first output, `name:k` for its
 * output k (a recurrent layer with return_state: 1 is h, 2 is LSTM's c).
 */
export type TensorRef = string;

/** `lstm:2` -> { node: 'lstm', index: 2 }; `lstm` -> { node: 'lstm', index: 0 }. */
export function parseTensorRef(ref: TensorRef): { node: string; index: number } {
  const match = /^(.*):(\d+)$/.exec(ref);
  return match ? { node: match[1], index: Number(match[2]) } : { node: ref, index: 0 };
}

/** The ref of output `index` of `node`. */
export function tensorRef(node: string, index: number): TensorRef {
  return index === 0 ? node : `${node}:${index}`;
}

export interface GraphModel {
  /** 'Sequential' or 'Functional': how the source described it. */
  readonly topology: 'Sequential' | 'Functional';
  readonly inputs: readonly GraphInput[];
  /** Every layer after the layers it reads. */
  readonly layers: readonly GraphLayer[];
  /** Names of the layers whose outputs are the model's outputs, in order. */
  readonly outputs: readonly string[];
}
