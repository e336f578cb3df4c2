/**
 * SpatialDropout1D: drops whole feature channels of a [batch, timeSteps, features] input in training; the
 * identity at inference. Keras `SpatialDropout1D`, tfjs `SpatialDropout1D`. No weights. Rank 3 only (Keras's
 * InputSpec(ndim=3)).
 */
import { inferenceIdentityKind, readFraction, readSeed } from '../inference-identity';

export interface SpatialDropout1dConfig {
  readonly rate: number;
  readonly seed: number | null;
}

export const spatialDropout1d = inferenceIdentityKind<SpatialDropout1dConfig>({
  kind: 'spatial-dropout-1d',
  kerasClass: 'SpatialDropout1D',
  readOptions: (raw, ctx) =>
    // Keras 3 writes only rate, seed, name and dtype here (BaseSpatialDropout.get_config).
    ({ rate: readFraction(raw, ctx, 'rate'), seed: readSeed(raw, ctx) }),
  tfjsLayer(config, name) {
    const { tfjsSpatialDropout1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsSpatialDropout1d(config, name);
  },
  describe: (config) => `rate ${config.rate}`,
  exactRank: 3,
});
