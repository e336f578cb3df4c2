/**
 * The hand backward of Bidirectional against central finite differences of its own hand forward
 * (test/helpers/kind-gradients.ts), in float64: every merge mode (concat, sum, mul, ave, None = two outputs)
 * with each held cell, return_sequences on and off, masks (zero_output_for_mask forced as Keras does), an
 * explicit backward layer; the float32 mode against float64; and the checker catching wrong gradients.
 * Loads no tfjs.
 */
import { bidirectional, type BidirectionalConfig, type MergeMode } from '../../src/layers/bidirectional';
import { gru, type GruConfig } from '../../src/layers/gru';
import type { AnyLayerKind, HandTensor } from '../../src/layers/kind';
import { lstm, type LstmConfig } from '../../src/layers/lstm';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';
import { simpleRnn } from '../../src/layers/simple-rnn';
import { kindGradientMismatches, kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

const BASE: RecurrentConfig = {
  units: 3,
  activation: 'tanh',
  useBias: true,
  returnSequences: true,
  returnState: false,
  goBackwards: false,
  unroll: false,
  zeroOutputForMask: false,
  dropout: 0,
  recurrentDropout: 0,
};

/** A held cell: its kind and its config with the shared options. */
interface Held {
  readonly name: string;
  readonly kind: AnyLayerKind;
  config(options: Partial<RecurrentConfig>): RecurrentConfig;
}

const HELD: readonly Held[] = [
  { name: 'SimpleRNN', kind: simpleRnn, config: (o) => ({ ...BASE, ...o }) },
  { name: 'LSTM', kind: lstm, config: (o): LstmConfig => ({ ...BASE, recurrentActivation: 'sigmoid', unitForgetBias: true, ...o }) },
  { name: 'GRU reset_after=True', kind: gru, config: (o): GruConfig => ({ ...BASE, recurrentActivation: 'sigmoid', resetAfter: true, ...o }) },
  { name: 'GRU reset_after=False', kind: gru, config: (o): GruConfig => ({ ...BASE, recurrentActivation: 'hard_sigmoid', resetAfter: false, ...o }) },
];

const MERGE_MODES: readonly (MergeMode | null)[] = ['concat', 'sum', 'mul', 'ave', null];

/** Padding at the start, in the middle, at the end, and a fully padded sample: [4, 5]. */
const MASK_4x5 = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);

/**
 * The config Bidirectional's readConfig makes: the backward layer is the forward one with go_backwards=True
 * (or `backward` where given), and both get zero_output_for_mask = return_sequences (Keras's force).
 */
function bidirectionalConfig(
  held: Held,
  mergeMode: MergeMode | null,
  options: Partial<RecurrentConfig> = {},
  backward?: Held,
  backwardOptions = options,
): BidirectionalConfig {
  const forwardConfig = held.config(options);
  const backwardHeld = backward ?? held;
  const backwardConfig = backwardHeld.config({ ...backwardOptions, goBackwards: true });
  return {
    forward: { kind: held.kind, config: { ...forwardConfig, zeroOutputForMask: forwardConfig.returnSequences } },
    backward: { kind: backwardHeld.kind, config: { ...backwardConfig, zeroOutputForMask: backwardConfig.returnSequences } },
    mergeMode,
    explicitBackward: backward !== undefined,
  };
}

/** Seeded weights (scale 0.5) and a sequence [batch, timeSteps, 3] for `config`. */
function bidirectionalCase(config: BidirectionalConfig, batch = 3, timeSteps = 4, mask?: Uint8Array, seed = 13): KindGradientCase {
  const input: HandTensor = { shape: [batch, timeSteps, 3], data: seededValues(seed, batch * timeSteps * 3), ...(mask ? { mask } : {}) };
  const weights = bidirectional.weightShapes(config, [input.shape]).map((w, k) =>
    seededValues(
      seed + 1 + k,
      w.shape.reduce((a, b) => a * b, 1),
      0.5,
    ),
  );
  return { kind: bidirectional, config, weights, inputs: [input] };
}

/**
 * The held cells' gradients are checked entry by entry in recurrent-gradients.test.ts; here a seeded sample
 * of 24 entries per tensor (of up to 60) keeps this file at a few seconds.
 */
const SAMPLED = { maxEntries: 24 };

