/**
 * The rewrites the fault catalogue is built from, on small hand-checked arrays, and the identity the
 * GRU z/(1-z) fault rests on. No tfjs.
 */
import { hardSigmoidKeras, hardSigmoidTfjs, sigmoid } from '../../src/hand/activations';
import {
  delayOneStep,
  negateGate,
  readColumnMajor,
  readTimeMajor,
  reorderGates,
  roundToDecimals,
  roundToFloat16,
  transposeGateBlocks,
} from '../../apps/faults/transforms';
import { matrix, recurrentLayer, sequences } from '../hand/build';

describe('roundToFloat16 (nearest half-precision value, ties to even)', () => {
  test.each([
    [1, 1],
    [1 / 3, 0.333251953125], // 0x3555
    [0.1, 0.0999755859375], // 0x2E66
    [-0.1, -0.0999755859375],
    [1 + 2 ** -11, 1], // halfway between 1 and 1 + 2^-10: to even
    [1 + 3 * 2 ** -11, 1 + 2 ** -9], // halfway between 1 + 2^-10 (odd) and 1 + 2^-9: to even
    [65504, 65504], // largest finite half
    [65519, 65504],
    [65520, Infinity],
    [2 ** -24, 2 ** -24], // smallest subnormal
    [2 ** -25, 0], // halfway between 0 and 2^-24: to even
    [3 * 2 ** -25, 2 ** -23],
    [0, 0],
  ])('%p -> %p', (x, expected) => {
    expect(roundToFloat16(x)).toBe(expected);
  });

  test('every result is a float16 value: 11 significant bits', () => {
    for (let i = 1; i <= 1000; i++) {
      const y = roundToFloat16(Math.sin(i) * 3);
      const spacing = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(y))), -14) - 10);
      expect(Number.isInteger(y / spacing)).toBe(true);
      expect(Math.abs(y - Math.sin(i) * 3)).toBeLessThanOrEqual(spacing / 2);
    }
  });
});

test('roundToDecimals: what text with that many decimals reads back as', () => {
  expect(roundToDecimals(0.123456789, 4)).toBe(0.1235);
  expect(roundToDecimals(-0.00004, 4)).toBe(-0);
  expect(roundToDecimals(Math.fround(0.3), 6)).toBe(0.3);
});

test('readColumnMajor reads (r, c) at c*rows + r; a square one is the transpose', () => {
  // [2,3] data [a b c; d e f] read column-major: (0,0)=a (0,1)=data[2]=c (0,2)=data[4]=e; (1,0)=b (1,1)=d (1,2)=f
  expect(Array.from(readColumnMajor(matrix(2, 3, [1, 2, 3, 4, 5, 6])).data)).toEqual([1, 3, 5, 2, 4, 6]);
  expect(Array.from(readColumnMajor(matrix(2, 2, [1, 2, 3, 4])).data)).toEqual([1, 3, 2, 4]);
});

test('transposeGateBlocks transposes each [units, units] block and is its own inverse', () => {
  // [2, 4]: blocks [1 2; 5 6] and [3 4; 7 8]
  const m = matrix(2, 4, [1, 2, 3, 4, 5, 6, 7, 8]);
  const t = transposeGateBlocks(m, 2);
  expect(Array.from(t.data)).toEqual([1, 5, 3, 7, 2, 6, 4, 8]);
  expect(Array.from(transposeGateBlocks(t, 2).data)).toEqual(Array.from(m.data));
});

test('reorderGates moves whole column blocks in every weight; a swap is its own inverse', () => {
  // GRU units 1: columns [z|r|h]; recurrentBias present (reset_after)
  const layer = recurrentLayer({
    cell: 'gru',
    units: 1,
    inputDim: 1,
    kernel: [1, 2, 3],
    recurrentKernel: [4, 5, 6],
    bias: [7, 8, 9],
    recurrentBias: [10, 11, 12],
    resetAfter: true,
  });
  const swapped = reorderGates(layer, [1, 0, 2]);
  expect(Array.from(swapped.kernel.data)).toEqual([2, 1, 3]);
  expect(Array.from(swapped.recurrentKernel.data)).toEqual([5, 4, 6]);
  expect(Array.from(swapped.bias)).toEqual([8, 7, 9]);
  expect(Array.from(swapped.recurrentBias ?? [])).toEqual([11, 10, 12]);
  expect(Array.from(reorderGates(swapped, [1, 0, 2]).kernel.data)).toEqual([1, 2, 3]);
  // LSTM ONNX order [i|o|f|c]: the shipped reader's f, c, o come from blocks 2, 3, 1.
  const lstm = recurrentLayer({ cell: 'lstm', units: 1, inputDim: 1, kernel: [1, 2, 3, 4], recurrentKernel: [0, 0, 0, 0], bias: [0, 0, 0, 0] });
  expect(Array.from(reorderGates(lstm, [0, 2, 3, 1]).kernel.data)).toEqual([1, 3, 4, 2]);
});

test('negateGate negates one gate block of every weight, nothing else', () => {
  const layer = recurrentLayer({
    cell: 'gru',
    units: 2,
    inputDim: 1,
    kernel: [1, 2, 3, 4, 5, 6],
    recurrentKernel: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
    bias: [1, 1, 1, 1, 1, 1],
  });
  const n = negateGate(layer, 0);
  expect(Array.from(n.kernel.data)).toEqual([-1, -2, 3, 4, 5, 6]);
  expect(Array.from(n.recurrentKernel.data)).toEqual([-1, -1, 1, 1, 1, 1, -2, -2, 2, 2, 2, 2]);
  expect(Array.from(n.bias)).toEqual([-1, -1, 1, 1, 1, 1]);
});

// The GRU z/(1-z) fault negates z's pre-activation: exact only because ra(-x) = 1 - ra(x) for every gate activation.
test.each([
  ['sigmoid', sigmoid],
  ['hard_sigmoid (Keras 3)', hardSigmoidKeras],
  ['hard_sigmoid_tfjs', hardSigmoidTfjs],
])('%s(-x) = 1 - %s(x)', (_name, f) => {
  for (let x = -8; x <= 8; x += 0.0625) expect(Math.abs(f(-x) - (1 - f(x)))).toBeLessThanOrEqual(2 ** -52);
});

test('delayOneStep: step t holds x_{t-1}, step 0 zeros', () => {
  const x = sequences([
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    [
      [7, 8],
      [9, 10],
      [11, 12],
    ],
  ]);
  expect(Array.from(delayOneStep(x).data)).toEqual([0, 0, 1, 2, 3, 4, 0, 0, 7, 8, 9, 10]);
});

test('readTimeMajor: [batch, T, D] read at (t*batch + b); the identity at batch 1', () => {
  // batch 2, T 3, D 1: data [a0 a1 a2 b0 b1 b2] read time-major: sample 0 = data[0], data[2], data[4]
  const x = sequences([
    [[0], [1], [2]],
    [[3], [4], [5]],
  ]);
  expect(Array.from(readTimeMajor(x).data)).toEqual([0, 2, 4, 1, 3, 5]);
  const one = sequences([[[0], [1], [2]]]);
  expect(Array.from(readTimeMajor(one).data)).toEqual([0, 1, 2]);
});
