/**
 * Keras 3's hard_sigmoid as a registered tfjs activation: relu6(x + 3) / 6, two float32 roundings
 * (x + 3, then / 6). tfjs's own hardSigmoid is clip(0.2x + 0.5, 0, 1), a different function.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { hardSigmoidKeras } from '../../src/hand/activations';
import { HARD_SIGMOID_KERAS3, HardSigmoidKeras3 } from '../../src/model/layers';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, float32Bits, LAYER_BACKENDS } from './helpers';

/** One float32 rounding: relative error at most 2^-24 = 5.96e-8. */
const ONE_ROUNDING = { atol: 0, rtol: 6e-8 };
/** Two float32 roundings (x + 3, then / 6): (1 + 2^-24)^2 - 1 < 1.2e-7. */
const TWO_ROUNDINGS = { atol: 0, rtol: 1.2e-7 };

function applyTo(activation: { apply(x: tf.Tensor): tf.Tensor }, values: number[]): Float32Array {
  return tf.tidy(() => activation.apply(tf.tensor1d(values)).dataSync() as Float32Array);
}

describe.each(LAYER_BACKENDS)('hardSigmoidKeras3 on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test('worked points: saturates at |x| >= 3, slope 1/6 in between', async () => {
    // relu6(x + 3) / 6 for x = -4, -3, -1.5, 0, 1, 2.5, 3, 5:
    //   relu6(-1) = 0 -> 0;  relu6(0) = 0 -> 0;  1.5/6 = 0.25;  3/6 = 0.5;  4/6 = 2/3;  5.5/6 = 11/12;  6/6 = 1;  relu6(8) = 6 -> 1
    const y = await expectNoLeakedTensors(() => applyTo(new HardSigmoidKeras3(), [-4, -3, -1.5, 0, 1, 2.5, 3, 5]));
    expectClose(y, [0, 0, 0.25, 0.5, 2 / 3, 11 / 12, 1, 1], ONE_ROUNDING);
  });

  test('agrees with the hand path on a grid of float32 inputs in [-5, 5]', () => {
    const x = Array.from(Float32Array.from({ length: 401 }, (_, i) => -5 + i * 0.025));
    const y = applyTo(new HardSigmoidKeras3(), x);
    expectClose(y, x.map(hardSigmoidKeras), TWO_ROUNDINGS);
  });

  test("tfjs-layers' activation lookup finds it by name; tfjs's 'hardSigmoid' is a different function", async () => {
    const x = [-2.5, -1, 0.5, 2.5];
    const direct = applyTo(new HardSigmoidKeras3(), x);
    const byName = await expectNoLeakedTensors(() => {
      // tf.layers.activation resolves the name through getActivation, as LSTM/GRU resolve recurrentActivation.
      const layer = tf.layers.activation({ activation: HARD_SIGMOID_KERAS3 as never });
      return tf.tidy(() => (layer.apply(tf.tensor1d(x)) as tf.Tensor).dataSync() as Float32Array);
    });
    expect(float32Bits(byName)).toEqual(float32Bits(direct));
    const tfjs = tf.tidy(() => (tf.layers.activation({ activation: 'hardSigmoid' }).apply(tf.tensor1d(x)) as tf.Tensor).dataSync());
    // at 2.5: Keras 3 gives 5.5/6 = 0.9167, tfjs 0.2*2.5 + 0.5 = 1
    expectClose([direct[3], tfjs[3]], [11 / 12, 1], ONE_ROUNDING);
  });
});
