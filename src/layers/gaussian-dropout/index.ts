/**
 * GaussianDropout: multiplies by N(1, rate / (1 - rate)) noise in training; the identity at inference.
 * Keras `GaussianDropout`, tfjs `GaussianDropout`. No weights. Any rank.
 */
import type * as tf from '@tensorflow/tfjs';
import { readCommonOptions } from '../common-options';
import { identityForward, identityOutputShape, inferenceIdentityNote, readFraction, readSeed } from '../inference-identity';
import type { LayerKind } from '../kind';

export interface GaussianDropoutConfig {
  readonly rate: number;
  readonly seed: number | null;
}

export const gaussianDropout: LayerKind<GaussianDropoutConfig> = {
  kind: 'gaussian-dropout',
  kerasClass: 'GaussianDropout',
  tfjsClasses: ['GaussianDropout'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const config = { rate: readFraction(raw, ctx, 'rate'), seed: readSeed(raw, ctx) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => identityOutputShape('GaussianDropout', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs) => identityForward(inputs),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsGaussianDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGaussianDropout(config, name);
  },
  reductionSize: () => 0,
  parityNotes: () => [inferenceIdentityNote('GaussianDropout')],
  describe: (config) => `rate ${config.rate}`,
};
