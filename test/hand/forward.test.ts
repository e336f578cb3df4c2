/**
 * forwardHand as a whole: stacking, goBackwards, returnSequences, batches, the dense head.
 * Hand cases use units 1 (float64); the rest check relations that must hold exactly
 * (a batch row = its own batch-1 run; goBackwards = the reversed input read forwards).
 */
import { forwardHand } from '../../src/hand/forward';
import type { CellKind } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import type { RecurrentLayerWeights } from '../../src/weights';
import { expectClose } from '../helpers/expect-close';
import { denseHead, FLOAT64_TIGHT, identityHead, model, randomInput, randomLayer, recurrentLayer, reverseTime, sampleOf, sequences } from './build';

// Layer 1: SimpleRNN units 1, W = 0.5, U = 0.25, b = 0.125 (simple-rnn.test.ts's unit model).
// Layer 2: SimpleRNN units 1, W = -1, U = 0.5, b = 0. Identity head. x = [1, 2].
const layer1 = (flags: { returnSequences?: boolean; goBackwards?: boolean } = {}) =>
  recurrentLayer({ cell: 'simple', units: 1, inputDim: 1, kernel: [0.5], recurrentKernel: [0.25], bias: [0.125], ...flags });
const layer2 = (returnSequences: boolean) =>
  recurrentLayer({ cell: 'simple', units: 1, inputDim: 1, kernel: [-1], recurrentKernel: [0.5], bias: [0], returnSequences });
const x = sequences([[[1], [2]]]);

describe('stacked layers (float64, by hand)', () => {
  test('layer 1 full sequence feeds layer 2; last step out', () => {
    const y = forwardHand(model([layer1({ returnSequences: true }), layer2(false)], identityHead(1)), x);
    expect(y.shape).toEqual([1, 1]);
    // layer 1: h1 = tanh(0.625) = 0.5545997223493823, h2 = 0.8520672381006785 (simple-rnn.test.ts)
    // layer 2: g1 = tanh(-1*h1) = -0.5039596661249118
    //          g2 = tanh(-1*h2 + 0.5*g1) = -0.8019480328109588
    expectClose(y, [-0.8019480328109588], FLOAT64_TIGHT);
  });

  test("only the last layer's returnSequences decides the output rank", () => {
    // layer 1 says returnSequences = false; it still hands its whole sequence to layer 2.
    const y = forwardHand(model([layer1({ returnSequences: false }), layer2(true)], identityHead(1)), x);
    expect(y.shape).toEqual([1, 2, 1]);
    // [g1, g2] from the case above
    expectClose(y, [-0.5039596661249118, -0.8019480328109588], FLOAT64_TIGHT);
  });

  test('layer 1 goBackwards: layer 2 reads its outputs in processing order', () => {
    const y = forwardHand(model([layer1({ returnSequences: true, goBackwards: true }), layer2(true)], identityHead(1)), x);
    // layer 1 reads x2 then x1: h1' = tanh(1.125) = 0.809301070201781, h2' = 0.679037186739499
    // layer 2 reads [h1', h2']: g1 = tanh(-h1') = -0.6692045153112264
    //                           g2 = tanh(-h2' + 0.5*g1) = -0.7672631333420113
    expectClose(y, [-0.6692045153112264, -0.7672631333420113], FLOAT64_TIGHT);
  });
});

/** Each cell kind (GRU in both variants) with pseudo-random weights, inputDim 6, units 3. */
const CELL_CASES: [string, CellKind, boolean][] = [
  ['simple', 'simple', false],
  ['lstm', 'lstm', false],
  ['gru (resetAfter false)', 'gru', false],
  ['gru (resetAfter true)', 'gru', true],
];

function oneLayerModel(cell: CellKind, resetAfter: boolean, flags: { returnSequences: boolean; goBackwards?: boolean }) {
  // inputDim 6 and batch 5 exercise the matmul's 4-wide blocks and their remainders.
  return model([randomLayer(10, cell, 6, 3, { resetAfter, ...flags })], denseHead(3, 2, [0.5, -1, 0.25, 2, -0.75, 1], [0.125, -0.25]));
}

