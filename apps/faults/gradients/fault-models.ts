/**
 * The small models the gradient faults run on: one per cell variant (SimpleRNN, LSTM, GRU reset_after True and
 * False), the same reading the sequence backwards, masked ones (Masking with padded steps), a Bidirectional LSTM,
 * and an LSTM with a softmax head. Each is [batch 3, T 5, D 3] -> recurrent (4 units, tanh / sigmoid) -> Dense(2),
 * weights seeded (uniform [-0.5, 0.5), kernels / sqrt(fan_in), as test/helpers/random-graph.ts draws them).
 * Plain TypeScript, no tfjs.
 */
import { NumpyRandomState } from '../../../src/data/numpy-random';
import type { GraphInput, GraphLayer, GraphModel } from '../../../src/graph/model';
import { inboundShapes, inferShapes } from '../../../src/graph/shapes';
import type { BidirectionalConfig } from '../../../src/layers/bidirectional';
import type { DenseConfig } from '../../../src/layers/dense';
import type { GruConfig } from '../../../src/layers/gru';
import type { LstmConfig } from '../../../src/layers/lstm';
import type { MaskingConfig } from '../../../src/layers/masking';
import type { RecurrentConfig } from '../../../src/layers/recurrent/config';
import { layerKind } from '../../../src/layers/registry';
import type { NdArray } from '../../../src/tensor';

/** A layer before it is given weights: what the caller chooses. */
export interface LayerDraft {
  readonly name: string;
  readonly kind: string;
  readonly config: unknown;
  readonly inbound: readonly string[];
}

/** A model the faults run on, with its batch and, where it needs them (padding), its inputs. */
export interface FaultModel {
  readonly name: string;
  readonly model: GraphModel;
  readonly batch: number;
  /** Given where the model needs particular values (padded steps); else checkGradients seeds them. */
  readonly inputs?: readonly NdArray[];
}

/** The recurrent kinds, as a fault model names its cell variant. */
export type CellVariant = 'simple' | 'lstm' | 'gru-after' | 'gru-before';

const BATCH = 3;
const TIME_STEPS = 5;
const FEATURES = 3;
const UNITS = 4;

/** A recurrent layer's base config: tanh, bias, the last step only unless told. */
function recurrentConfig(units: number, options: Partial<RecurrentConfig> = {}): RecurrentConfig {
  return {
    units,
    activation: 'tanh',
    useBias: true,
    returnSequences: false,
    returnState: false,
    goBackwards: false,
    unroll: false,
    zeroOutputForMask: false,
    dropout: 0,
    recurrentDropout: 0,
    ...options,
  };
}

/** The kind and config of a cell variant (sigmoid gates). */
export function cellLayer(variant: CellVariant, units: number, options: Partial<RecurrentConfig> = {}): { kind: string; config: RecurrentConfig } {
  const base = recurrentConfig(units, options);
  switch (variant) {
    case 'simple':
      return { kind: 'simple-rnn', config: base };
    case 'lstm':
      return { kind: 'lstm', config: { ...base, recurrentActivation: 'sigmoid', unitForgetBias: true } as LstmConfig };
    case 'gru-after':
      return { kind: 'gru', config: { ...base, recurrentActivation: 'sigmoid', resetAfter: true } as GruConfig };
    case 'gru-before':
      return { kind: 'gru', config: { ...base, recurrentActivation: 'sigmoid', resetAfter: false } as GruConfig };
  }
}

/**
 * A model from drafts: shapes inferred by the kinds, weights drawn from a NumPy stream seeded `weightSeed`,
 * uniform in [-0.5, 0.5), kernel and recurrent_kernel scaled by 1 / sqrt(fan_in).
 */
export function modelOf(inputs: readonly GraphInput[], drafts: readonly LayerDraft[], outputs: readonly string[], weightSeed: number): GraphModel {
  const random = new NumpyRandomState(weightSeed);
  const shapes = inferShapes(inputs, drafts);
  const layers: GraphLayer[] = drafts.map((draft) => ({
    ...draft,
    weights: layerKind(draft.kind)
      .weightShapes(draft.config, inboundShapes(draft, shapes))
      .map((spec) => {
        const size = spec.shape.reduce((a, b) => a * b, 1);
        const fanIn = spec.shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const scale = spec.name.endsWith('kernel') ? 1 / Math.sqrt(fanIn) : 1;
        const data = new Float32Array(size);
        for (let i = 0; i < size; i++) data[i] = (random.randomSample() - 0.5) * scale;
        return { name: spec.name, shape: [...spec.shape], data };
      }),
  }));
  return { topology: 'Sequential', inputs, layers, outputs };
}

