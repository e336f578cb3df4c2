/**
 * SimpleRNN hand cases: h_t = act(x_t·W + h_{t-1}·U + b), h_0 = 0, then the dense head.
 * Every expected number sits under the arithmetic that produced it (float64, Math.tanh).
 * Weights are dyadic (0.5, 0.25, 0.125, ...) so their float32 storage is exact.
 */
import { forwardHand } from '../../src/hand/forward';
import { expectClose } from '../helpers/expect-close';
import { denseHead, FLOAT64_TIGHT, identityHead, model, recurrentLayer, sequences } from './build';

/** units 1, inputDim 1: W = [[0.5]], U = [[0.25]], b = [0.125]; head y = 2h - 0.5. */
function unitModel(flags: { returnSequences?: boolean; goBackwards?: boolean } = {}) {
  return model(
    [recurrentLayer({ cell: 'simple', units: 1, inputDim: 1, kernel: [0.5], recurrentKernel: [0.25], bias: [0.125], ...flags })],
    denseHead(1, 1, [2], [-0.5]),
  );
}

describe('SimpleRNN by hand (float64)', () => {
  const x = sequences([[[1], [2]]]); // one sample, T = 2: x1 = 1, x2 = 2

  test('units 1, T 2: last step through the dense head', () => {
    const y = forwardHand(unitModel(), x);
    expect(y.shape).toEqual([1, 1]);
    // h1 = tanh(0.5*1 + 0.25*0 + 0.125) = tanh(0.625) = 0.5545997223493823
    // h2 = tanh(0.5*2 + 0.25*h1 + 0.125) = tanh(1.2636499305873456) = 0.8520672381006785
    // y = 2*h2 - 0.5 = 1.204134476201357
    expectClose(y, [1.204134476201357], FLOAT64_TIGHT);
  });

  test('units 1, T 2, returnSequences: the head maps every step', () => {
    const y = forwardHand(unitModel({ returnSequences: true }), x);
    expect(y.shape).toEqual([1, 2, 1]);
    // y1 = 2*h1 - 0.5 = 2*0.5545997223493823 - 0.5 = 0.6091994446987645
    // y2 = 2*h2 - 0.5 = 2*0.8520672381006785 - 0.5 = 1.204134476201357
    expectClose(y, [0.6091994446987645, 1.204134476201357], FLOAT64_TIGHT);
  });

  test('units 1, T 2, goBackwards + returnSequences: reads x2 first, outputs in processing order', () => {
    const y = forwardHand(unitModel({ returnSequences: true, goBackwards: true }), x);
    // h1' = tanh(0.5*2 + 0.125) = tanh(1.125) = 0.809301070201781
    // h2' = tanh(0.5*1 + 0.25*h1' + 0.125) = tanh(0.8273252675504452) = 0.679037186739499
    // y = [2*h1' - 0.5, 2*h2' - 0.5] (not re-reversed) = [1.118602140403562, 0.858074373478998]
    expectClose(y, [1.118602140403562, 0.858074373478998], FLOAT64_TIGHT);
  });

  test('units 1, T 1: one step is tanh(x·W + b)', () => {
    const y = forwardHand(unitModel(), sequences([[[1]]]));
    // h1 = tanh(0.625) = 0.5545997223493823; y = 2*h1 - 0.5 = 0.6091994446987645
    expectClose(y, [0.6091994446987645], FLOAT64_TIGHT);
  });

  test('relu, T 3: exact dyadic arithmetic', () => {
    const weights = model(
      [
        recurrentLayer({
          cell: 'simple',
          units: 1,
          inputDim: 1,
          activation: 'relu',
          returnSequences: true,
          kernel: [0.5],
          recurrentKernel: [-0.5],
          bias: [0.125],
        }),
      ],
      denseHead(1, 1, [2], [-0.5]),
    );
    const y = forwardHand(weights, sequences([[[1], [2], [-3]]]));
    // h1 = relu(0.5*1 + 0.125) = 0.625
    // h2 = relu(0.5*2 + 0.125 - 0.5*0.625) = relu(0.8125) = 0.8125
    // h3 = relu(0.5*(-3) + 0.125 - 0.5*0.8125) = relu(-1.78125) = 0
    // y = 2h - 0.5 = [0.75, 1.125, -0.5], every step exact in binary
    expect(Array.from(y.data)).toEqual([0.75, 1.125, -0.5]);
  });

  test('units 2, inputDim 2: kernel rows are input features, columns are units', () => {
    // W = [[1, 0.5], [0.25, -1]], U = [[0.5, -0.25], [0.125, 0.75]], b = [0, 0.5]; identity head.
    const weights = model(
      [
        recurrentLayer({
          cell: 'simple',
          units: 2,
          inputDim: 2,
          returnSequences: true,
          kernel: [1, 0.5, 0.25, -1],
          recurrentKernel: [0.5, -0.25, 0.125, 0.75],
          bias: [0, 0.5],
        }),
      ],
      identityHead(2),
    );
    const y = forwardHand(
      weights,
      sequences([
        [
          [1, 2],
          [-1, 0.5],
        ],
      ]),
    );
    expect(y.shape).toEqual([1, 2, 2]);
    // t1: x·W + b = [1*1 + 2*0.25 + 0, 1*0.5 + 2*(-1) + 0.5] = [1.5, -1]
    //     h1 = [tanh(1.5), tanh(-1)] = [0.9051482536448664, -0.7615941559557649]
    // t2: x·W + b = [-1*1 + 0.5*0.25 + 0, -1*0.5 + 0.5*(-1) + 0.5] = [-0.875, -0.5]
    //     h1·U = [h1[0]*0.5 + h1[1]*0.125, h1[0]*(-0.25) + h1[1]*0.75]
    //     pre = [-0.5176251426720374, -1.2974826803780402]
    //     h2 = tanh(pre) = [-0.4758650125734456, -0.8610737102416223]
    expectClose(y, [0.9051482536448664, -0.7615941559557649, -0.4758650125734456, -0.8610737102416223], FLOAT64_TIGHT);
  });
});
