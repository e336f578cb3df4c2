/**
 * The layer path: a ModelSpec becomes a tf.Sequential of tfjs recurrent layers and a dense head,
 * with every Keras-relevant option set explicitly instead of left to tfjs's defaults.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, RecurrentActivation } from '../spec';
import { GRUResetAfter, HARD_SIGMOID_KERAS3 } from './layers';

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];

/**
 * Seed of one initializer: distinct for every (seed, layer, slot), so no two weights share a stream.
 * slot: 0 kernel, 1 recurrent kernel, 2 bias. The dense head is layer index `spec.layers`.
 */
function initializerSeed(seed: number, layer: number, slot: number): number {
  // Parity note: tfjs's initializers treat seed 0 as "no seed" and draw from Math.random
  // (rand_util: `seed ? seed : Math.random()`), so every seed passed is at least 1.
  return seed * 128 + layer * 4 + slot + 1;
}

type TfjsRecurrentActivation = 'sigmoid' | 'hardSigmoid' | typeof HARD_SIGMOID_KERAS3;

/**
 * The tfjs activation name for a spec's recurrentActivation.
 * Parity note: tfjs's LSTM and GRU default recurrentActivation is 'hardSigmoid' (Keras 2's clip(0.2x + 0.5));
 * Keras's is 'sigmoid'. Always pass it. Keras 3's hard_sigmoid (relu6(x + 3) / 6) is our registered
 * activation 'hardSigmoidKeras3' (./layers/hard-sigmoid-keras3.ts).
 */
function tfjsRecurrentActivation(name: RecurrentActivation): TfjsRecurrentActivation {
  switch (name) {
    case 'sigmoid':
      return 'sigmoid';
    case 'hard_sigmoid_tfjs':
      return 'hardSigmoid';
    case 'hard_sigmoid':
      return HARD_SIGMOID_KERAS3;
  }
}

/**
 * tf.layers.lstm/gru type recurrentActivation as tfjs's own names only, but look any name up in
 * tf.serialization's registry (tfjs-layers' getActivation), where 'hardSigmoidKeras3' is registered.
 */
function builtInRecurrentActivation(name: RecurrentActivation): LstmArgs['recurrentActivation'] {
  return tfjsRecurrentActivation(name) as LstmArgs['recurrentActivation'];
}

/**
 * Seeded initializers. Kernels: glorotUniform, Keras's default. Recurrent kernels: glorotUniform too,
 * not Keras's orthogonal: tfjs's orthogonal runs a QR that took 39 s for LSTM(128) on the cpu backend
 * (1-2 s elsewhere) and can round differently per backend, while glorotUniform draws from tfjs's JS
 * generator, so every backend gets the same bytes for the same seed. Biases: uniform in [-0.5, 0.5)
 * rather than Keras's zeros, so that a dropped bias shows.
 */
function initializers(seed: number, layer: number) {
  return {
    kernelInitializer: tf.initializers.glorotUniform({ seed: initializerSeed(seed, layer, 0) }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: initializerSeed(seed, layer, 1) }),
    biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: initializerSeed(seed, layer, 2) }),
  };
}

function recurrentLayer(spec: ModelSpec, layer: number, seed: number): tf.layers.Layer {
  const isLast = layer === spec.layers - 1;
  const common = {
    units: spec.units,
    activation: spec.activation,
    useBias: true,
    // Every layer but the last feeds the next one a whole sequence.
    returnSequences: isLast ? spec.returnSequences : true,
    goBackwards: spec.goBackwards,
    ...initializers(seed, layer),
    ...(layer === 0 ? { inputShape: [spec.timeSteps, spec.inputDim] } : {}),
  };
  switch (spec.cell) {
    case 'simple':
      return tf.layers.simpleRNN(common);
    case 'lstm':
      // Parity note: unitForgetBias as Keras (forget-gate bias starts at 1), set explicitly.
      return tf.layers.lstm({ ...common, recurrentActivation: builtInRecurrentActivation(spec.recurrentActivation), unitForgetBias: spec.unitForgetBias });
    case 'gru':
      if (spec.resetAfter) {
        // Parity note: Keras's default GRU (reset_after=True, bias [2, 3*units]); tfjs has no such layer,
        // so it is our custom RNN layer (./layers/gru-reset-after.ts), always with a bias.
        return new GRUResetAfter({
          units: common.units,
          activation: common.activation,
          recurrentActivation: tfjsRecurrentActivation(spec.recurrentActivation),
          returnSequences: common.returnSequences,
          goBackwards: common.goBackwards,
          ...initializers(seed, layer),
          ...(layer === 0 ? { inputShape: [spec.timeSteps, spec.inputDim] } : {}),
        });
      }
      // Parity note: tfjs's GRU applies the reset gate before the recurrent matmul (Keras's reset_after=False).
      return tf.layers.gru({ ...common, recurrentActivation: builtInRecurrentActivation(spec.recurrentActivation) });
  }
}

/**
 * Builds the model on the active backend: `spec.layers` recurrent layers, then Dense(denseUnits).
 * Input [batch, timeSteps, inputDim] -> output [batch, denseUnits] ([batch, timeSteps, denseUnits]
 * with returnSequences). Same spec and seed give the same weights on the same backend.
 * @throws ConfigError from the custom GRU layer's argument checks (not for a spec that validateSpec accepted).
 */
export function buildModel(spec: ModelSpec, seed: number): tf.Sequential {
  const model = tf.sequential();
  // Parity note: tfjs's LSTMCell with unitForgetBias draws its bias as three initializer calls and two
  // concats that it never disposes (CustomInit in tfjs-layers 4.22 recurrent.ts): 4 tensors leaked per
  // layer. Sequential.add builds each layer at once, so building inside tf.tidy releases them; the
  // weights themselves are tf.Variables, which tidy keeps.
  tf.tidy(() => {
    for (let layer = 0; layer < spec.layers; layer++) model.add(recurrentLayer(spec, layer, seed));
    const head = initializers(seed, spec.layers);
    model.add(
      tf.layers.dense({ units: spec.denseUnits, activation: 'linear', kernelInitializer: head.kernelInitializer, biasInitializer: head.biasInitializer }),
    );
  });
  return model;
}
