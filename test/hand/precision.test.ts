/**
 * precision 'float32': every operation's result rounded to float32 (Math.fround), the input too.
 * It must stay close to float64 (the float32 error floor, ~1e-7 relative per operation) yet differ from it,
 * and every value it returns must be a float32 value.
 */
import { ConfigError } from '../../src/errors';
import { forwardHand, Precision } from '../../src/hand/forward';
import type { CellKind } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';
import { denseHead, model, randomInput, randomLayer, recurrentLayer, sampleOf, sequences } from './build';

const f = Math.fround;

const CASES: [string, CellKind, boolean][] = [
  ['simple', 'simple', false],
  ['lstm', 'lstm', false],
  ['gru (resetAfter false)', 'gru', false],
  ['gru (resetAfter true)', 'gru', true],
];

describe.each(CASES)('float32 vs float64: %s', (_name, cell, resetAfter) => {
  // [batch 3, T 12, inputDim 5], units 8, two stacked layers, head 8 -> 3, every step out
  const weights = model(
    [randomLayer(100, cell, 5, 8, { resetAfter, returnSequences: true }), randomLayer(200, cell, 8, 8, { resetAfter, returnSequences: true })],
    denseHead(
      8,
      3,
      Array.from({ length: 24 }, (_, k) => ((k % 7) - 3) / 4),
      [0.125, -0.25, 0.5],
    ),
  );
  const input = randomInput(9, 3, 12, 5);
  const y64 = forwardHand(weights, input, 'float64');
  const y32 = forwardHand(weights, input, 'float32');

  test('within 1e-6 relative (plus 1e-7 absolute near zero) of float64', () => {
    expectClose(y32, y64, { atol: 1e-7, rtol: 1e-6 });
  });

  test('but not identical to float64', () => {
    const maxDiff = Math.max(...Array.from(y32.data, (v, k) => Math.abs(v - y64.data[k])));
    expect(maxDiff).toBeGreaterThan(0);
  });

  test('every value is a float32 value', () => {
    for (const v of y32.data) expect(f(v)).toBe(v);
  });

  test('batch rows equal batch-1 runs exactly', () => {
    const rowSize = y32.data.length / 3;
    for (let b = 0; b < 3; b++) {
      const single = forwardHand(weights, sampleOf(input, b), 'float32');
      expect(Array.from(y32.data.subarray(b * rowSize, (b + 1) * rowSize))).toEqual(Array.from(single.data));
    }
  });
});

describe('float32 by hand', () => {
  test('SimpleRNN units 2: an independent loop rounding every operation matches bit for bit', () => {
    // W [2, 2], U [2, 2], b [2]; head Wo [2, 1], bo [1]. Inputs like 0.1 are not float32 values.
    const W = [0.3, -0.7, 0.45, 0.2];
    const U = [0.6, 0.15, -0.35, 0.8];
    const b = [0.05, -0.1];
    const Wo = [1.3, -0.6];
    const bo = [0.01];
    const xs = [
      [0.1, -0.2],
      [0.7, 0.3],
      [-0.9, 0.55],
    ];
    const weights = model([recurrentLayer({ cell: 'simple', units: 2, inputDim: 2, kernel: W, recurrentKernel: U, bias: b })], denseHead(2, 1, Wo, bo));
    // The float32 weights as stored, read back as numbers.
    const [w, u, bb, wo, bOut] = [W, U, b, Wo, bo].map((v) => v.map(f));
    // Order: x·W summed over inputs in order, + b; h·U summed over units in order; then the sum; tanh;
    // head: h·Wo summed in order, + bo. Every product, sum and activation rounded.
    let h = [0, 0];
    for (const x of xs) {
      const x32 = x.map(f);
      const next = [0, 1].map((j) => {
        let xw = 0;
        for (let i = 0; i < 2; i++) xw = f(xw + f(x32[i] * w[i * 2 + j]));
        xw = f(xw + bb[j]);
        let hu = 0;
        for (let k = 0; k < 2; k++) hu = f(hu + f(h[k] * u[k * 2 + j]));
        return f(Math.tanh(f(xw + hu)));
      });
      h = next;
    }
    let y = 0;
    for (let k = 0; k < 2; k++) y = f(y + f(h[k] * wo[k]));
    y = f(y + bOut[0]);

    const out = forwardHand(weights, sequences([xs]), 'float32');
    expect(out.data[0]).toBe(y);
    // and the float64 run is a different number, within float32's error floor
    const out64 = forwardHand(weights, sequences([xs]), 'float64');
    expect(out64.data[0]).not.toBe(y);
    expectClose(out, out64, { atol: 1e-7, rtol: 1e-6 });
  });

  test('exact dyadic arithmetic is the same in both precisions', () => {
    // relu SimpleRNN from simple-rnn.test.ts: h = [0.625, 0.8125, 0], y = 2h - 0.5 = [0.75, 1.125, -0.5]
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
    const x = sequences([[[1], [2], [-3]]]);
    expect(Array.from(forwardHand(weights, x, 'float32').data)).toEqual([0.75, 1.125, -0.5]);
  });

  test('an unknown precision throws ConfigError naming it', () => {
    const weights = model([randomLayer(1, 'simple', 1, 1)], denseHead(1, 1, [1], [0]));
    const call = () => forwardHand(weights, sequences([[[1]]]), 'float16' as Precision);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow('precision: expected one of float64, float32, got "float16"');
  });
});
