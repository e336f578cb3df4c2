/**
 * The custom GRU(reset_after=True) layer by itself: hand-worked steps, goBackwards/returnSequences
 * plumbing, its config, and its argument checks. Layer output is float32; the expected values are
 * float64 arithmetic, so they agree to a few float32 roundings (FLOAT32_FEW_ROUNDINGS).
 * sigma(x) = 1 / (1 + exp(-x)).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { ConfigError } from '../../src/errors';
import { GRUResetAfter, GRUResetAfterCell, type GRUResetAfterArgs } from '../../src/model/layers';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, float32Bits, LAYER_BACKENDS } from './helpers';

/**
 * Values below 1 and about ten float32 operations per step, each rounding by at most 6e-8 (half an ulp
 * at 1). Measured max |layer - hand| over both hand cases: 3.9e-8 (tensorflow), 3.7e-8 (cpu), 3.0e-8 (wasm).
 */
const FLOAT32_FEW_ROUNDINGS = { atol: 2e-7, rtol: 0 };

function layerArgs(overrides: Partial<GRUResetAfterArgs> = {}): GRUResetAfterArgs {
  return {
    units: 1,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    returnSequences: true,
    goBackwards: false,
    kernelInitializer: tf.initializers.constant({ value: 0.5 }),
    recurrentInitializer: tf.initializers.constant({ value: 0.5 }),
    biasInitializer: tf.initializers.constant({ value: 0.25 }),
    inputShape: [2, 1],
    ...overrides,
  };
}

/** Runs x [1, T, 1] through a one-layer model, returns its float32 output and disposes everything. */
function run(args: GRUResetAfterArgs, x: number[], weights?: { kernel: number[]; recurrentKernel: number[]; bias: number[][] }): Float32Array {
  const model = tf.sequential({ layers: [new GRUResetAfter(args)] });
  try {
    if (weights) {
      tf.tidy(() => model.setWeights([tf.tensor2d(weights.kernel, [1, 3]), tf.tensor2d(weights.recurrentKernel, [1, 3]), tf.tensor2d(weights.bias, [2, 3])]));
    }
    return tf.tidy(() => (model.predict(tf.tensor3d(x, [1, x.length, 1])) as tf.Tensor).dataSync() as Float32Array);
  } finally {
    model.dispose();
  }
}

