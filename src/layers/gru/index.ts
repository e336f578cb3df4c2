/**
 * GRU, kernel columns [z|r|h]; h = z*h_{t-1} + (1-z)*hh. Keras `GRU`; tfjs `GRU` (reset_after=False only)
 * and our `GRUResetAfter` (Keras's default, reset_after=True).
 * Weights: kernel [inputDim, 3*units], recurrent_kernel [units, 3*units], bias [3*units], or [2, 3*units]
 * with reset_after (row 0 input bias, row 1 recurrent bias).
 */
import type * as tf from '@tensorflow/tfjs';
import type { LayerKind, ParityNote } from '../kind';
import { recurrentBackward } from '../recurrent/backward';
import { readRecurrentActivation, readRecurrentConfig, type RecurrentConfig } from '../recurrent/config';
import { type CellOptions, recurrentForward, recurrentForwardAll, recurrentOutputMask, recurrentStateShapes } from '../recurrent/hand';
import { recurrentNotes } from '../recurrent/notes';
import { recurrentOutputShape, recurrentReductionSize, recurrentWeightShapes } from '../recurrent/shape';

export interface GruConfig extends RecurrentConfig {
  readonly recurrentActivation: string;
  /** Keras's default true: the reset gate scales h·U + b_rec after the matmul. */
  readonly resetAfter: boolean;
}

/** The cell as the shared recurrent hand path takes it. */
function gruCell(config: GruConfig): CellOptions {
  return { cell: 'gru', gates: 3, recurrentActivation: config.recurrentActivation, resetAfter: config.resetAfter };
}

export const gru: LayerKind<GruConfig> = {
  kind: 'gru',
  kerasClass: 'GRU',
  tfjsClasses: ['GRU', 'GRUResetAfter'],
  readConfig(raw, ctx) {
    const config = {
      ...readRecurrentConfig(raw, ctx),
      recurrentActivation: readRecurrentActivation(raw, ctx),
      // Parity note: Keras 3 defaults reset_after to True; tfjs's GRU has only reset_after=False and saves no key.
      resetAfter: ctx.bool(raw, 'reset_after', ctx.source === 'keras'),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape: (config, inputs) => recurrentOutputShape(config, inputs, 'GRU'),
  weightShapes: (config, inputs) => recurrentWeightShapes(config, inputs, 3, 'GRU', config.resetAfter ? [2, 3 * config.units] : undefined),
  forward: (config, weights, inputs, arith) => recurrentForward(config, gruCell(config), weights, inputs, arith),
  forwardAll: (config, weights, inputs, arith) => recurrentForwardAll(config, gruCell(config), weights, inputs, arith),
  backward: (config, weights, inputs, outputGrads, arith) => recurrentBackward(config, gruCell(config), weights, inputs, outputGrads, arith),
  extraOutputShapes: (config, inputs) => recurrentStateShapes(config, inputs, 1),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsGru } = require('./tfjs') as typeof import('./tfjs');
    return tfjsGru(config, name);
  },
  tfjsWeights(config, weights, inputs) {
    const { gruTfjsWeights } = require('./tfjs') as typeof import('./tfjs');
    return gruTfjsWeights(config, weights, inputs);
  },
  tfjsAfter(config, name) {
    const { recurrentAfter } = require('./tfjs') as typeof import('./tfjs');
    return recurrentAfter(config, name);
  },
  computeMask: recurrentOutputMask,
  reductionSize: recurrentReductionSize,
  parityNotes(config) {
    const notes: ParityNote[] = recurrentNotes(config, config.recurrentActivation);
    if (config.resetAfter) {
      notes.push({
        id: 'gru-reset-after',
        text: "reset_after=True (Keras's default): tfjs's GRU cannot run it (tfjs issue #5728); the layer path uses rnn-parity's GRUResetAfter layer",
      });
    }
    return notes;
  },
  describe: (config) => `${config.units} units, ${config.activation}/${config.recurrentActivation}, reset_after=${config.resetAfter ? 'True' : 'False'}`,
};
