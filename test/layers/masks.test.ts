/**
 * Keras's padding masks on the hand path, worked by hand on a one-unit linear SimpleRNN:
 *   h_t = x_t * 1 + h_{t-1} * 0.5   (kernel [[1]], recurrent kernel [[0.5]], bias [0], activation linear)
 * over x = [1, 2, 3]. Unmasked: h = 1, 2.5, 4.25. Keras's rnn() (keras/src/backend/tensorflow/rnn.py): a
 * padded step keeps the state and outputs the previous output (zeros before the first real step), or
 * zeros with zero_output_for_mask.
 */
import type { GraphModel } from '../../src/graph/model';
import { forwardGraph } from '../../src/graph/hand-forward';
import { bidirectional, type BidirectionalConfig } from '../../src/layers/bidirectional';
import { embedding } from '../../src/layers/embedding';
import { masking } from '../../src/layers/masking';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';
import { simpleRnn } from '../../src/layers/simple-rnn';
import { ConfigError } from '../../src/errors';

const RNN: RecurrentConfig = {
  units: 1,
  activation: 'linear',
  useBias: true,
  returnSequences: true,
  goBackwards: false,
  unroll: false,
  zeroOutputForMask: false,
  returnState: false,
  dropout: 0,
  recurrentDropout: 0,
};
const W = (shape: number[], values: number[]) => ({ name: 'w', shape, data: Float32Array.from(values) });
const RNN_WEIGHTS = [W([1, 1], [1]), W([1, 1], [0.5]), W([1], [0])];

/** Embedding(4, 1, mask_zero) whose row k is the value k, so ids are their own features; then one layer. */
function maskedModel(kind: string, config: unknown, weights = RNN_WEIGHTS): GraphModel {
  return {
    topology: 'Sequential',
    inputs: [{ name: 'ids', shape: [null, 3], dtype: 'int32' }],
    layers: [
      { name: 'embedding', kind: 'embedding', config: { inputDim: 4, outputDim: 1, maskZero: true }, weights: [W([4, 1], [0, 1, 2, 3])], inbound: ['ids'] },
      { name: 'layer', kind, config, weights, inbound: ['embedding'] },
    ],
    outputs: ['layer'],
  };
}
const ids = (values: number[]) => [{ shape: [1, 3], data: Float64Array.from(values) }];
const run = (model: GraphModel, values: number[]) => Array.from(forwardGraph(model, ids(values), 'float64')[0].data);

describe('SimpleRNN over a mask', () => {
  test('no padding: the plain recurrence 1, 2.5, 4.25', () => {
    expect(run(maskedModel('simple-rnn', RNN), [1, 2, 3])).toEqual([1, 2.5, 4.25]);
  });
  test('post-padding [1, 2, pad]: the padded step repeats 2.5 and keeps the state', () => {
    expect(run(maskedModel('simple-rnn', RNN), [1, 2, 0])).toEqual([1, 2.5, 2.5]);
  });
  test('zero_output_for_mask: the padded step outputs 0', () => {
    expect(run(maskedModel('simple-rnn', { ...RNN, zeroOutputForMask: true }), [1, 2, 0])).toEqual([1, 2.5, 0]);
  });
  test('pre-padding [pad, 2, 3]: zeros until the first real step, then 2, 3 + 1 = 4', () => {
    expect(run(maskedModel('simple-rnn', RNN), [0, 2, 3])).toEqual([0, 2, 4]);
  });
  test('go_backwards over [1, 2, pad]: step 2 padded (0), then 2, then 1 + 1 = 2, in processing order', () => {
    expect(run(maskedModel('simple-rnn', { ...RNN, goBackwards: true }), [1, 2, 0])).toEqual([0, 2, 2]);
  });
  test('last step only: the state of the last real step, 2.5', () => {
    expect(run(maskedModel('simple-rnn', { ...RNN, returnSequences: false }), [1, 2, 0])).toEqual([2.5]);
  });
  test('a row of padding only: zeros', () => {
    expect(run(maskedModel('simple-rnn', RNN), [0, 0, 0])).toEqual([0, 0, 0]);
  });
});