describe.each(LAYER_BACKENDS)('GRUResetAfter on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test('constant weights, units 1, T 2: the formula by hand', async () => {
    // kernel W = 0.5, recurrentKernel U = 0.5, bias rows 0.25 (every gate), x = [1, -1]; z = r (equal weights).
    // t1, x = 1, h0 = 0: mx = 0.5*1 + 0.25 = 0.75; mi = 0.5*0 + 0.25 = 0.25
    //   z1 = r1 = sigma(0.75 + 0.25) = sigma(1) = 0.7310585786300049
    //   hh1 = tanh(0.75 + r1*0.25) = tanh(0.9327646446575012) = 0.7318802619284298
    //   h1 = z1*0 + (1 - z1)*hh1 = 0.19683291791567623
    // t2, x = -1: mx = -0.5 + 0.25 = -0.25; mi = 0.5*h1 + 0.25 = 0.3484164589578381
    //   z2 = r2 = sigma(-0.25 + 0.3484164589578381) = 0.5245842747458886
    //   hh2 = tanh(-0.25 + r2*0.3484164589578381) = tanh(-0.0672262045680718) = -0.06712511411212177
    //   h2 = z2*h1 + (1 - z2)*hh2 = 0.07134311868253268
    const y = await expectNoLeakedTensors(() => run(layerArgs(), [1, -1]));
    expectClose(y, [0.19683291791567623, 0.07134311868253268], FLOAT32_FEW_ROUNDINGS);
  });

  test('distinct gate weights, units 1, T 2: gate order [z|r|h] and the two bias rows', async () => {
    // W = [0.5, -0.25, 1], U = [0.25, 0.5, -0.5], input bias b = [0.125, 0, -0.125], recurrent bias rb = [0, 0.25, 0.5];
    // x = [1, 2]. The same case as test/hand/gru.test.ts ("resetAfter = true (Keras)").
    // t1, x = 1: mx = x*W + b = [0.625, -0.25, 0.875]; mi = h0*U + rb = [0, 0.25, 0.5]
    //   z1 = sigma(0.625) = 0.6513548646660542; r1 = sigma(-0.25 + 0.25) = 0.5
    //   hh1 = tanh(0.875 + 0.5*0.5) = tanh(1.125) = 0.809301070201781
    //   h1 = (1 - z1)*hh1 = 0.28215888114640714
    // t2, x = 2: mx = [1.125, -0.5, 1.875]; mi = h1*U + rb = [0.07053972028660178, 0.39107944057320354, 0.35892055942679646]
    //   z2 = sigma(1.1955397202866018) = 0.7677303743909496; r2 = sigma(-0.10892055942679646) = 0.4727967490677941
    //   hh2 = tanh(1.875 + r2*0.35892055942679646) = 0.9670530451874321
    //   h2 = z2*h1 + (1 - z2)*hh2 = 0.44123899221003954
    const weights = {
      kernel: [0.5, -0.25, 1],
      recurrentKernel: [0.25, 0.5, -0.5],
      bias: [
        [0.125, 0, -0.125],
        [0, 0.25, 0.5],
      ],
    };
    const y = await expectNoLeakedTensors(() => run(layerArgs(), [1, 2], weights));
    expectClose(y, [0.28215888114640714, 0.44123899221003954], FLOAT32_FEW_ROUNDINGS);
  });

  test('goBackwards reads the steps last to first and returns outputs in processing order', async () => {
    // Parity note: as tfjs's RNN and Keras: goBackwards on [a, b] equals the forward pass on [b, a], bit for bit.
    const backwards = await expectNoLeakedTensors(() => run(layerArgs({ goBackwards: true }), [1, -1]));
    const reversed = run(layerArgs(), [-1, 1]);
    expect(float32Bits(backwards)).toEqual(float32Bits(reversed));
  });

  test('returnSequences false returns the last step of the sequence', async () => {
    const last = await expectNoLeakedTensors(() => run(layerArgs({ returnSequences: false }), [1, -1]));
    const sequence = run(layerArgs(), [1, -1]);
    expect(last.length).toBe(1);
    expect(float32Bits(last)).toEqual(float32Bits([sequence[1]]));
  });
});

describe('GRUResetAfter config and checks', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test('weights: kernel [inputDim, 3u], recurrent_kernel [u, 3u], bias [2, 3u], in that order', () => {
    const model = tf.sequential({ layers: [new GRUResetAfter(layerArgs({ units: 4, inputShape: [5, 3] }))] });
    try {
      expect(model.layers[0].weights.map((w) => [w.originalName.split('/').pop(), w.shape])).toEqual([
        ['kernel', [3, 12]],
        ['recurrent_kernel', [4, 12]],
        ['bias', [2, 12]],
      ]);
    } finally {
      model.dispose();
    }
  });

  test('getConfig names the class, the activations and resetAfter, and fromConfig rebuilds it', () => {
    const layer = new GRUResetAfter(layerArgs({ recurrentActivation: 'hardSigmoidKeras3', goBackwards: true }));
    const config = layer.getConfig();
    expect(layer.getClassName()).toBe('GRUResetAfter');
    expect(config).toMatchObject({
      units: 1,
      activation: 'tanh',
      recurrentActivation: 'hardSigmoidKeras3',
      resetAfter: true,
      returnSequences: true,
      goBackwards: true,
      stateful: false,
      kernelInitializer: { className: 'Constant', config: { value: 0.5 } },
    });
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.GRUResetAfter;
    const rebuilt = fromConfig(cls, config) as GRUResetAfter;
    expect(rebuilt).toBeInstanceOf(GRUResetAfter);
    expect(rebuilt.getConfig()).toEqual(config);
  });

  test.each([
    ['units 0', { units: 0 }, /units: expected a positive integer, got 0/],
    ['an unregistered activation', { activation: 'swishy' }, /activation: expected a class registered with tf.serialization, got "swishy"/],
  ])('refuses %s with a ConfigError', (_what, overrides, message) => {
    const make = () => new GRUResetAfterCell({ ...layerArgs(), ...overrides });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });
});
