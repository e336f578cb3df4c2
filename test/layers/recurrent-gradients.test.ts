/**
 * The hand backward (BPTT) of SimpleRNN, LSTM and GRU (both reset_after modes) against central finite
 * differences of their own hand forward (test/helpers/kind-gradients.ts), in float64: every option the
 * forward takes (go_backwards, return_sequences, return_state, initial states, use_bias, masks with and
 * without zero_output_for_mask, T = 1, the activations); the float32 mode against float64; the backward
 * cells' recomputed forward against the forward, bit for bit in float32; and the checker catching wrong
 * gradients. Loads no tfjs.
 */
import { gru, type GruConfig } from '../../src/layers/gru';
import type { AnyLayerKind, HandTensor, LayerGradients } from '../../src/layers/kind';
import { lstm, type LstmConfig } from '../../src/layers/lstm';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';
import { simpleRnn } from '../../src/layers/simple-rnn';
import { projectInputs } from '../../src/hand/cell';
import type { DifferentiableCellFactory } from '../../src/hand/cell-backward';
import { createGruBackwardCell } from '../../src/hand/gru-backward';
import { viewOf } from '../../src/hand/linalg';
import { createLstmBackwardCell } from '../../src/hand/lstm-backward';
import { arithmeticFor } from '../../src/hand/precision';
import { runRecurrentLayerWithState } from '../../src/hand/recurrent';
import { createSimpleRnnBackwardCell } from '../../src/hand/simple-rnn-backward';
import type { CellKind } from '../../src/spec';
import type { RecurrentLayerWeights } from '../../src/weights';
import { kindGradientMismatches, kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

const BASE: RecurrentConfig = {
  units: 3,
  activation: 'tanh',
  useBias: true,
  returnSequences: false,
  returnState: false,
  goBackwards: false,
  unroll: false,
  zeroOutputForMask: false,
  dropout: 0,
  recurrentDropout: 0,
};

/** A cell under test: its kind and its config with the shared options. */
interface Cell {
  readonly name: string;
  readonly kind: AnyLayerKind;
  readonly stateCount: number;
  config(options: Partial<RecurrentConfig> & { recurrentActivation?: string }): RecurrentConfig;
}

const CELLS: readonly Cell[] = [
  { name: 'SimpleRNN', kind: simpleRnn, stateCount: 1, config: (o) => ({ ...BASE, ...o }) },
  {
    name: 'LSTM',
    kind: lstm,
    stateCount: 2,
    config: (o): LstmConfig => ({ ...BASE, recurrentActivation: 'sigmoid', unitForgetBias: true, ...o }),
  },
  {
    name: 'GRU reset_after=True',
    kind: gru,
    stateCount: 1,
    config: (o): GruConfig => ({ ...BASE, recurrentActivation: 'sigmoid', resetAfter: true, ...o }),
  },
  {
    name: 'GRU reset_after=False',
    kind: gru,
    stateCount: 1,
    config: (o): GruConfig => ({ ...BASE, recurrentActivation: 'sigmoid', resetAfter: false, ...o }),
  },
];

/** Padding at the start, in the middle, at the end, and a fully padded sample: [4, 5]. */
const MASK_4x5 = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);

interface Shape {
  readonly batch?: number;
  readonly timeSteps?: number;
  readonly inputDim?: number;
  readonly mask?: Uint8Array;
  /** Passes Keras's initial_state: h (and c for LSTM) as extra inputs. */
  readonly initialState?: boolean;
}