/** A chain of drafts (each reads the one before; the first reads `input`), its last layer the output. */
export function chainOf(input: GraphInput, layers: readonly { kind: string; config: unknown }[], weightSeed: number): GraphModel {
  const drafts = layers.map((layer, i) => ({
    name: `${layer.kind.replace(/-/g, '_')}_${i + 1}`,
    kind: layer.kind,
    config: layer.config,
    inbound: [i === 0 ? input.name : `${layers[i - 1].kind.replace(/-/g, '_')}_${i}`],
  }));
  return modelOf([input], drafts, [drafts[drafts.length - 1].name], weightSeed);
}

const SEQUENCE: GraphInput = { name: 'x', shape: [null, TIME_STEPS, FEATURES] };
const HEAD = { kind: 'dense', config: { units: 2, activation: 'linear', useBias: true } satisfies DenseConfig };

/** [batch 3, T 5, D 3] values in [0.25, 1.25) with sample b's last b steps padded (zeros): 0, 1 and 2 padded steps. */
function paddedInput(seed: number): NdArray {
  const random = new NumpyRandomState(seed);
  const data = new Float32Array(BATCH * TIME_STEPS * FEATURES);
  for (let b = 0; b < BATCH; b++) {
    for (let t = 0; t < TIME_STEPS; t++) {
      const padded = t >= TIME_STEPS - b;
      for (let j = 0; j < FEATURES; j++) data[(b * TIME_STEPS + t) * FEATURES + j] = padded ? 0 : random.randomSample() + 0.25;
    }
  }
  return { shape: [BATCH, TIME_STEPS, FEATURES], data };
}

const VARIANTS: readonly CellVariant[] = ['simple', 'lstm', 'gru-after', 'gru-before'];

/** The recurrent layer over the whole sequence (return_sequences), then Dense(2) on every step. */
function cellModel(variant: CellVariant, options: Partial<RecurrentConfig>, seed: number): GraphModel {
  return chainOf(SEQUENCE, [cellLayer(variant, UNITS, { returnSequences: true, ...options }), HEAD], seed);
}

function bidirectionalLstm(seed: number): GraphModel {
  const held = cellLayer('lstm', 3, { returnSequences: true, zeroOutputForMask: true });
  const kind = layerKind(held.kind);
  const config: BidirectionalConfig = {
    forward: { kind, config: held.config },
    backward: { kind, config: { ...held.config, goBackwards: true } },
    mergeMode: 'concat',
    explicitBackward: false,
  };
  return chainOf(SEQUENCE, [{ kind: 'bidirectional', config }, HEAD], seed);
}

/**
 * Every fault model, by name: `<cell>` (forwards), `<cell> backwards` (go_backwards), `<cell> masked` (Masking,
 * padded steps), `bidirectional lstm`, `lstm softmax head` (Dense(4, softmax) on the last step).
 */
export const FAULT_MODELS: readonly FaultModel[] = [
  ...VARIANTS.map((v, i) => ({ name: v, model: cellModel(v, {}, 100 + i), batch: BATCH })),
  ...VARIANTS.map((v, i) => ({ name: `${v} backwards`, model: cellModel(v, { goBackwards: true }, 200 + i), batch: BATCH })),
  ...VARIANTS.map((v, i) => ({
    name: `${v} masked`,
    model: chainOf(
      SEQUENCE,
      [{ kind: 'masking', config: { maskValue: 0 } satisfies MaskingConfig }, cellLayer(v, UNITS, { returnSequences: true }), HEAD],
      300 + i,
    ),
    batch: BATCH,
    inputs: [paddedInput(310 + i)],
  })),
  { name: 'bidirectional lstm', model: bidirectionalLstm(400), batch: BATCH },
  {
    name: 'lstm softmax head',
    model: chainOf(
      SEQUENCE,
      [cellLayer('lstm', UNITS), { kind: 'dense', config: { units: 4, activation: 'softmax', useBias: true } satisfies DenseConfig }],
      500,
    ),
    batch: BATCH,
  },
];

/** The fault model called `name`. @throws Error for an unknown name (a catalogue typo). */
export function faultModel(name: string): FaultModel {
  const found = FAULT_MODELS.find((m) => m.name === name);
  if (!found) throw new Error(`fault models: expected one of ${FAULT_MODELS.map((m) => m.name).join(', ')}, got ${JSON.stringify(name)}`);
  return found;
}
