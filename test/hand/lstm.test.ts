/**
 * LSTM hand cases, kernel columns [i|f|c|o]:
 *   z = x·W + h·U + b; i = ra(z_i); f = ra(z_f); c = f*c_prev + i*act(z_c); o = ra(z_o); h = o*act(c).
 * Each gate gets a different weight, so a swapped gate order changes the answer.
 * sigma(x) = 1 / (1 + exp(-x)); float64.
 */
import { forwardHand } from '../../src/hand/forward';
import type { RecurrentActivation } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';
import { FLOAT64_TIGHT, identityHead, model, recurrentLayer, sequences } from './build';

describe('LSTM by hand (float64)', () => {
  // units 1, inputDim 1. Columns [i f c o]: W = [0.5, 0.25, 1, -0.5], U = [0.125, -0.25, 0.5, 0.25],
  // b = [0, 1, 0, 0] (Keras's unit_forget_bias). Identity head: the output is h.
  const weights = (returnSequences: boolean) =>
    model(
      [
        recurrentLayer({
          cell: 'lstm',
          units: 1,
          inputDim: 1,
          returnSequences,
          kernel: [0.5, 0.25, 1, -0.5],
          recurrentKernel: [0.125, -0.25, 0.5, 0.25],
          bias: [0, 1, 0, 0],
        }),
      ],
      identityHead(1),
    );
  const x = sequences([[[1], [-0.5]]]);

  test('units 1, T 2, returnSequences', () => {
    const y = forwardHand(weights(true), x);
    expect(y.shape).toEqual([1, 2, 1]);
    // t1 (h0 = c0 = 0), x = 1: z = [0.5, 0.25 + 1, 1, -0.5]
    //   i = sigma(0.5) = 0.6224593312018546, f = sigma(1.25), g = tanh(1) = 0.7615941559557649,
    //   o = sigma(-0.5) = 0.3775406687981454
    //   c1 = f*0 + i*g = 0.47406138896346633
    //   h1 = o*tanh(c1) = 0.16667476437297848
    // t2, x = -0.5: z = [-0.25 + 0.125*h1, -0.125 + 1 - 0.25*h1, -0.5 + 0.5*h1, 0.25 + 0.25*h1]
    //   = [-0.2291656544533777, 0.8333313089067553, -0.41666261781351077, 0.2916686910932446]
    //   c2 = sigma(z_f)*c1 + sigma(z_i)*tanh(z_c) = 0.15587222913476467
    //   h2 = sigma(z_o)*tanh(c2) = 0.0885063524627688
    expectClose(y, [0.16667476437297848, 0.0885063524627688], FLOAT64_TIGHT);
  });

  test('units 1, T 2, last step only', () => {
    const y = forwardHand(weights(false), x);
    expect(y.shape).toEqual([1, 1]);
    // h2 from the case above = 0.0885063524627688
    expectClose(y, [0.0885063524627688], FLOAT64_TIGHT);
  });

  test('the formula written out with Math calls agrees', () => {
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const [wi, wf, wc, wo] = [0.5, 0.25, 1, -0.5];
    const [ui, uf, uc, uo] = [0.125, -0.25, 0.5, 0.25];
    const [bi, bf, bc, bo] = [0, 1, 0, 0];
    let h = 0;
    let c = 0;
    const expected: number[] = [];
    for (const xt of [1, -0.5]) {
      const i = sigma(xt * wi + h * ui + bi);
      const f = sigma(xt * wf + h * uf + bf);
      const g = Math.tanh(xt * wc + h * uc + bc);
      const o = sigma(xt * wo + h * uo + bo);
      c = f * c + i * g;
      h = o * Math.tanh(c);
      expected.push(h);
    }
    expectClose(forwardHand(weights(true), x), expected, FLOAT64_TIGHT);
  });

  test("activation 'linear' applies to the candidate and to c (one step)", () => {
    const linearModel = model(
      [
        recurrentLayer({
          cell: 'lstm',
          units: 1,
          inputDim: 1,
          activation: 'linear',
          kernel: [0.5, 0.25, 1, -0.5],
          recurrentKernel: [0.125, -0.25, 0.5, 0.25],
          bias: [0, 1, 0, 0],
        }),
      ],
      identityHead(1),
    );
    // x = 1: z = [0.5, 1.25, 1, -0.5]; i = sigma(0.5) = 0.6224593312018546, g = linear(1) = 1
    // c1 = i*g = 0.6224593312018546; o = sigma(-0.5) = 0.3775406687981454
    // h1 = o*linear(c1) = 0.2350037122015945
    expectClose(forwardHand(linearModel, sequences([[[1]]])), [0.2350037122015945], FLOAT64_TIGHT);
  });

  // One step, x = 1, h0 = c0 = 0, columns [i f c o]: W = [2.5, 0, 1, -1], U = 0, b = 0.
  // So z = [2.5, 0, 1, -1]; c1 = i*tanh(1); h1 = o*tanh(c1).
  test.each<[RecurrentActivation, number]>([
    // Keras 3 hard_sigmoid = relu6(x + 3)/6: i = 5.5/6, o = relu6(2)/6 = 2/6
    // c1 = (5.5/6)*tanh(1) = 0.6981279762927844; h1 = (2/6)*tanh(c1) = 0.20105939501763784
    ['hard_sigmoid', 0.20105939501763784],
    // tfjs hardSigmoid = clip(0.2x + 0.5, 0, 1): i = clip(1.0) = 1, o = 0.2*(-1) + 0.5 = 0.3
    // c1 = 1*tanh(1) = 0.7615941559557649; h1 = 0.3*tanh(c1) = 0.1926044976035999
    ['hard_sigmoid_tfjs', 0.1926044976035999],
  ])('recurrentActivation %s', (recurrentActivation, h1) => {
    const weights1 = model(
      [
        recurrentLayer({
          cell: 'lstm',
          units: 1,
          inputDim: 1,
          recurrentActivation,
          kernel: [2.5, 0, 1, -1],
          recurrentKernel: [0, 0, 0, 0],
          bias: [0, 0, 0, 0],
        }),
      ],
      identityHead(1),
    );
    expectClose(forwardHand(weights1, sequences([[[1]]])), [h1], FLOAT64_TIGHT);
  });

  test('units 2: gate blocks are [i|f|c|o], each units wide', () => {
    // inputDim 1, units 2, U = 0, b = 0, one step x = 1, so z = W's single row:
    //   i = [20, -20] -> sigma ~ [1, 0];  f = [3, 3] (no effect: c0 = 0);  c = [1, 0.5];  o = [0, 0] -> sigma = 0.5
    // c1 = sigma(i) * tanh(c); h1 = 0.5 * tanh(c1)
    //   unit 0: c1 = sigma(20)*tanh(1) = 0.7615941543…; unit 1: c1 = sigma(-20)*tanh(0.5) = 9.5e-10
    const weights2 = model(
      [
        recurrentLayer({
          cell: 'lstm',
          units: 2,
          inputDim: 1,
          kernel: [20, -20, 3, 3, 1, 0.5, 0, 0],
          recurrentKernel: new Array<number>(16).fill(0),
          bias: new Array<number>(8).fill(0),
        }),
      ],
      identityHead(2),
    );
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = [0.5 * Math.tanh(sigma(20) * Math.tanh(1)), 0.5 * Math.tanh(sigma(-20) * Math.tanh(0.5))];
    expectClose(forwardHand(weights2, sequences([[[1]]])), expected, FLOAT64_TIGHT);
  });
});