describe('Bidirectional', () => {
  const config = (mergeMode: BidirectionalConfig['mergeMode'], returnSequences = true): BidirectionalConfig => ({
    forward: { kind: simpleRnn, config: { ...RNN, returnSequences, zeroOutputForMask: returnSequences } },
    backward: { kind: simpleRnn, config: { ...RNN, returnSequences, goBackwards: true, zeroOutputForMask: returnSequences } },
    mergeMode,
    explicitBackward: false,
  });
  const both = [...RNN_WEIGHTS, ...RNN_WEIGHTS];
  // forward 1, 2.5, 4.25; backward reads 3, 2, 1: 3, 2 + 1.5 = 3.5, 1 + 1.75 = 2.75, flipped to 2.75, 3.5, 3
  test.each([
    ['concat', [1, 2.75, 2.5, 3.5, 4.25, 3]],
    ['sum', [3.75, 6, 7.25]],
    ['mul', [2.75, 8.75, 12.75]],
    ['ave', [1.875, 3, 3.625]],
  ] as const)('%s of forward and flipped backward sequences', (mode, expected) => {
    expect(run(maskedModel('bidirectional', config(mode), both), [1, 2, 3])).toEqual(expected);
  });
  test('last steps only, concat: forward 4.25, backward 2.75', () => {
    expect(run(maskedModel('bidirectional', config('concat', false), both), [1, 2, 3])).toEqual([4.25, 2.75]);
  });
  test('post-padding [1, 2, pad], sum: forward 1, 2.5, 0; backward 0, 2, 2 flipped to 2, 2, 0 (zero_output_for_mask forced)', () => {
    expect(run(maskedModel('bidirectional', config('sum'), both), [1, 2, 0])).toEqual([3, 4.5, 0]);
  });
  test('Keras config: the default backward layer is the forward one with go_backwards, zero_output_for_mask = return_sequences', () => {
    const blockers: never[] = [];
    const { ReadContext } = jest.requireActual('../../src/layers/read-context');
    const ctx = new ReadContext('keras', 'layer 1 "bidirectional" (Bidirectional)', blockers, () => simpleRnn);
    const read = bidirectional.readConfig(
      { name: 'bidirectional', merge_mode: 'concat', layer: { class_name: 'SimpleRNN', config: { name: 'rnn', units: 2, return_sequences: true } } },
      ctx,
    ) as BidirectionalConfig;
    expect(blockers).toEqual([]);
    expect(read.backward.config).toMatchObject({ units: 2, goBackwards: true, zeroOutputForMask: true });
    expect(read.forward.config).toMatchObject({ goBackwards: false, zeroOutputForMask: true });
  });
});

describe('Embedding and Masking', () => {
  test('Embedding looks rows up and masks id 0', () => {
    const [out] = forwardGraph(
      {
        topology: 'Sequential',
        inputs: [{ name: 'ids', shape: [null, 3], dtype: 'int32' }],
        layers: [
          { name: 'e', kind: 'embedding', config: { inputDim: 3, outputDim: 2, maskZero: true }, weights: [W([3, 2], [0, 0, 1, 2, 3, 4])], inbound: ['ids'] },
        ],
        outputs: ['e'],
      },
      [{ shape: [1, 3], data: Float64Array.from([1, 0, 2]) }],
    );
    expect(Array.from(out.data)).toEqual([1, 2, 0, 0, 3, 4]);
    expect(embedding.computeMask?.({ inputDim: 3, outputDim: 2, maskZero: true }, [{ shape: [1, 3], data: Float64Array.from([1, 0, 2]) }])).toEqual(
      Uint8Array.from([1, 0, 1]),
    );
  });
  test('an id outside the vocabulary is a ConfigError naming it and where', () => {
    const model = maskedModel('simple-rnn', RNN);
    expect(() => forwardGraph(model, ids([1, 4, 2]))).toThrow(ConfigError);
    expect(() => forwardGraph(model, ids([1, 4, 2]))).toThrow(
      "Embedding input: expected integer token ids in [0, 4) (the Embedding's vocabulary), got an id outside [0, 4), 4 at [0,1]",
    );
  });
  test('Masking zeroes the steps equal to mask_value and masks them', () => {
    const x = { shape: [1, 3, 2], data: Float64Array.from([1, 2, 0, 0, 0, 5]) };
    const out = masking.forward({ maskValue: 0 }, [], [x], {
      precision: 'float64',
      round: (v: number) => v,
      alloc: (n: number) => new Float64Array(n),
      load: (v: Float64Array | Float32Array) => (v instanceof Float64Array ? v : Float64Array.from(v)),
      matmulAccumulate: () => undefined,
    });
    expect(Array.from(out.data)).toEqual([1, 2, 0, 0, 0, 5]);
    expect(masking.computeMask?.({ maskValue: 0 }, [x])).toEqual(Uint8Array.from([1, 0, 1]));
  });
});

describe('initial_state and return_state', () => {
  // x = [1, 2, 3] (float input), h0 = 2: h = 1 + 1 = 2, 2 + 1 = 3, 3 + 1.5 = 4.5; the final state is 4.5.
  const model: GraphModel = {
    topology: 'Functional',
    inputs: [
      { name: 'x', shape: [null, 3, 1] },
      { name: 'h0', shape: [null, 1] },
    ],
    layers: [{ name: 'rnn', kind: 'simple-rnn', config: { ...RNN, returnState: true }, weights: RNN_WEIGHTS, inbound: ['x', 'h0'] }],
    outputs: ['rnn', 'rnn:1'],
  };
  test('the recurrence starts from the given state; output 1 is the final state', () => {
    const [sequence, state] = forwardGraph(model, [
      { shape: [1, 3, 1], data: Float64Array.from([1, 2, 3]) },
      { shape: [1, 1], data: Float64Array.from([2]) },
    ]);
    expect(Array.from(sequence.data)).toEqual([2, 3, 4.5]);
    expect(state.shape).toEqual([1, 1]);
    expect(Array.from(state.data)).toEqual([4.5]);
  });
  test('a state of the wrong width is a ShapeError naming both', () => {
    const wide: GraphModel = { ...model, inputs: [model.inputs[0], { name: 'h0', shape: [null, 2] }] };
    expect(() =>
      forwardGraph(wide, [
        { shape: [1, 3, 1], data: new Float64Array(3) },
        { shape: [1, 2], data: new Float64Array(2) },
      ]),
    ).toThrow('expected 1 initial state(s) [batch, 1], got [None, 2]');
  });
});
