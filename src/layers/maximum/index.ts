/**
 * Maximum: the elementwise largest of the inputs. Keras `Maximum`, tfjs `Maximum`. No weights.
 * Inputs: 2 or more tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { maximumBackward } from './backward';
import { maximumForward } from './hand';

export type MaximumConfig = MergeConfig;

export const maximum: LayerKind<MaximumConfig> = {
  kind: 'maximum',
  kerasClass: 'Maximum',
  tfjsClasses: ['Maximum'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Maximum', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => maximumForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => maximumBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsMaximum } = require('./tfjs') as typeof import('./tfjs');
    return tfjsMaximum(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