describe.each(HELD)('Bidirectional($name) backward against finite differences (float64)', (held) => {
  test.each(MERGE_MODES.map((m) => [m ?? 'None', m] as const))('merge %s, return_sequences', (_name, mergeMode) => {
    expect(kindGradientMismatches(bidirectionalCase(bidirectionalConfig(held, mergeMode)), SAMPLED)).toEqual([]);
  });

  test.each(MERGE_MODES.map((m) => [m ?? 'None', m] as const))('merge %s, last step only', (_name, mergeMode) => {
    expect(kindGradientMismatches(bidirectionalCase(bidirectionalConfig(held, mergeMode, { returnSequences: false })), SAMPLED)).toEqual([]);
  });

  test.each(MERGE_MODES.map((m) => [m ?? 'None', m] as const))('merge %s, mask, return_sequences (zero output at padded steps)', (_name, mergeMode) => {
    expect(kindGradientMismatches(bidirectionalCase(bidirectionalConfig(held, mergeMode), 4, 5, MASK_4x5), SAMPLED)).toEqual([]);
  });

  test('merge concat, mask, last step only', () => {
    expect(kindGradientMismatches(bidirectionalCase(bidirectionalConfig(held, 'concat', { returnSequences: false }), 4, 5, MASK_4x5), SAMPLED)).toEqual([]);
  });

  test('T = 1, relu, no bias', () => {
    const config = bidirectionalConfig(held, 'mul', { activation: 'relu', useBias: false });
    expect(kindGradientMismatches(bidirectionalCase(config, 2, 1), SAMPLED)).toEqual([]);
  });
});

describe('Bidirectional with an explicit backward layer', () => {
  test('concat of LSTM(3, tanh) and a GRU(2, sigmoid) backward layer', () => {
    const config = bidirectionalConfig(HELD[1], 'concat', {}, HELD[2], { units: 2, activation: 'sigmoid' });
    expect(kindGradientMismatches(bidirectionalCase(config, 3, 4, undefined), SAMPLED)).toEqual([]);
  });

  test('sum of SimpleRNN(relu) and SimpleRNN(hard_sigmoid), masked, last step', () => {
    const config = bidirectionalConfig(HELD[0], 'sum', { activation: 'relu', returnSequences: false }, HELD[0], {
      activation: 'hard_sigmoid',
      returnSequences: false,
    });
    expect(kindGradientMismatches(bidirectionalCase(config, 4, 5, MASK_4x5), SAMPLED)).toEqual([]);
  });
});

describe('the checker catches wrong Bidirectional gradients', () => {
  const backward = bidirectional.backward as NonNullable<AnyLayerKind['backward']>;

  test('one entry of the backward layer’s kernel gradient off by 1e-3 is found, and only it', () => {
    const c = bidirectionalCase(bidirectionalConfig(HELD[1], 'concat'));
    // LSTM weights: forward kernel, recurrent_kernel, bias, then the backward layer's: index 3 is its kernel.
    const buggy: AnyLayerKind = {
      ...bidirectional,
      backward: (config, weights, inputs, outputGrads, arith) => {
        const grads = backward(config, weights, inputs, outputGrads, arith);
        const kernel = Float64Array.from(grads.weights[3]);
        kernel[5] += 1e-3;
        return { ...grads, weights: grads.weights.map((g, k) => (k === 3 ? kernel : g)) };
      },
    };
    expect(kindGradientMismatches({ ...c, kind: buggy })).toEqual([expect.objectContaining({ what: 'weight 3', index: 5 })]);
  });

  test('a backward that swaps the two outputs’ gradients (merge None) is found', () => {
    const c = bidirectionalCase(bidirectionalConfig(HELD[2], null));
    const swapped: AnyLayerKind = {
      ...bidirectional,
      backward: (config, weights, inputs, outputGrads, arith) => backward(config, weights, inputs, [outputGrads[1], outputGrads[0]], arith),
    };
    expect(kindGradientMismatches({ ...c, kind: swapped }).length).toBeGreaterThan(0);
  });
});

describe('float32 mode against float64', () => {
  /**
   * Both held layers' BPTT in float32 (see recurrent-gradients.test.ts for the cells' own measurement), then
   * the merge's one rounding per entry and the sum of the two input gradients. Measured here (relativeMaxError
   * over every input and weight gradient): 2.1e-7 (None) to 3.0e-7 (mul); the tolerance is the cells' 1e-5.
   */
  test.each(MERGE_MODES.map((m) => [m ?? 'None', m] as const))('merge %s, LSTM, masked: every gradient within 1e-5', (_name, mergeMode) => {
    const c = bidirectionalCase(bidirectionalConfig(HELD[1], mergeMode), 4, 5, MASK_4x5, 3);
    const exact = kindGradients(c, 'float64');
    const rounded = kindGradients(c, 'float32');
    const errors = [relativeMaxError(rounded.inputs[0] as Float32Array, exact.inputs[0] as Float64Array)];
    errors.push(...exact.weights.map((g, k) => relativeMaxError(rounded.weights[k], g)));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
    expect(Math.max(...errors)).toBeGreaterThan(0);
  });
});
