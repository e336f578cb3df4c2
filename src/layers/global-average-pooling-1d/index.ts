/**
 * GlobalAveragePooling1D: the mean over all time steps, per channel. Keras `GlobalAveragePooling1D`, tfjs
 * `GlobalAveragePooling1D`. No weights. [batch, timeSteps, channels] -> [batch, channels] ([batch, 1,
 * channels] with keepdims).
 */
import type * as tf from '@tensorflow/tfjs';
import { globalPooling1dOutputShape, keepdimsNotes, readGlobalPooling1dConfig, type GlobalPooling1dConfig } from '../global-pooling-1d';
import type { LayerKind } from '../kind';
import { sequenceInput } from '../window-1d';
import { globalAveragePooling1dBackward } from './backward';
import { globalAveragePooling1dForward } from './hand';

export type GlobalAveragePooling1dConfig = GlobalPooling1dConfig;

export const globalAveragePooling1d: LayerKind<GlobalAveragePooling1dConfig> = {
  kind: 'global-average-pooling-1d',
  kerasClass: 'GlobalAveragePooling1D',
  tfjsClasses: ['GlobalAveragePooling1D'],
  readConfig: (raw, ctx) => readGlobalPooling1dConfig(raw, ctx),
  outputShape: (config, inputs) => globalPooling1dOutputShape('GlobalAveragePooling1D', config, inputs),
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => globalAveragePooling1dForward(config, input, arith),
  backward: (_config, _weights, [input], [outputGrad], arith) => globalAveragePooling1dBackward(input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsGlobalAveragePooling1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGlobalAveragePooling1d(config, name);
  },
  // Each output sums timeSteps values (unknown time steps: no bound known here).
  reductionSize: (_config, inputs) => sequenceInput('GlobalAveragePooling1D', inputs)[0] ?? 0,
  parityNotes: (config) => keepdimsNotes('GlobalAveragePooling1D', config),
  describe: (config) => (config.keepdims ? 'keepdims' : ''),
};
