/**
 * SimpleRNN: h = act(x·W + h_{t-1}·U + b). Keras `SimpleRNN`, tfjs `SimpleRNN`.
 * Weights: kernel [inputDim, units], recurrent_kernel [units, units], bias [units] (use_bias).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { recurrentBackward } from '../recurrent/backward';
import { readRecurrentConfig, type RecurrentConfig } from '../recurrent/config';
import { type CellOptions, recurrentForward, recurrentForwardAll, recurrentOutputMask, recurrentStateShapes } from '../recurrent/hand';
import { recurrentNotes } from '../recurrent/notes';
import { recurrentOutputShape, recurrentReductionSize, recurrentWeightShapes } from '../recurrent/shape';

export type SimpleRnnConfig = RecurrentConfig;

/** The cell as the shared recurrent hand path takes it (SimpleRNN has no gates and no recurrent activation). */
const SIMPLE_CELL: CellOptions = { cell: 'simple', gates: 1, recurrentActivation: 'sigmoid', resetAfter: false };

export const simpleRnn: LayerKind<SimpleRnnConfig> = {
  kind: 'simple-rnn',
  kerasClass: 'SimpleRNN',
  tfjsClasses: ['SimpleRNN'],
  readConfig(raw, ctx) {
    const config = readRecurrentConfig(raw, ctx);
    ctx.finish(raw);
    return config;
  },
  outputShape: (config, inputs) => recurrentOutputShape(config, inputs, 'SimpleRNN'),
  weightShapes: (config, inputs) => recurrentWeightShapes(config, inputs, 1, 'SimpleRNN'),
  forward: (config, weights, inputs, arith) => recurrentForward(config, SIMPLE_CELL, weights, inputs, arith),
  forwardAll: (config, weights, inputs, arith) => recurrentForwardAll(config, SIMPLE_CELL, weights, inputs, arith),
  backward: (config, weights, inputs, outputGrads, arith) => recurrentBackward(config, SIMPLE_CELL, weights, inputs, outputGrads, arith),
  extraOutputShapes: (config, inputs) => recurrentStateShapes(config, inputs, 1),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsSimpleRnn } = require('./tfjs') as typeof import('./tfjs');
    return tfjsSimpleRnn(config, name);
  },
  tfjsAfter(config, name) {
    const { recurrentAfter } = require('./tfjs') as typeof import('./tfjs');
    return recurrentAfter(config, name);
  },
  computeMask: recurrentOutputMask,
  reductionSize: recurrentReductionSize,
  parityNotes: (config) => recurrentNotes(config),
  describe: (config) => `${config.units} units, ${config.activation}`,
};
