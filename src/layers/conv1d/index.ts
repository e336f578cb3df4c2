/**
 * Conv1D: a 1-D convolution over time, y[b, t, f] = act(sum_{k, c} x[b, t*stride + k*dilation - padLeft, c]
 * * kernel[k, c, f] + bias[f]), zeros outside the sequence. Keras `Conv1D`, tfjs `Conv1D`.
 * Weights: kernel [kernelSize, inputDim, filters], bias [filters] (use_bias).
 * Padding valid, same (TensorFlow's: the extra zero on the right) or causal (all zeros on the left, so step t
 * sees only steps <= t); groups 1 and data_format channels_last only.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../graph/model';
import { readActivation } from '../activations/names';
import { ignoreTrainingOptions, readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { readChannelsLast, readSize1d, sequenceInput, windowOutputLength, type WindowPadding } from '../window-1d';
import { conv1dBackward } from './backward';
import { conv1dForward } from './hand';

export interface Conv1dConfig {
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: WindowPadding;
  readonly dilationRate: number;
  /** Keras 3 name, elementwise or along the last axis (softmax). */
  readonly activation: string;
  readonly useBias: boolean;
}

/** Largest filters accepted. */
const MAX_FILTERS = 65536;
const PADDINGS = ['valid', 'same', 'causal'] as const;

function outputShape(config: Conv1dConfig, inputs: readonly Shape[]): Shape {
  const [length] = sequenceInput('Conv1D', inputs);
  return [inputs[0][0], windowOutputLength('Conv1D', length, config.kernelSize, config.strides, config.dilationRate, config.padding), config.filters];
}

export const conv1d: LayerKind<Conv1dConfig> = {
  kind: 'conv1d',
  kerasClass: 'Conv1D',
  tfjsClasses: ['Conv1D'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    ignoreTrainingOptions(ctx, 'kernel', 'bias');
    readChannelsLast(raw, ctx);
    ctx.only(raw, 'groups', 1, 'grouped convolutions are not checked yet');
    const config = {
      filters: ctx.positiveInt(raw, 'filters', MAX_FILTERS),
      kernelSize: readSize1d(raw, ctx, 'kernel_size'),
      strides: readSize1d(raw, ctx, 'strides', 1),
      padding: ctx.choice(raw, 'padding', PADDINGS, 'valid'),
      dilationRate: readSize1d(raw, ctx, 'dilation_rate', 1),
      activation: readActivation(ctx, raw, 'activation', 'linear', true),
      useBias: ctx.bool(raw, 'use_bias', true),
    };
    if (config.strides > 1 && config.dilationRate > 1) {
      // Keras 3 itself refuses this in Conv1D's constructor, as tfjs's conv1d does.
      ctx.block('strides', raw.strides, `expected 1 with dilation_rate ${config.dilationRate} (Keras and tfjs refuse strides > 1 with dilation_rate > 1)`);
    }
    ctx.finish(raw);
    return config;
  },
  outputShape,
  weightShapes(config, inputs) {
    const [, inputDim] = sequenceInput('Conv1D', inputs);
    return [{ name: 'kernel', shape: [config.kernelSize, inputDim, config.filters] }, ...(config.useBias ? [{ name: 'bias', shape: [config.filters] }] : [])];
  },
  forward: (config, weights, [input], arith) => conv1dForward(config, weights, input, arith),
  backward: (config, weights, [input], [outputGrad], arith) => conv1dBackward(config, weights, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsConv1d } = require('./tfjs') as typeof import('./tfjs');
    return tfjsConv1d(config, name);
  },
  // Every output sums kernelSize * inputDim products.
  reductionSize: (config, inputs) => config.kernelSize * sequenceInput('Conv1D', inputs)[1],
  parityNotes: (config) =>
    config.padding === 'causal'
      ? [
          {
            id: 'conv1d-causal',
            text: "Conv1D padding='causal': tfjs 4.22's Conv1D throws NotImplementedError for it; the layer path pads (kernel_size - 1) * dilation_rate zeros on the left and runs tfjs's valid convolution, as Keras does",
          },
        ]
      : [],
  describe: (config) =>
    [
      `${config.filters} filters`,
      `kernel ${config.kernelSize}`,
      ...(config.strides > 1 ? [`stride ${config.strides}`] : []),
      ...(config.dilationRate > 1 ? [`dilation ${config.dilationRate}`] : []),
      config.padding,
      config.activation,
      ...(config.useBias ? [] : ['no bias']),
    ].join(', '),
};
