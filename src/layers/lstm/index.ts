/**
 * LSTM, kernel columns [i|f|c|o]: c = f*c + i*act(z_c), h = o*act(c). Keras `LSTM`, tfjs `LSTM`.
 * Weights: kernel [inputDim, 4*units], recurrent_kernel [units, 4*units], bias [4*units] (use_bias).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind } from '../kind';
import { recurrentBackward } from '../recurrent/backward';
import { readRecurrentActivation, readRecurrentConfig, type RecurrentConfig } from '../recurrent/config';
import { type CellOptions, recurrentForward, recurrentForwardAll, recurrentOutputMask, recurrentStateShapes } from '../recurrent/hand';
import { recurrentNotes } from '../recurrent/notes';
import { recurrentOutputShape, recurrentReductionSize, recurrentWeightShapes } from '../recurrent/shape';

export interface LstmConfig extends RecurrentConfig {
  readonly recurrentActivation: string;
  /** Only sets the forget gate's initial bias; kept for the report. */
  readonly unitForgetBias: boolean;
}

/** The cell as the shared recurrent hand path takes it. */
function lstmCell(config: LstmConfig): CellOptions {
  return { cell: 'lstm', gates: 4, recurrentActivation: config.recurrentActivation, resetAfter: false };
}

export const lstm: LayerKind<LstmConfig> = {
  kind: 'lstm',
  kerasClass: 'LSTM',
  tfjsClasses: ['LSTM'],
  readConfig(raw, ctx) {
    const config = {
      ...readRecurrentConfig(raw, ctx),
      recurrentActivation: readRecurrentActivation(raw, ctx),
      unitForgetBias: ctx.bool(raw, 'unit_forget_bias', true),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape: (config, inputs) => recurrentOutputShape(config, inputs, 'LSTM', 2),
  weightShapes: (config, inputs) => recurrentWeightShapes(config, inputs, 4, 'LSTM'),
  forward: (config, weights, inputs, arith) => recurrentForward(config, lstmCell(config), weights, inputs, arith),
  forwardAll: (config, weights, inputs, arith) => recurrentForwardAll(config, lstmCell(config), weights, inputs, arith),
  backward: (config, weights, inputs, outputGrads, arith) => recurrentBackward(config, lstmCell(config), weights, inputs, outputGrads, arith),
  extraOutputShapes: (config, inputs) => recurrentStateShapes(config, inputs, 2),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsLstm } = require('./tfjs') as typeof import('./tfjs');
    return tfjsLstm(config, name);
  },
  tfjsAfter(config, name) {
    const { recurrentAfter } = require('./tfjs') as typeof import('./tfjs');
    return recurrentAfter(config, name);
  },
  computeMask: recurrentOutputMask,
  reductionSize: recurrentReductionSize,
  parityNotes: (config) => recurrentNotes(config, config.recurrentActivation),
  describe: (config) => `${config.units} units, ${config.activation}/${config.recurrentActivation}`,
};
