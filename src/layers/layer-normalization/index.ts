/**
 * LayerNormalization over the last axis: per row x of d features,
 *   y = (x - mean(x)) * gamma / sqrt(var(x) + epsilon) + beta   (var: the biased mean of squares),
 * computed in Keras 3's order (see hand.ts). Keras `LayerNormalization`, tfjs `LayerNormalization`.
 * Weights: gamma [d] (scale), beta [d] (center), in that order.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../graph/model';
import { ignoreTrainingOptions, readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { lastAxisOutputShape, readEpsilon, readLastAxis } from '../normalization-options';
import { layerNormalizationBackward } from './backward';
import { layerNormalizationForward } from './hand';

export interface LayerNormalizationConfig {
  /** -1, or the last axis's index. */
  readonly axis: number;
  readonly epsilon: number;
  /** beta: add an offset. */
  readonly center: boolean;
  /** gamma: multiply by a scale. */
  readonly scale: boolean;
}

function outputShape(config: LayerNormalizationConfig, inputs: readonly Shape[]): Shape {
  return lastAxisOutputShape('LayerNormalization', config.axis, inputs, 2, 8);
}

export const layerNormalization: LayerKind<LayerNormalizationConfig> = {
  kind: 'layer-normalization',
  kerasClass: 'LayerNormalization',
  tfjsClasses: ['LayerNormalization'],
  // Keras's supports_masking (tfjs's too): a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    ignoreTrainingOptions(ctx, 'beta', 'gamma');
    ctx.only(raw, 'rms_scaling', false, 'rms_scaling (deprecated in Keras 3) scales by the variance; use center/scale');
    const config = {
      axis: readLastAxis(raw, ctx, -1),
      epsilon: readEpsilon(raw, ctx),
      center: ctx.bool(raw, 'center', true),
      scale: ctx.bool(raw, 'scale', true),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape,
  weightShapes(config, inputs) {
    const shape = outputShape(config, inputs);
    const d = shape[shape.length - 1] as number;
    return [...(config.scale ? [{ name: 'gamma', shape: [d] }] : []), ...(config.center ? [{ name: 'beta', shape: [d] }] : [])];
  },
  forward: (config, weights, [input], arith) => layerNormalizationForward(config, weights, input, arith),
  backward: (config, weights, [input], [outputGrad], arith) => layerNormalizationBackward(config, weights, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsLayerNormalization } = require('./tfjs') as typeof import('./tfjs');
    return tfjsLayerNormalization(config, name);
  },
  tfjsWeights(config, weights, inputs) {
    const { layerNormalizationTfjsWeights } = require('./tfjs') as typeof import('./tfjs');
    return layerNormalizationTfjsWeights(config, weights, inputs);
  },
  parityNotes: (config) =>
    config.scale && config.center
      ? []
      : [
          {
            id: 'layer-normalization-gamma-beta',
            text: `${[config.scale ? '' : 'scale=False', config.center ? '' : 'center=False'].filter(Boolean).join(', ')}: tfjs 4.22 cannot differentiate its LayerNormalization without gamma or beta; the layer path holds gamma = 1 / beta = 0 instead, which change no value`,
          },
        ],
  // The mean and variance each sum d values.
  reductionSize: (config, inputs) => outputShape(config, inputs).at(-1) as number,
  describe: (config) => [`epsilon ${config.epsilon}`, ...(config.center ? [] : ['no center']), ...(config.scale ? [] : ['no scale'])].join(', '),
};
