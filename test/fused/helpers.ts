/**
 * Shared pieces of the fused-layer tests: one recurrent layer case, built as the stock tfjs layer (the
 * independent reference) and as the fused layer from the same args, given the same seeded weights and inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedGRU, FusedGRUResetAfter, FusedLSTM, FusedSimpleRNN } from '../../src/fused';
import { GRUResetAfter } from '../../src/model/layers';

type Cell = 'simpleRnn' | 'lstm' | 'gru' | 'gruResetAfter';
export const CELLS: readonly Cell[] = ['simpleRnn', 'lstm', 'gru', 'gruResetAfter'];

export interface LayerCase {
  readonly cell: Cell;
  readonly units: number;
  readonly inputDim: number;
  readonly timeSteps: number;
  readonly batch: number;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly masked: boolean;
  /** tfjs activation names (registered class names). */
  readonly activation: string;
  readonly recurrentActivation: string;
  readonly useBias: boolean;
  /** Pass random initial states (h, and c for LSTM) through kwargs.initialState. */
  readonly initialState: boolean;
  readonly seed: number;
}

export const BASE_CASE: LayerCase = {
  cell: 'lstm',
  units: 3,
  inputDim: 2,
  timeSteps: 7,
  batch: 3,
  goBackwards: false,
  returnSequences: true,
  returnState: false,
  masked: false,
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  useBias: true,
  initialState: false,
  seed: 1,
};

export function describeCase(c: LayerCase): string {
  return (
    `${c.cell} T${c.timeSteps} b${c.batch} ${c.activation}/${c.recurrentActivation}` +
    `${c.goBackwards ? ' back' : ''}${c.returnSequences ? ' seq' : ''}${c.returnState ? ' state' : ''}${c.masked ? ' mask' : ''}` +
    `${c.useBias ? '' : ' nobias'}${c.initialState ? ' init' : ''}`
  );
}

/** Deterministic values in [-scale, scale) (mulberry32). */
function seeded(seed: number, n: number, scale = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

function gates(cell: Cell): number {
  return cell === 'simpleRnn' ? 1 : cell === 'lstm' ? 4 : 3;
}

/** The layer (unbuilt), stock or fused, from the case's args. */
export function makeLayer(c: LayerCase, fused: boolean): tf.layers.Layer {
  const zeros = tf.initializers.zeros();
  const common = {
    units: c.units,
    activation: c.activation,
    useBias: c.useBias,
    returnSequences: c.returnSequences,
    returnState: c.returnState,
    goBackwards: c.goBackwards,
    kernelInitializer: zeros,
    recurrentInitializer: zeros,
    biasInitializer: zeros,
    name: `${c.cell}_${fused ? 'fused' : 'stock'}`,
  };
  // tfjs's typed option lists name only its own activations; it looks any registered name up.
  type Any = never;
  switch (c.cell) {
    case 'simpleRnn':
      return fused ? new FusedSimpleRNN(common as Any) : tf.layers.simpleRNN(common as Any);
    case 'lstm': {
      const args = { ...common, recurrentActivation: c.recurrentActivation, unitForgetBias: false };
      return fused ? new FusedLSTM(args as Any) : tf.layers.lstm(args as Any);
    }
    case 'gru': {
      const args = { ...common, recurrentActivation: c.recurrentActivation };
      return fused ? new FusedGRU(args as Any) : tf.layers.gru(args as Any);
    }
    case 'gruResetAfter': {
      const args = { ...common, recurrentActivation: c.recurrentActivation };
      return fused ? new FusedGRUResetAfter(args) : new GRUResetAfter(args);
    }
  }
}

/** The case's weights, in tfjs's order and shapes. */
function caseWeights(c: LayerCase): { shape: number[]; data: Float32Array }[] {
  const width = gates(c.cell) * c.units;
  const shapes = [
    [c.inputDim, width],
    [c.units, width],
  ];
  if (c.cell === 'gruResetAfter') shapes.push([2, width]);
  else if (c.useBias) shapes.push([width]);
  return shapes.map((shape, k) => ({ shape, data: seeded(c.seed * 100 + k, shape[0] * (shape[1] ?? 1), 0.6) }));
}

/** The case's inputs: x [batch, T, inputDim], mask [batch, T] (a few steps padded at either end and inside), initial states. */
export function caseInputs(c: LayerCase): { x: tf.Tensor3D; mask: tf.Tensor2D | null; states: tf.Tensor2D[] } {
  const x = tf.tensor3d(seeded(c.seed * 100 + 50, c.batch * c.timeSteps * c.inputDim, 1.5), [c.batch, c.timeSteps, c.inputDim]);
  let mask: tf.Tensor2D | null = null;
  if (c.masked) {
    const m = new Float32Array(c.batch * c.timeSteps);
    for (let b = 0; b < c.batch; b++) for (let t = 0; t < c.timeSteps; t++) m[b * c.timeSteps + t] = (b + 2 * t) % 3 === 1 ? 0 : 1;
    mask = tf.tensor2d(m, [c.batch, c.timeSteps]);
  }
  const count = c.cell === 'lstm' ? 2 : 1;
  const states = c.initialState
    ? Array.from({ length: count }, (_, k) => tf.tensor2d(seeded(c.seed * 100 + 60 + k, c.batch * c.units, 0.8), [c.batch, c.units]))
    : [];
  return { x, mask, states };
}

/** Builds the layer and sets the case's weights. */
export function builtLayer(c: LayerCase, fused: boolean): tf.layers.Layer {
  const layer = makeLayer(c, fused);
  // apply() builds the layer (and counts it as used, which dispose() requires)
  tf.tidy(() => void layer.apply(tf.zeros([1, c.timeSteps, c.inputDim])));
  const weights = caseWeights(c).map((w) => tf.tensor(w.data, w.shape));
  layer.setWeights(weights);
  tf.dispose(weights);
  return layer;
}

/** Every output of the layer on the case's inputs (output, then the states with returnState). */
function applyLayer(layer: tf.layers.Layer, x: tf.Tensor, mask: tf.Tensor | null, states: tf.Tensor[]): tf.Tensor[] {
  const kwargs: Record<string, unknown> = {};
  if (mask !== null) kwargs.mask = mask;
  if (states.length > 0) kwargs.initialState = states;
  const out = layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

export interface CaseResult {
  readonly outputs: Float32Array[];
  /** dL/d x, each initial state (with initialState), each weight; L = sum_k sum(output_k * R_k), R_k seeded. */
  readonly gradients?: Float32Array[];
}

/** Runs the case through the stock or fused layer: outputs, and gradients when asked. Leaves no tensor behind. */
export function runCase(c: LayerCase, fused: boolean, withGradients: boolean): CaseResult {
  const layer = builtLayer(c, fused);
  try {
    return tf.tidy(() => {
      const { x, mask, states } = caseInputs(c);
      const outputs = applyLayer(layer, x, mask, states).map((t) => t.dataSync() as Float32Array);
      if (!withGradients) return { outputs };
      const weights = layer.weights.map((w) => w.read());
      const f = () => {
        const ys = applyLayer(layer, x, mask, states);
        return ys.map((y, k) => tf.sum(tf.mul(y, tf.tensor(seeded(c.seed * 100 + 80 + k, y.size), y.shape)))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      };
      const { grads } = tf.engine().gradients(f, [x, ...states, ...weights], undefined, true);
      return { outputs, gradients: grads.map((g, k) => (g ? (g.dataSync() as Float32Array) : new Float32Array([x, ...states, ...weights][k].size))) };
    });
  } finally {
    layer.dispose();
  }
}

/** max |a - b| / max(1, max |b|) over one array. */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}
