/**
 * Add: the elementwise sum of the inputs. Keras `Add`, tfjs `Add`. No weights.
 * Inputs: 2 or more tensors of one shape; output: that shape.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { elementwiseOutputShape, readMergeConfig, type MergeConfig } from '../merge';
import { addBackward } from './backward';
import { addForward } from './hand';

export type AddConfig = MergeConfig;

export const add: LayerKind<AddConfig> = {
  kind: 'add',
  kerasClass: 'Add',
  tfjsClasses: ['Add'],
  readConfig: (raw, ctx) => readMergeConfig(raw, ctx),
  outputShape: (_config, inputs) => elementwiseOutputShape('Add', inputs),
  weightShapes: () => [],
  forward: (_config, _weights, inputs, arith) => addForward(inputs, arith),
  backward: (_config, _weights, inputs, [outputGrad], arith) => addBackward(inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsAdd } = require('./tfjs') as typeof import('./tfjs');
    return tfjsAdd(config, name);
  },
  reductionSize: () => 0,
  describe: () => '',
};
