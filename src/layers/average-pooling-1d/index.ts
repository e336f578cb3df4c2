/**
 * AveragePooling1D: the mean of each window of pool_size steps, `strides` apart, per channel; with padding
 * same a window over an edge averages the steps it covers only. Keras `AveragePooling1D`, tfjs
 * `AveragePooling1D`. No weights. [batch, timeSteps, channels] -> [batch, outSteps, channels].
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { describePooling1d, pooling1dOutputShape, readPooling1dConfig, type Pooling1dConfig } from '../pooling-1d';
import { averagePooling1dBackward } from './backward';
import { averagePooling1dForward } from './hand';

export type AveragePooling1dConfig = Pooling1dConfig;

export const averagePooling1d: LayerKind<AveragePooling1dConfig> = {
  kind: 'average-pooling-1d',
  kerasClass: 'AveragePooling1D',
  tfjsClasses: ['AveragePooling1D'],
  readConfig: (raw, ctx) => readPooling1dConfig(raw, ctx),
  outputShape: (config, inputs) => pooling1dOutputShape('AveragePooling1D', config, inputs),
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => averagePooling1dForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => averagePooling1dBackward(config, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsAveragePooling1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsAveragePooling1d(config, name);
  },
  // Each output sums up to pool_size values.
  reductionSize: (config) => config.poolSize,
  describe: describePooling1d,
};
