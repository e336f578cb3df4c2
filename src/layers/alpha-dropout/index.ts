/**
 * AlphaDropout: in training, sets dropped inputs to SELU's negative saturation and rescales to keep mean and
 * variance; the identity at inference. Keras `AlphaDropout`, tfjs `AlphaDropout`. No weights. Any rank.
 */
import { inferenceIdentityKind, readFraction, readNoiseShape, readSeed } from '../inference-identity';

export interface AlphaDropoutConfig {
  readonly rate: number;
  /** Only shapes the training mask; kept for the report. */
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

export const alphaDropout = inferenceIdentityKind<AlphaDropoutConfig>({
  kind: 'alpha-dropout',
  kerasClass: 'AlphaDropout',
  readOptions: (raw, ctx) => ({ rate: readFraction(raw, ctx, 'rate'), noiseShape: readNoiseShape(raw, ctx), seed: readSeed(raw, ctx) }),
  tfjsLayer(config, name) {
    const { tfjsAlphaDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsAlphaDropout(config, name);
  },
  describe: (config) => `rate ${config.rate}`,
});