/** Seeded weights (scale 0.5: gates away from saturation) and inputs for `config`. */
function recurrentCase(cell: Cell, config: RecurrentConfig, shape: Shape = {}, seed = 11): KindGradientCase {
  const { batch = 3, timeSteps = 4, inputDim = 3, mask, initialState = false } = shape;
  const sequence: HandTensor = {
    shape: [batch, timeSteps, inputDim],
    data: seededValues(seed, batch * timeSteps * inputDim),
    ...(mask ? { mask } : {}),
  };
  const states: HandTensor[] = initialState
    ? Array.from({ length: cell.stateCount }, (_, k) => ({ shape: [batch, config.units], data: seededValues(seed + 20 + k, batch * config.units, 0.5) }))
    : [];
  const inputs = [sequence, ...states];
  const specs = cell.kind.weightShapes(
    config,
    inputs.map((x) => x.shape),
  );
  const weights = specs.map((w, k) =>
    seededValues(
      seed + 1 + k,
      w.shape.reduce((a, b) => a * b, 1),
      0.5,
    ),
  );
  return { kind: cell.kind, config, weights, inputs };
}

/** [name, options, shape]: run for every cell. */
const OPTION_CASES: readonly (readonly [string, Partial<RecurrentConfig> & { recurrentActivation?: string }, Shape])[] = [
  ['last step only', {}, {}],
  ['return_sequences', { returnSequences: true }, {}],
  ['go_backwards, last step', { goBackwards: true }, {}],
  ['go_backwards, return_sequences', { goBackwards: true, returnSequences: true }, {}],
  ['use_bias=False', { useBias: false, returnSequences: true }, {}],
  ['return_state (gradients into the final states)', { returnState: true }, {}],
  ['return_state, return_sequences, go_backwards', { returnState: true, returnSequences: true, goBackwards: true }, {}],
  ['initial_state inputs', { returnSequences: true }, { initialState: true }],
  ['initial_state, return_state, go_backwards', { returnState: true, goBackwards: true }, { initialState: true }],
  ['T = 1', { returnSequences: true, returnState: true }, { timeSteps: 1, initialState: true }],
  ['T = 1, batch 1, units 1', { units: 1 }, { timeSteps: 1, batch: 1, inputDim: 2 }],
  ['units 4, inputDim 2, T = 5', { units: 4, returnSequences: true }, { timeSteps: 5, inputDim: 2 }],
  ['relu', { activation: 'relu', returnSequences: true }, {}],
  ['sigmoid', { activation: 'sigmoid' }, {}],
  ['hard_sigmoid', { activation: 'hard_sigmoid', returnSequences: true }, {}],
  ['linear', { activation: 'linear' }, {}],
  ['recurrent_activation hard_sigmoid', { recurrentActivation: 'hard_sigmoid', returnSequences: true }, {}],
  ["recurrent_activation hard_sigmoid_tfjs (tfjs's default)", { recurrentActivation: 'hard_sigmoid_tfjs' }, {}],
  ['mask, last step', {}, { batch: 4, timeSteps: 5, mask: MASK_4x5 }],
  ['mask, return_sequences', { returnSequences: true }, { batch: 4, timeSteps: 5, mask: MASK_4x5 }],
  ['mask, return_sequences, zero_output_for_mask', { returnSequences: true, zeroOutputForMask: true }, { batch: 4, timeSteps: 5, mask: MASK_4x5 }],
  [
    'mask, go_backwards, zero_output_for_mask, return_state, initial_state',
    { returnSequences: true, zeroOutputForMask: true, goBackwards: true, returnState: true },
    { batch: 4, timeSteps: 5, mask: MASK_4x5, initialState: true },
  ],
  ['mask, go_backwards, last step, initial_state', { goBackwards: true }, { batch: 4, timeSteps: 5, mask: MASK_4x5, initialState: true }],
  [
    'mask, T = 1, one real and one padded sample',
    { returnSequences: true, returnState: true },
    { batch: 2, timeSteps: 1, mask: Uint8Array.from([1, 0]), initialState: true },
  ],
];

