/**
 * forwardGraph on a tiny Functional graph worked by hand: one input branching into two Dense(1, linear)
 * layers, one of them feeding a third, two outputs. Constant weights, small integers and halves, so every
 * value is exact in float64 and float32 alike: both precisions must give them with atol = rtol = 0.
 */
import { ShapeError } from '../../src/errors';
import { forwardGraph } from '../../src/graph/hand-forward';
import type { GraphLayer, GraphModel } from '../../src/graph/model';
import type { DenseConfig } from '../../src/layers/dense';
import { PRECISIONS } from '../../src/hand/precision';
import { expectClose } from '../helpers/expect-close';
import { ndArray } from '../helpers/nd-array';

const EXACT = { atol: 0, rtol: 0 };
const LINEAR: DenseConfig = { units: 1, activation: 'linear', useBias: true };

function dense(name: string, inbound: string, kernel: number[], bias?: number): GraphLayer<DenseConfig> {
  return {
    name,
    kind: 'dense',
    config: { ...LINEAR, useBias: bias !== undefined },
    weights: [
      { name: 'kernel', shape: [kernel.length, 1], data: Float32Array.from(kernel) },
      ...(bias !== undefined ? [{ name: 'bias', shape: [1], data: Float32Array.from([bias]) }] : []),
    ],
    inbound: [inbound],
  };
}

/**
 *   x [batch, 2] -+-> a = Dense(1)(x), kernel [[1], [2]], bias 0.5 --> b = Dense(1)(a), kernel [[3]], bias -1
 *                 +-> c = Dense(1)(x), kernel [[0.25], [-1]], no bias
 *   outputs: b, c
 */
const MODEL: GraphModel = {
  topology: 'Functional',
  inputs: [{ name: 'x', shape: [null, 2] }],
  layers: [dense('a', 'x', [1, 2], 0.5), dense('b', 'a', [3], -1), dense('c', 'x', [0.25, -1])],
  outputs: ['b', 'c'],
};

// x = [[1, 2], [-1, 0.5]]
const X = ndArray([2, 2], [1, 2, -1, 0.5]);
// a = x·[1, 2] + 0.5:     [1 + 4 + 0.5, -1 + 1 + 0.5]   = [5.5, 0.5]
// b = 3a - 1:             [16.5 - 1, 1.5 - 1]           = [15.5, 0.5]
// c = x·[0.25, -1]:       [0.25 - 2, -0.25 - 0.5]       = [-1.75, -0.75]
const B = [15.5, 0.5];
const C = [-1.75, -0.75];

describe('forwardGraph on a branching Functional graph', () => {
  test.each(PRECISIONS)('gives the hand-worked outputs in %s, in the order of model.outputs', (precision) => {
    const [b, c] = forwardGraph(MODEL, [X], precision);
    expect(b.shape).toEqual([2, 1]);
    expect(c.shape).toEqual([2, 1]);
    expectClose(b, B, EXACT);
    expectClose(c, C, EXACT);
  });

  test('outputs follow model.outputs, which may name a layer another layer also reads', () => {
    // a = [5.5, 0.5] is both an output and b's input.
    const [c, a, b] = forwardGraph({ ...MODEL, outputs: ['c', 'a', 'b'] }, [X]);
    expectClose(c, C, EXACT);
    expectClose(a, [5.5, 0.5], EXACT);
    expectClose(b, B, EXACT);
  });

  test('returns Float64Array data in both precisions, and does not write to the input', () => {
    const before = Array.from(X.data);
    for (const precision of PRECISIONS) {
      for (const out of forwardGraph(MODEL, [X], precision)) expect(out.data).toBeInstanceOf(Float64Array);
    }
    expect(Array.from(X.data)).toEqual(before);
  });

  test('any batch size goes (the saved batch is null)', () => {
    // One sample, x = [2, -2]: a = 2 - 4 + 0.5 = -1.5, b = -4.5 - 1 = -5.5, c = 0.5 + 2 = 2.5
    const [b, c] = forwardGraph(MODEL, [ndArray([1, 2], [2, -2])]);
    expectClose(b, [-5.5], EXACT);
    expectClose(c, [2.5], EXACT);
  });
});

describe('forwardGraph input errors', () => {
  test('a wrong input count is a ShapeError naming the inputs', () => {
    expect(() => forwardGraph(MODEL, [])).toThrow(ShapeError);
    expect(() => forwardGraph(MODEL, [X, X])).toThrow('inputs: expected 1 (x), got 2');
    const twoInputs: GraphModel = { ...MODEL, inputs: [...MODEL.inputs, { name: 'y', shape: [null, 3] }] };
    expect(() => forwardGraph(twoInputs, [X])).toThrow('inputs: expected 2 (x, y), got 1');
  });

  test.each([
    ['a wrong feature size', [2, 3], 'input "x": expected shape [any, 2], got [2,3]'],
    ['a wrong rank', [2, 2, 1], 'input "x": expected shape [any, 2], got [2,2,1]'],
    ['a missing batch axis', [2], 'input "x": expected shape [any, 2], got [2]'],
  ])('%s is a ShapeError naming the input and both shapes', (_what, shape, message) => {
    const input = ndArray(shape, new Array<number>(shape.reduce((p, d) => p * d, 1)).fill(0));
    expect(() => forwardGraph(MODEL, [input])).toThrow(ShapeError);
    expect(() => forwardGraph(MODEL, [input])).toThrow(message);
  });

  test('data that does not fill the shape is a ShapeError naming the input', () => {
    const short = { shape: [2, 2], data: new Float64Array(3) };
    expect(() => forwardGraph(MODEL, [short])).toThrow(ShapeError);
    expect(() => forwardGraph(MODEL, [short])).toThrow('input "x": expected 4 values for shape [2,2], got 3');
  });

  test('the second input is named when it is the one that does not fit', () => {
    const twoInputs: GraphModel = { ...MODEL, inputs: [...MODEL.inputs, { name: 'y', shape: [null, 3] }] };
    expect(() => forwardGraph(twoInputs, [X, ndArray([2, 2], [0, 0, 0, 0])])).toThrow('input "y": expected shape [any, 3], got [2,2]');
  });
});
