/**
 * forwardHand refuses bad shapes at the edge with ShapeError "<what>: expected X, got Y",
 * naming the value it received, before computing anything.
 */
import { ConfigError, ShapeError } from '../../src/errors';
import { forwardHand } from '../../src/hand/forward';
import type { Activation } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import type { RecurrentLayerWeights, RnnWeights } from '../../src/weights';
import { denseHead, matrix, model, randomInput, randomLayer } from './build';

/** A valid model: lstm (inputDim 3, units 4) -> gru resetAfter (units 2) -> head 2 -> 1; input [2, 5, 3]. */
function validModel(): RnnWeights {
  return model([randomLayer(1, 'lstm', 3, 4, { returnSequences: true }), randomLayer(2, 'gru', 4, 2, { resetAfter: true })], denseHead(2, 1, [1, -1], [0]));
}
const input = randomInput(3, 2, 5, 3);

/** The model with layer k replaced by `change(layer)`. */
function withLayer(k: number, change: (layer: RecurrentLayerWeights) => RecurrentLayerWeights): RnnWeights {
  const weights = validModel();
  return { ...weights, recurrent: weights.recurrent.map((layer, i) => (i === k ? change(layer) : layer)) };
}

function expectShapeError(weights: RnnWeights, x: NdArray, message: string): void {
  const call = () => forwardHand(weights, x);
  expect(call).toThrow(ShapeError);
  expect(call).toThrow(message);
}

describe('forwardHand shape checks', () => {
  test('the valid model runs', () => {
    expect(forwardHand(validModel(), input).shape).toEqual([2, 1]);
  });

  test('input of rank 2', () => {
    expectShapeError(
      validModel(),
      { shape: [5, 3], data: new Float64Array(15) },
      'input: expected rank 3 [batch, timeSteps, inputDim], got rank 2 shape [5,3]',
    );
  });

  test('input with a zero size', () => {
    expectShapeError(
      validModel(),
      { shape: [2, 0, 3], data: new Float64Array(0) },
      'input: expected positive integer sizes [batch, timeSteps, inputDim], got [2,0,3]',
    );
  });

  test('input data shorter than its shape', () => {
    expectShapeError(validModel(), { shape: [2, 5, 3], data: new Float64Array(29) }, 'input: expected 30 values for shape [2,5,3], got 29');
  });

  test("input's inputDim differs from layer 0's kernel rows", () => {
    expectShapeError(validModel(), randomInput(3, 2, 5, 4), "input: expected inputDim 3 (layer 0's kernel rows), got 4 in shape [2,5,4]");
  });

  test("layer 0's inputDim field disagreeing with its kernel", () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, inputDim: 5 })),
      input,
      'layer 0 (lstm) inputDim: expected 3 (the input), got 5',
    );
  });

  test('no recurrent layers', () => {
    expectShapeError({ ...validModel(), recurrent: [] }, input, 'weights.recurrent: expected at least 1 recurrent layer, got 0');
  });

  test('LSTM kernel with 3 gate blocks instead of 4', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, kernel: matrix(3, 12, new Array<number>(36).fill(0)) })),
      input,
      'layer 0 (lstm) kernel: expected [3,16], got [3,12]',
    );
  });

  test('kernel data length disagreeing with its rows and cols', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, kernel: { rows: 3, cols: 16, data: new Float32Array(47) } })),
      input,
      'layer 0 (lstm) kernel: expected 48 values for [3,16], got 47',
    );
  });

  test('recurrentKernel rows not equal to units', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, recurrentKernel: matrix(3, 16, new Array<number>(48).fill(0)) })),
      input,
      'layer 0 (lstm) recurrentKernel: expected [4,16], got [3,16]',
    );
  });

  test('bias of the wrong length', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, bias: new Float32Array(4) })),
      input,
      'layer 0 (lstm) bias: expected [16], got [4]',
    );
  });

  test("layer 1's kernel rows not equal to layer 0's units", () => {
    expectShapeError(
      withLayer(1, (l) => ({ ...l, inputDim: 3, kernel: matrix(3, 6, new Array<number>(18).fill(0)) })),
      input,
      "layer 1 (gru) inputDim: expected 4 (layer 0's units), got 3",
    );
    expectShapeError(
      withLayer(1, (l) => ({ ...l, kernel: matrix(3, 6, new Array<number>(18).fill(0)) })),
      input,
      'layer 1 (gru) kernel: expected [4,6], got [3,6]',
    );
  });

  test('GRU with resetAfter and no recurrentBias', () => {
    expectShapeError(
      withLayer(1, ({ recurrentBias: _dropped, ...l }) => l),
      input,
      'layer 1 (gru) recurrentBias: expected [6] with resetAfter, got undefined',
    );
  });

  test('GRU recurrentBias of the wrong length', () => {
    expectShapeError(
      withLayer(1, (l) => ({ ...l, recurrentBias: new Float32Array(12) })),
      input,
      'layer 1 (gru) recurrentBias: expected [6], got [12]',
    );
  });

  test('a recurrentBias where none is used (LSTM)', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, recurrentBias: new Float32Array(16) })),
      input,
      'layer 0 (lstm) recurrentBias: expected none (only a GRU with resetAfter has one), got length 16',
    );
  });

  test('units that are not a positive integer', () => {
    expectShapeError(
      withLayer(0, (l) => ({ ...l, units: 0 })),
      input,
      'layer 0 (lstm) units: expected a positive integer, got 0',
    );
  });

  test("dense kernel rows not equal to the last layer's units", () => {
    expectShapeError({ ...validModel(), dense: denseHead(4, 1, [1, 1, 1, 1], [0]) }, input, 'dense kernel: expected [2,1], got [4,1]');
  });

  test('dense bias of the wrong length', () => {
    expectShapeError({ ...validModel(), dense: denseHead(2, 1, [1, 1], [0, 0]) }, input, 'dense bias: expected [1], got [2]');
  });

  test('an unknown activation is a ConfigError naming it', () => {
    const weights = withLayer(0, (l) => ({ ...l, activation: 'softmax' as Activation }));
    expect(() => forwardHand(weights, input)).toThrow(ConfigError);
    expect(() => forwardHand(weights, input)).toThrow('activation: expected one of tanh, relu, sigmoid, linear, got "softmax"');
  });
});
