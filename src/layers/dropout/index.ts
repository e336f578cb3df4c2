/**
 * Dropout: zeroes a fraction `rate` of the inputs in training; the identity at inference. Keras `Dropout`,
 * tfjs `Dropout`. No weights. Any rank.
 */
import { inferenceIdentityKind, readFraction, readNoiseShape, readSeed } from '../inference-identity';

export interface DropoutConfig {
  readonly rate: number;
  /** Only shapes the training mask; kept for the report. */
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

export const dropout = inferenceIdentityKind<DropoutConfig>({
  kind: 'dropout',
  kerasClass: 'Dropout',
  readOptions: (raw, ctx) => ({ rate: readFraction(raw, ctx, 'rate'), noiseShape: readNoiseShape(raw, ctx), seed: readSeed(raw, ctx) }),
  tfjsLayer(config, name) {
    const { tfjsDropout } = require('./tfjs') as typeof import('./tfjs');
    return tfjsDropout(config, name);
  },
  describe: (config) => `rate ${config.rate}`,
});
