/**
 * Multiply: the elementwise product of the inputs. Keras `Multiply`, tfjs `Multiply`. No weights.
 * Inputs: 2 or more tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { multiplyBackward } from './backward';
import { multiplyForward } from './hand';

export type MultiplyConfig = MergeConfig;

export const multiply: LayerKind<MultiplyConfig> = {
  kind: 'multiply',
  kerasClass: 'Multiply',
  tfjsClasses: ['Multiply'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Multiply', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => multiplyForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => multiplyBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsMultiply } = require('./tfjs') as typeof import('./tfjs');
    return tfjsMultiply(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
