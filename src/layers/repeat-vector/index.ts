/**
 * RepeatVector: [batch, features] -> [batch, n, features], the input repeated n times along a new time axis
 * (the bridge of an LSTM autoencoder: encoder state -> decoder sequence). Keras `RepeatVector`, tfjs
 * `RepeatVector`. No weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { formatShape } from '../window-1d';
import { repeatVectorBackward } from './backward';
import { repeatVectorForward } from './hand';

export interface RepeatVectorConfig {
  readonly n: number;
}

/** Largest n accepted. */
const MAX_REPEAT = 1 << 20;

export const repeatVector: LayerKind<RepeatVectorConfig> = {
  kind: 'repeat-vector',
  kerasClass: 'RepeatVector',
  tfjsClasses: ['RepeatVector'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const config = { n: ctx.positiveInt(raw, 'n', MAX_REPEAT) };
    ctx.finish(raw);
    return config;
  },
  outputShape(config, inputs) {
    const [input] = inputs;
    if (inputs.length !== 1 || input.length !== 2) {
      throw new ShapeError(`RepeatVector: expected one input [batch, features], got ${inputs.map(formatShape).join(' and ') || 'none'}`);
    }
    return [input[0], config.n, input[1]];
  },
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => repeatVectorForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => repeatVectorBackward(config, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsRepeatVector } = require('./tfjs') as typeof import('./tfjs');
    return tfjsRepeatVector(config, name);
  },
  reductionSize: () => 0,
  describe: (config) => `n ${config.n}`,
};
