/**
 * The seed notebooks' own formulas (/work/shared/seeds), written out in the test, against forwardHand.
 *
 * Seeds 000 and 001 unroll a tanh RNN over two steps by hand:
 *   Y0 = tanh(X0·Wx + b);  Y1 = tanh(Y0·Wy + X1·Wx + b)
 * Their weights were tf.random_normal draws that were never printed, so Wx and Wy here are
 * pseudo-random stand-ins and the printed Y values cannot be compared; the inputs are the seeds'.
 *
 * Seed 004 prints its SimpleRNN weights (Wx 3x5, Wh 5x5, bh zeros) but not X, Wo or bo; its NumPy loop
 *   h = tanh(x[t]·Wx + h_last·Wh + bh);  y = h·Wo + bo
 * is written out below over those weights with stand-in X, Wo and bo.
 */
import { forwardHand } from '../../src/hand/forward';
import type { RnnWeights } from '../../src/weights';
import { expectClose } from '../helpers/expect-close';
import { denseHead, FLOAT64_TIGHT, identityHead, model, pseudoRandom, randomInput, recurrentLayer } from './build';

type Rows = number[][];

/** x·W + b for one row: x [inputs], W [inputs][units] -> [units], as an explicit loop. */
function affine(x: number[], w: Rows, b: number[]): number[] {
  const out = b.slice();
  for (let j = 0; j < out.length; j++) for (let i = 0; i < x.length; i++) out[j] += x[i] * w[i][j];
  return out;
}

/** Splits a flat row-major list into rows of `cols`. */
function rows(values: number[], cols: number): Rows {
  const out: Rows = [];
  for (let r = 0; r < values.length; r += cols) out.push(values.slice(r, r + cols));
  return out;
}

/** The seed 000/001 unrolled two-step RNN for every instance, and forwardHand's returnSequences run. */
function checkUnrolled(x0Batch: Rows, x1Batch: Rows, units: number, seed: number): void {
  const inputs = x0Batch[0].length;
  const wxFlat = pseudoRandom(seed, inputs * units, 0.5);
  const wyFlat = pseudoRandom(seed + 1, units * units, 0.5);
  const Wx = rows(wxFlat, units);
  const Wy = rows(wyFlat, units);
  const b = new Array<number>(units).fill(0);

  // Y0 = tanh(X0·Wx + b); Y1 = tanh(Y0·Wy + X1·Wx + b), row by row
  const Y0 = x0Batch.map((x0) => affine(x0, Wx, b).map(Math.tanh));
  const Y1 = x1Batch.map((x1, n) => {
    const xw = affine(x1, Wx, b);
    const yw = affine(Y0[n], Wy, new Array<number>(units).fill(0));
    return xw.map((v, j) => Math.tanh(yw[j] + v));
  });

  const weights: RnnWeights = model(
    [recurrentLayer({ cell: 'simple', units, inputDim: inputs, returnSequences: true, kernel: wxFlat, recurrentKernel: wyFlat, bias: b })],
    identityHead(units),
  );
  // input [instances, 2, inputs]: instance n's steps are X0[n], X1[n]
  const input = { shape: [x0Batch.length, 2, inputs], data: Float64Array.from(x0Batch.flatMap((x0, n) => [...x0, ...x1Batch[n]])) };
  const y = forwardHand(weights, input);
  expect(y.shape).toEqual([x0Batch.length, 2, units]);
  // output [instances, 2, units]: Y0[n] then Y1[n]
  expectClose(
    y,
    Y0.flatMap((y0, n) => [...y0, ...Y1[n]]),
    FLOAT64_TIGHT,
  );
}

describe('seed 000: 3 neurons, 2 inputs, t = 0 and t = 1', () => {
  test('unrolled formula = forwardHand (returnSequences)', () => {
    const x0Batch = [
      [0, 1],
      [2, 3],
      [4, 5],
    ];
    const x1Batch = [
      [100, 101],
      [102, 103],
      [104, 105],
    ];
    checkUnrolled(x0Batch, x1Batch, 3, 1000);
  });
});