describe.each(CELL_CASES)('%s', (_name, cell, resetAfter) => {
  const input = randomInput(7, 5, 4, 6); // [batch 5, T 4, inputDim 6]

  test.each([false, true])('batch rows equal batch-1 runs exactly (returnSequences %s)', (returnSequences) => {
    const weights = oneLayerModel(cell, resetAfter, { returnSequences });
    const y = forwardHand(weights, input);
    expect(y.shape).toEqual(returnSequences ? [5, 4, 2] : [5, 2]);
    const rowSize = y.data.length / 5;
    for (let b = 0; b < 5; b++) {
      const single = forwardHand(weights, sampleOf(input, b));
      expect(Array.from(y.data.subarray(b * rowSize, (b + 1) * rowSize))).toEqual(Array.from(single.data));
    }
  });

  test('goBackwards equals reading the reversed input forwards, outputs not re-reversed', () => {
    const backwards = forwardHand(oneLayerModel(cell, resetAfter, { returnSequences: true, goBackwards: true }), input);
    const reversed = forwardHand(oneLayerModel(cell, resetAfter, { returnSequences: true }), reverseTime(input));
    expect(Array.from(backwards.data)).toEqual(Array.from(reversed.data));
    const forwards = forwardHand(oneLayerModel(cell, resetAfter, { returnSequences: true }), input);
    expect(Array.from(backwards.data)).not.toEqual(Array.from(forwards.data));
  });
});

describe('composition', () => {
  /** Runs one layer alone and returns its output sequence h as an input [batch, T, units]. */
  function hiddenSequence(layer: RecurrentLayerWeights, input: NdArray): NdArray {
    return forwardHand(model([{ ...layer, returnSequences: true }], identityHead(layer.units)), input);
  }

  test('lstm -> gru (resetAfter) -> simple equals the layers run one at a time', () => {
    const l1 = randomLayer(20, 'lstm', 4, 3, { returnSequences: true });
    const l2 = randomLayer(30, 'gru', 3, 5, { returnSequences: true, resetAfter: true });
    const l3 = randomLayer(40, 'simple', 5, 2, { returnSequences: false });
    const head = denseHead(2, 1, [1.5, -0.5], [0.25]);
    const input = randomInput(3, 2, 6, 4);
    const stacked = forwardHand(model([l1, l2, l3], head), input);
    const alone = forwardHand(model([l3], head), hiddenSequence(l2, hiddenSequence(l1, input)));
    expect(stacked.shape).toEqual([2, 1]);
    expect(Array.from(stacked.data)).toEqual(Array.from(alone.data));
  });

  test('dense head on every step: y[b, t] = h[b, t]·Wo + bo', () => {
    const layer = randomLayer(50, 'lstm', 2, 2, { returnSequences: true });
    const input = randomInput(4, 3, 5, 2);
    const h = forwardHand(model([layer], identityHead(2)), input); // [3, 5, 2]
    // Wo [2, 3] = [[1, -2, 0.5], [0.25, 4, -1]], bo = [0.5, 0, -0.125]
    const wo = [1, -2, 0.5, 0.25, 4, -1];
    const bo = [0.5, 0, -0.125];
    const y = forwardHand(model([layer], denseHead(2, 3, wo, bo)), input);
    expect(y.shape).toEqual([3, 5, 3]);
    const expected: number[] = [];
    for (let row = 0; row < 15; row++) {
      const [h0, h1] = [h.data[row * 2], h.data[row * 2 + 1]];
      for (let k = 0; k < 3; k++) expected.push(h0 * wo[k] + h1 * wo[3 + k] + bo[k]);
    }
    expectClose(y, expected, FLOAT64_TIGHT);
  });
});

describe('inputs and outputs', () => {
  const weights = oneLayerModel('lstm', false, { returnSequences: false });
  const input = randomInput(8, 2, 3, 6);

  test('Float32Array input data gives the same result as the same values in a Float64Array', () => {
    // randomInput's values are float32 values, so the conversion is exact.
    const asFloat32 = { shape: input.shape, data: Float32Array.from(input.data) };
    expect(Array.from(forwardHand(weights, asFloat32).data)).toEqual(Array.from(forwardHand(weights, input).data));
  });

  test('output data is a Float64Array in both precisions', () => {
    expect(forwardHand(weights, input).data).toBeInstanceOf(Float64Array);
    expect(forwardHand(weights, input, 'float32').data).toBeInstanceOf(Float64Array);
  });

  test('neither the input nor the weights are written to', () => {
    const inputBefore = Array.from(input.data);
    const kernelBefore = Array.from(weights.recurrent[0].kernel.data);
    const biasBefore = Array.from(weights.recurrent[0].bias);
    forwardHand(weights, input);
    forwardHand(weights, input, 'float32');
    expect(Array.from(input.data)).toEqual(inputBefore);
    expect(Array.from(weights.recurrent[0].kernel.data)).toEqual(kernelBefore);
    expect(Array.from(weights.recurrent[0].bias)).toEqual(biasBefore);
  });
});
