/**
 * Dense: y = act(x·W + b) on the last axis, any rank >= 2 ([batch, features] or [batch, timeSteps,
 * features], where it maps every step). Keras `Dense`, tfjs `Dense`.
 * Weights: kernel [inputDim, units], bias [units] (use_bias).
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { readActivation } from '../activations/names';
import { ignoreTrainingOptions, readCommonOptions, refuseQuantization } from '../common-options';
import type { LayerKind } from '../kind';
import { denseBackward } from './backward';
import { denseForward } from './hand';

export interface DenseConfig {
  readonly units: number;
  /** Keras 3 name, elementwise or along the last axis (softmax). */
  readonly activation: string;
  readonly useBias: boolean;
}

/** Largest units accepted. */
const MAX_DENSE_UNITS = 65536;

function inputDimOf(inputs: readonly Shape[]): number {
  const [input] = inputs;
  const last = input?.[input.length - 1];
  if (inputs.length !== 1 || input.length < 2 || typeof last !== 'number') {
    throw new ShapeError(
      `Dense: expected one input of rank >= 2 with a known last axis, got ${inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ')}`,
    );
  }
  return last;
}

export const dense: LayerKind<DenseConfig> = {
  kind: 'dense',
  kerasClass: 'Dense',
  tfjsClasses: ['Dense'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    ignoreTrainingOptions(ctx, 'kernel', 'bias');
    refuseQuantization(raw, ctx);
    const config = {
      units: ctx.positiveInt(raw, 'units', MAX_DENSE_UNITS),
      activation: readActivation(ctx, raw, 'activation', 'linear', true),
      useBias: ctx.bool(raw, 'use_bias', true),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape(config, inputs) {
    inputDimOf(inputs);
    return [...inputs[0].slice(0, -1), config.units];
  },
  weightShapes(config, inputs) {
    const inputDim = inputDimOf(inputs);
    return [{ name: 'kernel', shape: [inputDim, config.units] }, ...(config.useBias ? [{ name: 'bias', shape: [config.units] }] : [])];
  },
  forward: (config, weights, [input], arith) => denseForward(config, weights, input, arith),
  backward: (config, weights, [input], [outputGrad], arith) => denseBackward(config, weights, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsDense } = require('./tfjs') as typeof import('./tfjs');
    return tfjsDense(config, name);
  },
  reductionSize: (_config, inputs) => inputDimOf(inputs),
  describe: (config) => `${config.units} units, ${config.activation}${config.useBias ? '' : ', no bias'}`,
};