describe.each(CELLS)('$name backward against finite differences (float64)', (cell) => {
  // SimpleRNN has no recurrent activation.
  const cases = OPTION_CASES.filter(([, options]) => cell.kind !== simpleRnn || options.recurrentActivation === undefined);
  test.each(cases)('%s', (_name, options, shape) => {
    const c = recurrentCase(cell, cell.config(options), shape);
    expect(kindGradientMismatches(c)).toEqual([]);
  });

  test('returns one gradient per input (the initial states too) and per weight, with their shapes', () => {
    const c = recurrentCase(cell, cell.config({ returnState: true }), { initialState: true });
    const grads = kindGradients(c);
    expect(grads.inputs.map((g) => g?.length)).toEqual(c.inputs.map((x) => x.data.length));
    expect(grads.weights.map((g) => g.length)).toEqual(c.weights.map((w) => w.length));
  });

  test('a fully padded sample takes no gradient through the cell: its input gradient is 0', () => {
    const c = recurrentCase(cell, cell.config({ returnSequences: true }), { batch: 4, timeSteps: 5, mask: MASK_4x5 });
    const dx = kindGradients(c).inputs[0] as Float64Array;
    const sampleSize = 5 * 3;
    expect(Array.from(dx.subarray(3 * sampleSize, 4 * sampleSize)).every((v) => v === 0)).toBe(true);
    // ...and a padded step of a real sample neither (sample 0's first two steps).
    expect(Array.from(dx.subarray(0, 2 * 3)).every((v) => v === 0)).toBe(true);
  });
});

describe('the checker catches wrong gradients', () => {
  /** The cell's kind with its backward changed by `bug`. */
  function withBug(kind: AnyLayerKind, bug: (grads: LayerGradients, inputs: readonly HandTensor[]) => LayerGradients | undefined): AnyLayerKind {
    return {
      ...kind,
      backward: (config, weights, inputs, outputGrads, arith) => {
        const grads = (kind.backward as NonNullable<AnyLayerKind['backward']>)(config, weights, inputs, outputGrads, arith);
        return bug(grads, inputs) ?? grads;
      },
    };
  }

  describe.each(CELLS)('$name', (cell) => {
    test('one recurrent-kernel gradient entry off by 1e-3 is found, and only it', () => {
      const c = recurrentCase(cell, cell.config({ returnSequences: true }));
      const buggy = withBug(cell.kind, (grads) => {
        const recurrentKernel = Float64Array.from(grads.weights[1]);
        recurrentKernel[2] += 1e-3;
        return { ...grads, weights: [grads.weights[0], recurrentKernel, ...grads.weights.slice(2)] };
      });
      expect(kindGradientMismatches({ ...c, kind: buggy })).toEqual([expect.objectContaining({ what: 'weight 1', index: 2 })]);
    });

    test('a backward that ignores the mask is found', () => {
      const c = recurrentCase(cell, cell.config({ returnSequences: true }), { batch: 4, timeSteps: 5, mask: MASK_4x5 });
      const unmasked: AnyLayerKind = {
        ...cell.kind,
        backward: (config, weights, inputs, outputGrads, arith) =>
          (cell.kind.backward as NonNullable<AnyLayerKind['backward']>)(
            config,
            weights,
            [{ shape: inputs[0].shape, data: inputs[0].data }],
            outputGrads,
            arith,
          ),
      };
      expect(kindGradientMismatches({ ...c, kind: unmasked }).length).toBeGreaterThan(0);
    });

    test('a backward that drops the final states’ gradients is found', () => {
      const c = recurrentCase(cell, cell.config({ returnState: true }));
      const dropped: AnyLayerKind = {
        ...cell.kind,
        backward: (config, weights, inputs, outputGrads, arith) =>
          (cell.kind.backward as NonNullable<AnyLayerKind['backward']>)(
            config,
            weights,
            inputs,
            outputGrads.map((g, k) => (k === 0 ? g : new Float64Array(g.length))),
            arith,
          ),
      };
      expect(kindGradientMismatches({ ...c, kind: dropped }).length).toBeGreaterThan(0);
    });
  });
});

