/**
 * MaxPooling1D: the largest value of each window of pool_size steps, `strides` apart, per channel.
 * Keras `MaxPooling1D`, tfjs `MaxPooling1D`. No weights. [batch, timeSteps, channels] -> [batch, outSteps, channels].
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { describePooling1d, pooling1dOutputShape, readPooling1dConfig, type Pooling1dConfig } from '../pooling-1d';
import { maxPooling1dBackward } from './backward';
import { maxPooling1dForward } from './hand';

export type MaxPooling1dConfig = Pooling1dConfig;

export const maxPooling1d: LayerKind<MaxPooling1dConfig> = {
  kind: 'max-pooling-1d',
  kerasClass: 'MaxPooling1D',
  tfjsClasses: ['MaxPooling1D'],
  readConfig: (raw, ctx) => readPooling1dConfig(raw, ctx),
  outputShape: (config, inputs) => pooling1dOutputShape('MaxPooling1D', config, inputs),
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => maxPooling1dForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => maxPooling1dBackward(config, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsMaxPooling1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsMaxPooling1d(config, name);
  },
  reductionSize: () => 0,
  describe: describePooling1d,
};
