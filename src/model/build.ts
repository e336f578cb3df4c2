/**
 * The layer path: a ModelSpec becomes a tf.Sequential of tfjs recurrent layers and a dense head,
 * with every Keras-relevant option set explicitly instead of left to tfjs's defaults.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors';
import type { ModelSpec, RecurrentActivation } from '../spec';

/**
 * Seed of one initializer: distinct for every (seed, layer, slot), so no two weights share a stream.
 * slot: 0 kernel, 1 recurrent kernel, 2 bias. The dense head is layer index `spec.layers`.
 */
function initializerSeed(seed: number, layer: number, slot: number): number {
  return seed * 128 + layer * 4 + slot;
}

/**
 * Parity note: tfjs's LSTM and GRU default recurrentActivation is 'hardSigmoid'; Keras's is 'sigmoid'.
 * Always pass it. Keras 3's hard_sigmoid (relu6(x+3)/6) has no tfjs activation of its own.
 */
function tfjsRecurrentActivation(name: RecurrentActivation): 'sigmoid' | 'hardSigmoid' {
  if (name === 'sigmoid') return 'sigmoid';
  if (name === 'hard_sigmoid_tfjs') return 'hardSigmoid';
  throw new ConfigError(
    `recurrentActivation: expected sigmoid or hard_sigmoid_tfjs on the tfjs layer path, got ${JSON.stringify(name)} (Keras 3's hard_sigmoid has no tfjs layer)`,
  );
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
      return tf.layers.lstm({ ...common, recurrentActivation: tfjsRecurrentActivation(spec.recurrentActivation), unitForgetBias: spec.unitForgetBias });
    case 'gru':
      if (spec.resetAfter) {
        throw new ConfigError('resetAfter: expected false for the tfjs GRU layer (tfjs supports only reset_after=False), got true; pass --no-reset-after');
      }
      // Parity note: tfjs's GRU applies the reset gate before the recurrent matmul (Keras's reset_after=False).
      return tf.layers.gru({ ...common, recurrentActivation: tfjsRecurrentActivation(spec.recurrentActivation) });
  }
}

/**
 * Builds the model on the active backend: `spec.layers` recurrent layers, then Dense(denseUnits).
 * Input [batch, timeSteps, inputDim] -> output [batch, denseUnits] ([batch, timeSteps, denseUnits]
 * with returnSequences). Same spec and seed give the same weights on the same backend.
 * @throws ConfigError for an option the tfjs layers cannot express.
 */
export function buildModel(spec: ModelSpec, seed: number): tf.Sequential {
  const model = tf.sequential();
  for (let layer = 0; layer < spec.layers; layer++) model.add(recurrentLayer(spec, layer, seed));
  const head = initializers(seed, spec.layers);
  model.add(tf.layers.dense({ units: spec.denseUnits, activation: 'linear', kernelInitializer: head.kernelInitializer, biasInitializer: head.biasInitializer }));
  return model;
}