describe('seed 001: 5 neurons, 3 inputs, 4 instances', () => {
  const x0Batch = [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [9, 0, 1],
  ]; // t = 0
  const x1Batch = [
    [9, 8, 7],
    [0, 0, 0],
    [6, 5, 4],
    [3, 2, 1],
  ]; // t = 1

  test('unrolled formula = forwardHand (returnSequences)', () => {
    checkUnrolled(x0Batch, x1Batch, 5, 2000);
  });

  test('small weights (less tanh saturation) too', () => {
    const scaled = (b: Rows) => b.map((r) => r.map((v) => v / 8));
    checkUnrolled(scaled(x0Batch), scaled(x1Batch), 5, 2100);
  });
});

describe("seed 004: the notebook's printed SimpleRNN weights", () => {
  // model.layers[1].get_weights() as printed in seed 004 (float32)
  const wx = [
    [0.06160122, 0.16070706, 0.83621055, 0.04993761, -0.36932853],
    [0.4978891, -0.474034, 0.55890614, 0.06967717, 0.21268493],
    [-0.44685632, -0.28297323, -0.17539108, 0.42829865, 0.22275227],
  ];
  const wh = [
    [0.00272548, 0.04928541, 0.32022277, 0.3270029, 0.88774437],
    [0.6996881, 0.64928424, -0.08133215, -0.27187836, 0.09128988],
    [-0.22173485, 0.50949985, 0.6649476, 0.31805265, -0.38461757],
    [0.5346833, -0.24025255, -0.13355102, 0.7674074, -0.22280595],
    [0.41877976, -0.50861543, 0.65639263, -0.35927662, -0.07747886],
  ];
  const bh = [0, 0, 0, 0, 0];
  // Wo, bo: not printed in the seed; stand-ins [5, 2] and [2]
  const wo = [0.5, -0.25, -0.75, 0.125, 1, 0.375, 0.25, -1, -0.5, 0.625];
  const bo = [0.0625, -0.125];
  const [T, D, M, K] = [10, 3, 5, 2];

  function seed004Model(returnSequences: boolean): RnnWeights {
    return model(
      [recurrentLayer({ cell: 'simple', units: M, inputDim: D, returnSequences, kernel: wx.flat(), recurrentKernel: wh.flat(), bias: bh })],
      denseHead(M, K, wo, bo),
    );
  }

  /** The notebook's loop for one sample x [T][D], over the float32 weights as stored. */
  function notebookLoop(weights: RnnWeights, x: Rows): number[][] {
    const layer = weights.recurrent[0];
    const Wx = rows(Array.from(layer.kernel.data), M);
    const Wh = rows(Array.from(layer.recurrentKernel.data), M);
    const Wo = rows(Array.from(weights.dense.kernel.data), K);
    const Bo = Array.from(weights.dense.bias);
    let hLast = new Array<number>(M).fill(0); // h_last = np.zeros(M)
    const yhats: number[][] = [];
    for (let t = 0; t < T; t++) {
      const xw = affine(x[t], Wx, Array.from(layer.bias));
      const hw = affine(hLast, Wh, new Array<number>(M).fill(0));
      const h = xw.map((v, j) => Math.tanh(v + hw[j])); // h = np.tanh(x[t].dot(Wx) + h_last.dot(Wh) + bh)
      yhats.push(affine(h, Wo, Bo)); // y = h.dot(Wo) + bo
      hLast = h;
    }
    return yhats;
  }

  const input = randomInput(4, 3, T, D); // N = 3 (the notebook's "bonus exercise"), stand-in X

  test('Yhats[-1] per sample = forwardHand (last step)', () => {
    const y = forwardHand(seed004Model(false), input);
    expect(y.shape).toEqual([3, K]);
    const expected = [0, 1, 2].flatMap((n) => {
      const x = rows(Array.from(input.data.subarray(n * T * D, (n + 1) * T * D)), D);
      return notebookLoop(seed004Model(false), x)[T - 1];
    });
    expectClose(y, expected, FLOAT64_TIGHT);
  });

  test('every Yhat = forwardHand (returnSequences)', () => {
    const y = forwardHand(seed004Model(true), input);
    expect(y.shape).toEqual([3, T, K]);
    const expected = [0, 1, 2].flatMap((n) => {
      const x = rows(Array.from(input.data.subarray(n * T * D, (n + 1) * T * D)), D);
      return notebookLoop(seed004Model(true), x).flat();
    });
    expectClose(y, expected, FLOAT64_TIGHT);
  });
});
