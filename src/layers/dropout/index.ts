/**
 * Dropout: zeroes a fraction `rate` of the inputs in training; the identity at inference. Keras `Dropout`,
 * tfjs `Dropout`. No weights. Any rank.
 */
import type * as tf from '@tensorflow/tfjs';
import { readCommonOptions } from '../common-options';
import { identityForward, identityOutputShape, inferenceIdentityNote, readFraction, readNoiseShape, readSeed } from '../inference-identity';
import type { LayerKind } from '../kind';

export interface DropoutConfig {
  readonly rate: number;
  /** Only shapes the training mask; kept for the report. */
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

export const dropout: LayerKind<DropoutConfig> = {
  kind: 'dropout',
  kerasClass: 'Dropout',
  tfjsClasses: ['Dropout'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const config = { rate: readFraction(raw, ctx, 'rate'), noiseShape: readNoiseShape(raw, ctx), seed: readSeed(raw, ctx) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => identityOutputShape('Dropout', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs) => identityForward(inputs),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsDropout(config, name);
  },
  reductionSize: () => 0,
  parityNotes: () => [inferenceIdentityNote('Dropout')],
  describe: (config) => `rate ${config.rate}`,
};
