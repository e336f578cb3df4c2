/**
 * Subtract: the first input minus the second. Keras `Subtract`, tfjs `Subtract`. No weights.
 * Inputs: 2 tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { subtractBackward } from './backward';
import { subtractForward } from './hand';

export type SubtractConfig = MergeConfig;

export const subtract: LayerKind<SubtractConfig> = {
  kind: 'subtract',
  kerasClass: 'Subtract',
  tfjsClasses: ['Subtract'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Subtract', inputs, 2),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => subtractForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => subtractBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsSubtract } = require('./tfjs') as typeof import('./tfjs');
    return tfjsSubtract(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
