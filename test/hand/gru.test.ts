/**
 * GRU hand cases, kernel columns [z|r|h], in both variants:
 *   resetAfter = false (tfjs): hh = act(x·Wh + bh + (r*h)·Uh)
 *   resetAfter = true (Keras): hh = act(x·Wh + bh + r*(h·Uh + rbh)), z and r also see the recurrent bias
 *   both: h = z*h_prev + (1 - z)*hh
 * units 1, inputDim 1, W = [0.5, -0.25, 1], U = [0.25, 0.5, -0.5], b = [0.125, 0, -0.125]; x = [1, 2].
 * sigma(x) = 1 / (1 + exp(-x)); float64.
 */
import { forwardHand } from '../../src/hand/forward';
import { expectClose } from '../helpers/expect-close';
import { FLOAT64_TIGHT, identityHead, model, recurrentLayer, sequences } from './build';

const x = sequences([[[1], [2]]]);

function gruModel(resetAfter: boolean, returnSequences: boolean) {
  return model(
    [
      recurrentLayer({
        cell: 'gru',
        units: 1,
        inputDim: 1,
        resetAfter,
        returnSequences,
        kernel: [0.5, -0.25, 1],
        recurrentKernel: [0.25, 0.5, -0.5],
        bias: [0.125, 0, -0.125],
        ...(resetAfter ? { recurrentBias: [0, 0.25, 0.5] } : {}),
      }),
    ],
    identityHead(1),
  );
}

