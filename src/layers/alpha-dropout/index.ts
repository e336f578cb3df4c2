/**
 * AlphaDropout: in training, sets dropped inputs to SELU's negative saturation and rescales to keep mean and
 * variance; the identity at inference. Keras `AlphaDropout`, tfjs `AlphaDropout`. No weights. Any rank.
 */
import type * as tf from '@tensorflow/tfjs';
import { readCommonOptions } from '../common-options';
import { identityForward, identityOutputShape, inferenceIdentityNote, readFraction, readNoiseShape, readSeed } from '../inference-identity';
import type { LayerKind } from '../kind';

export interface AlphaDropoutConfig {
  readonly rate: number;
  /** Only shapes the training mask; kept for the report. */
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

export const alphaDropout: LayerKind<AlphaDropoutConfig> = {
  kind: 'alpha-dropout',
  kerasClass: 'AlphaDropout',
  tfjsClasses: ['AlphaDropout'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const config = { rate: readFraction(raw, ctx, 'rate'), noiseShape: readNoiseShape(raw, ctx), seed: readSeed(raw, ctx) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => identityOutputShape('AlphaDropout', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs) => identityForward(inputs),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsAlphaDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsAlphaDropout(config, name);
  },
  reductionSize: () => 0,
  parityNotes: () => [inferenceIdentityNote('AlphaDropout')],
  describe: (config) => `rate ${config.rate}`,
};