describe('float32 mode against float64', () => {
  /**
   * The float32 mode rounds every operation to float32 (eps = 6e-8) as the forward does; BPTT sums over the
   * T steps and the batch*T rows, and an entry that is a sum of cancelling terms loses relative precision
   * against its tensor's largest entry (relativeMaxError's scale). Measured (relativeMaxError over every input
   * and weight gradient): on the case below 1.9e-7 (SimpleRNN), 2.6e-7 (LSTM), 2.1e-7 (GRU reset_after=True),
   * 1.2e-7 (reset_after=False); over 20 seeds of this case and of T = 20, units 8, no mask, the worst was
   * 1.7e-6 (SimpleRNN, masked), 6.1e-7 (GRU), 4.0e-7 (LSTM). 1e-5 (about 170 eps) leaves 6x over the worst
   * seen. Wrong formulas are the float64 checks' job; this one shows the float32 mode rounds (error > 0,
   * Float32Array results) and stays at float32's floor.
   */
  const FLOAT32_TOLERANCE = 1e-5;

  test.each(CELLS)('$name: every gradient within 1e-5 (relative to its largest entry)', (cell) => {
    const c = recurrentCase(
      cell,
      cell.config({ returnSequences: true, returnState: true, goBackwards: true, zeroOutputForMask: true }),
      { batch: 4, timeSteps: 5, mask: MASK_4x5, initialState: true },
      5,
    );
    const exact = kindGradients(c, 'float64');
    const rounded = kindGradients(c, 'float32');
    const errors = [...exact.inputs.map((g, k) => relativeMaxError(rounded.inputs[k] as Float32Array, g as Float64Array))];
    errors.push(...exact.weights.map((g, k) => relativeMaxError(rounded.weights[k], g)));
    expect(rounded.weights.every((g) => g instanceof Float32Array)).toBe(true);
    expect(Math.max(...errors)).toBeLessThan(FLOAT32_TOLERANCE);
    expect(Math.max(...errors)).toBeGreaterThan(0);
  });
});

describe('the backward cells recompute the forward bit for bit in float32', () => {
  const CELL_FACTORIES: readonly (readonly [string, CellKind, number, DifferentiableCellFactory, boolean])[] = [
    ['SimpleRNN', 'simple', 1, createSimpleRnnBackwardCell, false],
    ['LSTM', 'lstm', 4, createLstmBackwardCell, false],
    ['GRU reset_after=True', 'gru', 3, createGruBackwardCell, true],
    ['GRU reset_after=False', 'gru', 3, createGruBackwardCell, false],
  ];

  test.each(CELL_FACTORIES)('%s: the final states equal runRecurrentLayerWithState’s', (_name, cell, gates, factory, resetAfter) => {
    const arith = arithmeticFor('float32');
    const [batch, timeSteps, inputDim, units] = [3, 6, 4, 5];
    const width = gates * units;
    const layer: RecurrentLayerWeights<Float64Array> = {
      cell,
      units,
      inputDim,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      returnSequences: false,
      goBackwards: false,
      resetAfter,
      kernel: { rows: inputDim, cols: width, data: seededValues(1, inputDim * width, 0.5) },
      recurrentKernel: { rows: units, cols: width, data: seededValues(2, units * width, 0.5) },
      bias: seededValues(3, width, 0.5),
      ...(resetAfter ? { recurrentBias: seededValues(4, width, 0.5) } : {}),
    };
    const x = arith.load(seededValues(5, batch * timeSteps * inputDim));
    const expected = runRecurrentLayerWithState(layer, x, batch, timeSteps, arith, false).state;
    // [batch*timeSteps, inputDim] x [inputDim, gates*units]
    const projection = projectInputs(x, batch * timeSteps, viewOf(arith.load(layer.kernel.data), inputDim, width), arith);
    const differentiable = factory(layer, projection.data, batch, timeSteps, arith);
    let states = expected.map(() => arith.alloc(batch * units));
    for (let t = 0; t < timeSteps; t++) states = [...differentiable.forward(t, states).next];
    expect(states.map((s) => Array.from(s))).toEqual(expected.map((s) => Array.from(s)));
  });
});