describe('GRU by hand (float64)', () => {
  test('resetAfter = false (tfjs), T 2, returnSequences', () => {
    const y = forwardHand(gruModel(false, true), x);
    expect(y.shape).toEqual([1, 2, 1]);
    // t1 (h0 = 0), x = 1: z1 = sigma(0.5 + 0.125) = sigma(0.625) = 0.6513548646660542
    //   r1 = sigma(-0.25) = 0.43782349911420193 (unused: r1*h0 = 0)
    //   hh1 = tanh(1 - 0.125 + (r1*0)*(-0.5)) = tanh(0.875) = 0.7039056039366212
    //   h1 = z1*0 + (1 - z1)*hh1 = 0.24541326454680615
    // t2, x = 2: z2 = sigma(1 + 0.125 + 0.25*h1) = 0.7660882234119016
    //   r2 = sigma(-0.5 + 0.5*h1) = 0.40677986936758115
    //   hh2 = tanh(2 - 0.125 + (r2*h1)*(-0.5)) = 0.9493430284936352
    //   h2 = z2*h1 + (1 - z2)*hh2 = 0.41007072622484964
    expectClose(y, [0.24541326454680615, 0.41007072622484964], FLOAT64_TIGHT);
  });

  test('resetAfter = true (Keras), T 2, returnSequences', () => {
    // recurrentBias rb = [0, 0.25, 0.5]
    const y = forwardHand(gruModel(true, true), x);
    // t1, x = 1: mx = x·W + b = [0.625, -0.25, 0.875]; mi = h0·U + rb = [0, 0.25, 0.5]
    //   z1 = sigma(0.625); r1 = sigma(-0.25 + 0.25) = 0.5
    //   hh1 = tanh(0.875 + r1*0.5) = tanh(1.125) = 0.809301070201781
    //   h1 = (1 - z1)*hh1 = 0.28215888114640714
    // t2, x = 2: mx = [1.125, -0.5, 1.875]; mi = [0.25*h1, 0.5*h1 + 0.25, -0.5*h1 + 0.5]
    //   z2 = sigma(1.125 + 0.25*h1) = 0.7677303743909496
    //   r2 = sigma(-0.25 + 0.5*h1) = 0.4727967490677942
    //   hh2 = tanh(1.875 + r2*(0.5 - 0.5*h1)) = 0.9670530451874321
    //   h2 = z2*h1 + (1 - z2)*hh2 = 0.44123899221003954
    expectClose(y, [0.28215888114640714, 0.44123899221003954], FLOAT64_TIGHT);
  });

  test("activation 'relu' applies to the candidate hh (one step)", () => {
    const reluModel = model(
      [
        recurrentLayer({
          cell: 'gru',
          units: 1,
          inputDim: 1,
          activation: 'relu',
          kernel: [0.5, -0.25, 1],
          recurrentKernel: [0.25, 0.5, -0.5],
          bias: [0.125, 0, -0.125],
        }),
      ],
      identityHead(1),
    );
    // x = 1: z1 = sigma(0.625) = 0.6513548646660542; hh1 = relu(1 - 0.125) = 0.875
    // h1 = (1 - z1)*hh1 = 0.3050644934172026
    expectClose(forwardHand(reluModel, sequences([[[1]]])), [0.3050644934172026], FLOAT64_TIGHT);
  });

  test('units 1, zero recurrent bias: both variants agree (r*(h*Uh) = (r*h)*Uh for scalars)', () => {
    const before = forwardHand(gruModel(false, false), x);
    const after = forwardHand(
      model(
        [
          recurrentLayer({
            cell: 'gru',
            units: 1,
            inputDim: 1,
            resetAfter: true,
            kernel: [0.5, -0.25, 1],
            recurrentKernel: [0.25, 0.5, -0.5],
            bias: [0.125, 0, -0.125],
            recurrentBias: [0, 0, 0],
          }),
        ],
        identityHead(1),
      ),
      x,
    );
    // h2 of the resetAfter = false case above = 0.41007072622484964
    expectClose(after, [0.41007072622484964], FLOAT64_TIGHT);
    expectClose(after, before, FLOAT64_TIGHT);
  });

  test('the formula written out with Math calls agrees (resetAfter = false, units 2, T 3)', () => {
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    // inputDim 1, units 2: W [1, 6] = [z0 z1 | r0 r1 | h0 h1]; U [2, 6]; b [6]
    const W = [0.5, -0.25, 0.75, 0.125, 1, -1];
    const U = [0.25, 0.5, -0.5, 0.25, 0.375, -0.125, -0.75, 0.125, 0.5, 0.625, -0.25, 0.5];
    const b = [0.125, 0, -0.125, 0.25, 0, 0.0625];
    const xs = [1, -2, 0.5];
    const weights = model(
      [
        recurrentLayer({
          cell: 'gru',
          units: 2,
          inputDim: 1,
          returnSequences: true,
          kernel: W,
          recurrentKernel: U,
          bias: b,
        }),
      ],
      identityHead(2),
    );
    // column c of gate g is index g*2 + c; U row k is U[k*6 + col]
    let h = [0, 0];
    const expected: number[] = [];
    for (const xt of xs) {
      const gate = (g: number, c: number, hv: number[]) => xt * W[g * 2 + c] + b[g * 2 + c] + hv[0] * U[0 * 6 + g * 2 + c] + hv[1] * U[1 * 6 + g * 2 + c];
      const z = [0, 1].map((c) => sigma(gate(0, c, h)));
      const r = [0, 1].map((c) => sigma(gate(1, c, h)));
      const rh = [r[0] * h[0], r[1] * h[1]];
      const hh = [0, 1].map((c) => Math.tanh(gate(2, c, rh)));
      h = [0, 1].map((c) => z[c] * h[c] + (1 - z[c]) * hh[c]);
      expected.push(...h);
    }
    expectClose(forwardHand(weights, sequences([xs.map((v) => [v])])), expected, FLOAT64_TIGHT);
  });

  test('the formula written out with Math calls agrees (resetAfter = true, units 2, T 3)', () => {
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const W = [0.5, -0.25, 0.75, 0.125, 1, -1];
    const U = [0.25, 0.5, -0.5, 0.25, 0.375, -0.125, -0.75, 0.125, 0.5, 0.625, -0.25, 0.5];
    const b = [0.125, 0, -0.125, 0.25, 0, 0.0625];
    const rb = [0.0625, -0.125, 0.25, 0, -0.5, 0.375];
    const xs = [1, -2, 0.5];
    const weights = model(
      [
        recurrentLayer({
          cell: 'gru',
          units: 2,
          inputDim: 1,
          returnSequences: true,
          resetAfter: true,
          kernel: W,
          recurrentKernel: U,
          bias: b,
          recurrentBias: rb,
        }),
      ],
      identityHead(2),
    );
    let h = [0, 0];
    const expected: number[] = [];
    for (const xt of xs) {
      const mx = (g: number, c: number) => xt * W[g * 2 + c] + b[g * 2 + c];
      const mi = (g: number, c: number) => h[0] * U[0 * 6 + g * 2 + c] + h[1] * U[1 * 6 + g * 2 + c] + rb[g * 2 + c];
      const z = [0, 1].map((c) => sigma(mx(0, c) + mi(0, c)));
      const r = [0, 1].map((c) => sigma(mx(1, c) + mi(1, c)));
      const hh = [0, 1].map((c) => Math.tanh(mx(2, c) + r[c] * mi(2, c)));
      h = [0, 1].map((c) => z[c] * h[c] + (1 - z[c]) * hh[c]);
      expected.push(...h);
    }
    expectClose(forwardHand(weights, sequences([xs.map((v) => [v])])), expected, FLOAT64_TIGHT);
  });

  test('units 2, zero recurrent bias: the variants differ ((r*h)·Uh != r*(h·Uh) for matrices)', () => {
    const layer = (resetAfter: boolean) =>
      recurrentLayer({
        cell: 'gru',
        units: 2,
        inputDim: 1,
        resetAfter,
        kernel: [0.5, -0.25, 0.75, 0.125, 1, -1],
        recurrentKernel: [0.25, 0.5, -0.5, 0.25, 0.375, -0.125, -0.75, 0.125, 0.5, 0.625, -0.25, 0.5],
        bias: [0.125, 0, -0.125, 0.25, 0, 0.0625],
        ...(resetAfter ? { recurrentBias: [0, 0, 0, 0, 0, 0] } : {}),
      });
    const input = sequences([[[1], [-2], [0.5]]]);
    const before = forwardHand(model([layer(false)], identityHead(2)), input).data;
    const after = forwardHand(model([layer(true)], identityHead(2)), input).data;
    const gap = Math.max(...Array.from(before, (v, k) => Math.abs(v - after[k])));
    expect(gap).toBeGreaterThan(1e-3);
  });
});
