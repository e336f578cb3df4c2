/**
 * SpatialDropout1D: drops whole feature channels of a [batch, timeSteps, features] input in training; the
 * identity at inference. Keras `SpatialDropout1D`, tfjs `SpatialDropout1D`. No weights. Rank 3 only (Keras's
 * InputSpec(ndim=3)).
 */
import type * as tf from '@tensorflow/tfjs';
import { readCommonOptions } from '../common-options';
import { identityForward, identityOutputShape, inferenceIdentityNote, readFraction, readSeed } from '../inference-identity';
import type { LayerKind } from '../kind';

export interface SpatialDropout1dConfig {
  readonly rate: number;
  readonly seed: number | null;
}

export const spatialDropout1d: LayerKind<SpatialDropout1dConfig> = {
  kind: 'spatial-dropout-1d',
  kerasClass: 'SpatialDropout1D',
  tfjsClasses: ['SpatialDropout1D'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    // Keras 3 writes only rate, seed, name and dtype here (BaseSpatialDropout.get_config).
    readCommonOptions(raw, ctx);
    const config = { rate: readFraction(raw, ctx, 'rate'), seed: readSeed(raw, ctx) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => identityOutputShape('SpatialDropout1D', inputs, 3, 3),
  weightShapes: () => [],
  forward: (_config, _weights, inputs) => identityForward(inputs),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsSpatialDropout1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsSpatialDropout1d(config, name);
  },
  reductionSize: () => 0,
  parityNotes: () => [inferenceIdentityNote('SpatialDropout1D')],
  describe: (config) => `rate ${config.rate}`,
};
