/**
 * zero_output_for_mask with go_backwards: Keras zeroes output step s (processing order) where the step it read,
 * T - 1 - s, is padding. Worked by hand, and what Keras 3.15.1 gives (measured when the no-false-alarm sweep
 * found the layer path zeroing the unreversed steps): Masking(0) -> SimpleRNN(1, linear, kernel 1, recurrent 1,
 * no bias, go_backwards, return_sequences, zero_output_for_mask) on [[1], [2], [0], [0]] reads 0 (masked: 0),
 * 0 (masked: 0), 2 (h = 2), 1 (h = 2 + 1 = 3): [0, 0, 2, 3]. Both paths, on cpu, exactly.
 */
import type { GraphModel } from '../../src/graph/model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';

const RNN: RecurrentConfig = {
  units: 1,
  activation: 'linear',
  useBias: false,
  returnSequences: true,
  returnState: false,
  goBackwards: true,
  unroll: false,
  zeroOutputForMask: true,
  dropout: 0,
  recurrentDropout: 0,
} as RecurrentConfig;

const MODEL: GraphModel = {
  topology: 'Sequential',
  inputs: [{ name: 'x', shape: [null, 4, 1] }],
  layers: [
    { name: 'masking', kind: 'masking', config: { maskValue: 0 }, weights: [], inbound: ['x'] },
    {
      name: 'rnn',
      kind: 'simple-rnn',
      config: RNN,
      weights: [
        { name: 'kernel', shape: [1, 1], data: Float32Array.from([1]) },
        { name: 'recurrent_kernel', shape: [1, 1], data: Float32Array.from([1]) },
      ],
      inbound: ['masking'],
    },
  ],
  outputs: ['rnn'],
};
const INPUT = { shape: [1, 4, 1], data: Float32Array.from([1, 2, 0, 0]) };
const EXPECTED = [0, 0, 2, 3];

test('hand path: [0, 0, 2, 3]', () => {
  expect(Array.from(forwardGraph(MODEL, [INPUT])[0].data)).toEqual(EXPECTED);
});

test('layer path (cpu): [0, 0, 2, 3], the mask reversed to the outputs’ processing order', async () => {
  const result = await checkModel({
    model: MODEL,
    backend: 'cpu',
    precision: 'float64',
    seed: 0,
    inputs: [INPUT],
    expected: [{ shape: [1, 4, 1], data: Float64Array.from(EXPECTED) }],
    tolerance: { atol: 0, rtol: 0 },
  });
  expect(Array.from(result.outputs[0].layer.data)).toEqual(EXPECTED);
  expect(result.pass).toBe(true);
});
