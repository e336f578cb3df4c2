/**
 * GlobalMaxPooling1D: the largest value over all time steps, per channel. Keras `GlobalMaxPooling1D`, tfjs
 * `GlobalMaxPooling1D`. No weights. [batch, timeSteps, channels] -> [batch, channels] ([batch, 1, channels]
 * with keepdims).
 */
import type * as tf from '@tensorflow/tfjs';
import { globalPooling1dOutputShape, keepdimsNotes, readGlobalPooling1dConfig, type GlobalPooling1dConfig } from '../global-pooling-1d';
import type { LayerKind } from '../kind';
import { globalMaxPooling1dBackward } from './backward';
import { globalMaxPooling1dForward } from './hand';

export type GlobalMaxPooling1dConfig = GlobalPooling1dConfig;

export const globalMaxPooling1d: LayerKind<GlobalMaxPooling1dConfig> = {
  kind: 'global-max-pooling-1d',
  kerasClass: 'GlobalMaxPooling1D',
  tfjsClasses: ['GlobalMaxPooling1D'],
  readConfig: (raw, ctx) => readGlobalPooling1dConfig(raw, ctx),
  outputShape: (config, inputs) => globalPooling1dOutputShape('GlobalMaxPooling1D', config, inputs),
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => globalMaxPooling1dForward(config, input, arith),
  backward: (_config, _weights, [input], [outputGrad], arith) => globalMaxPooling1dBackward(input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsGlobalMaxPooling1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGlobalMaxPooling1d(config, name);
  },
  reductionSize: () => 0,
  parityNotes: (config) => keepdimsNotes('GlobalMaxPooling1D', config),
  describe: (config) => (config.keepdims ? 'keepdims' : ''),
};
