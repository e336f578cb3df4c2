/**
 * GaussianNoise: adds N(0, stddev^2) noise in training; the identity at inference. Keras `GaussianNoise`,
 * tfjs `GaussianNoise`. No weights. Any rank.
 */
import type * as tf from '@tensorflow/tfjs';
import { readCommonOptions } from '../common-options';
import { identityForward, identityOutputShape, inferenceIdentityNote, readFraction, readSeed } from '../inference-identity';
import type { LayerKind } from '../kind';

export interface GaussianNoiseConfig {
  readonly stddev: number;
  readonly seed: number | null;
}

export const gaussianNoise: LayerKind<GaussianNoiseConfig> = {
  kind: 'gaussian-noise',
  kerasClass: 'GaussianNoise',
  tfjsClasses: ['GaussianNoise'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    // Keras 3 refuses a stddev outside [0, 1] when it builds the layer.
    const config = { stddev: readFraction(raw, ctx, 'stddev'), seed: readSeed(raw, ctx) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => identityOutputShape('GaussianNoise', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs) => identityForward(inputs),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsGaussianNoise } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGaussianNoise(config, name);
  },
  reductionSize: () => 0,
  parityNotes: () => [inferenceIdentityNote('GaussianNoise')],
  describe: (config) => `stddev ${config.stddev}`,
};
