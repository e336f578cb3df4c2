/**
 * Minimum: the elementwise smallest of the inputs. Keras `Minimum`, tfjs `Minimum`. No weights.
 * Inputs: 2 or more tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { minimumBackward } from './backward';
import { minimumForward } from './hand';

export type MinimumConfig = MergeConfig;

export const minimum: LayerKind<MinimumConfig> = {
  kind: 'minimum',
  kerasClass: 'Minimum',
  tfjsClasses: ['Minimum'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Minimum', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => minimumForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => minimumBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsMinimum } = require('./tfjs') as typeof import('./tfjs');
    return tfjsMinimum(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
