/**
 * BatchNormalization at inference over the last axis (the moving statistics; batch statistics only train):
 *   y = (x - moving_mean) * gamma / sqrt(moving_variance + epsilon) + beta, per feature,
 * computed in Keras 3's order (see hand.ts). Keras `BatchNormalization`, tfjs `BatchNormalization`.
 * Weights in Keras's and tfjs's order: gamma [d] (scale), beta [d] (center), moving_mean [d], moving_variance [d].
 * momentum only updates the moving statistics in training: read, not used.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../graph/model';
import { ignoreTrainingOptions, readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { lastAxisOutputShape, readEpsilon, readLastAxis } from '../normalization-options';
import { batchNormalizationBackward } from './backward';
import { batchNormalizationForward } from './hand';

export interface BatchNormalizationConfig {
  /** -1, or the last axis's index. */
  readonly axis: number;
  readonly epsilon: number;
  /** beta: add an offset. */
  readonly center: boolean;
  /** gamma: multiply by a scale. */
  readonly scale: boolean;
  /** Training only; kept for the report. */
  readonly momentum: number;
}

/** tfjs's batchNorm kernels take rank 2 to 4. */
function outputShape(config: BatchNormalizationConfig, inputs: readonly Shape[]): Shape {
  return lastAxisOutputShape('BatchNormalization', config.axis, inputs, 2, 4);
}

export const batchNormalization: LayerKind<BatchNormalizationConfig> = {
  kind: 'batch-normalization',
  kerasClass: 'BatchNormalization',
  tfjsClasses: ['BatchNormalization'],
  // Keras's supports_masking (tfjs's too): a padding mask passes through unchanged (it only shapes training's moments).
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    ignoreTrainingOptions(ctx, 'beta', 'gamma', 'moving_mean', 'moving_variance');
    // synchronized: how training reduces batch statistics across devices; no effect at inference.
    ctx.ignore('synchronized');
    ctx.only(raw, 'renorm', false, 'batch renormalization adds weights rnn-parity does not read');
    ctx.ignore('renorm_clipping', 'renorm_momentum');
    const config = {
      axis: readLastAxis(raw, ctx, -1),
      epsilon: readEpsilon(raw, ctx),
      center: ctx.bool(raw, 'center', true),
      scale: ctx.bool(raw, 'scale', true),
      momentum: ctx.number(raw, 'momentum', 0.99, 0, 1),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape,
  weightShapes(config, inputs) {
    const shape = outputShape(config, inputs);
    const d = [shape[shape.length - 1] as number];
    return [
      ...(config.scale ? [{ name: 'gamma', shape: d }] : []),
      ...(config.center ? [{ name: 'beta', shape: d }] : []),
      { name: 'moving_mean', shape: d },
      { name: 'moving_variance', shape: d },
    ];
  },
  forward: (config, weights, [input], arith) => batchNormalizationForward(config, weights, input, arith),
  backward: (config, weights, [input], [outputGrad], arith) => batchNormalizationBackward(config, weights, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsBatchNormalization } = require('./tfjs') as typeof import('./tfjs');
    return tfjsBatchNormalization(config, name);
  },
  tfjsWeights(config, weights) {
    const { batchNormalizationTfjsWeights } = require('./tfjs') as typeof import('./tfjs');
    return batchNormalizationTfjsWeights(config, weights);
  },
  parityNotes: (config) =>
    config.scale && config.center
      ? []
      : [
          {
            id: 'batch-normalization-gamma-beta',
            text: `${config.scale ? '' : 'scale=False'}${!config.scale && !config.center ? ', ' : ''}${config.center ? '' : 'center=False'}: tfjs 4.22 cannot differentiate its BatchNormalization without gamma or beta; the layer path holds gamma = 1 / beta = 0 instead, which change no value`,
          },
        ],
  reductionSize: () => 0,
  describe: (config) => [`epsilon ${config.epsilon}`, ...(config.center ? [] : ['no center']), ...(config.scale ? [] : ['no scale'])].join(', '),
};
