/**
 * GaussianNoise: adds N(0, stddev^2) noise in training; the identity at inference. Keras `GaussianNoise`,
 * tfjs `GaussianNoise`. No weights. Any rank.
 */
import { inferenceIdentityKind, readFraction, readSeed } from '../inference-identity';

export interface GaussianNoiseConfig {
  readonly stddev: number;
  readonly seed: number | null;
}

export const gaussianNoise = inferenceIdentityKind<GaussianNoiseConfig>({
  kind: 'gaussian-noise',
  kerasClass: 'GaussianNoise',
  readOptions: (raw, ctx) =>
    // Keras 3 refuses a stddev outside [0, 1] when it builds the layer.
    ({ stddev: readFraction(raw, ctx, 'stddev'), seed: readSeed(raw, ctx) }),
  tfjsLayer(config, name) {
    const { tfjsGaussianNoise } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGaussianNoise(config, name);
  },
  describe: (config) => `stddev ${config.stddev}`,
});
