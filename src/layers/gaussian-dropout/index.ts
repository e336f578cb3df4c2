/**
 * GaussianDropout: multiplies by N(1, rate / (1 - rate)) noise in training; the identity at inference.
 * Keras `GaussianDropout`, tfjs `GaussianDropout`. No weights. Any rank.
 */
import { inferenceIdentityKind, readFraction, readSeed } from '../inference-identity';

export interface GaussianDropoutConfig {
  readonly rate: number;
  readonly seed: number | null;
}

export const gaussianDropout = inferenceIdentityKind<GaussianDropoutConfig>({
  kind: 'gaussian-dropout',
  kerasClass: 'GaussianDropout',
  readOptions: (raw, ctx) => ({ rate: readFraction(raw, ctx, 'rate'), seed: readSeed(raw, ctx) }),
  tfjsLayer(config, name) {
    const { tfjsGaussianDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGaussianDropout(config, name);
  },
  describe: (config) => `rate ${config.rate}`,
});
