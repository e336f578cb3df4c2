/**
 * Average: the elementwise mean of the inputs. Keras `Average`, tfjs `Average`. No weights.
 * Inputs: 2 or more tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { averageBackward } from './backward';
import { averageForward } from './hand';

export type AverageConfig = MergeConfig;

export const average: LayerKind<AverageConfig> = {
  kind: 'average',
  kerasClass: 'Average',
  tfjsClasses: ['Average'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Average', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => averageForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => averageBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsAverage } = require('./tfjs') as typeof import('./tfjs');
    return tfjsAverage(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
