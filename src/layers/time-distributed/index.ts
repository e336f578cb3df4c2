/**
 * TimeDistributed: one layer applied to every time step, [batch, timeSteps, ...] -> [batch, timeSteps, ...out].
 * Keras `TimeDistributed`, tfjs `TimeDistributed`. Weights: the held layer's.
 * Parity note: Keras 3's TimeDistributed has supports_masking = False: a mask stops here.
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { HandTensor, LayerGradients, LayerKind } from '../kind';
import { readWrappedLayer, type WrappedLayer } from '../wrapped';

export interface TimeDistributedConfig {
  readonly layer: WrappedLayer;
}

/** Kinds that map one step to one step with no state. */
const STEP_KINDS = ['dense', 'activation', 'dropout', 'gaussian-noise', 'gaussian-dropout', 'alpha-dropout', 'flatten', 'reshape'];

/** [batch, timeSteps, ...rest] -> the held layer's input [batch*timeSteps (or null), ...rest]. */
function stepShape(inputs: readonly Shape[]): Shape {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length < 3) {
    throw new ShapeError(
      `TimeDistributed: expected one input [batch, timeSteps, ...] of rank >= 3, got ${inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ')}`,
    );
  }
  return [null, ...input.slice(2)];
}

export const timeDistributed: LayerKind<TimeDistributedConfig> = {
  kind: 'time-distributed',
  kerasClass: 'TimeDistributed',
  tfjsClasses: ['TimeDistributed'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const layer = readWrappedLayer(raw, 'layer', ctx, STEP_KINDS);
    ctx.finish(raw);
    return { layer: layer as WrappedLayer };
  },
  outputShape(config, inputs) {
    const inner = config.layer.kind.outputShape(config.layer.config, [stepShape(inputs)]);
    return [inputs[0][0], inputs[0][1], ...inner.slice(1)];
  },
  weightShapes: (config, inputs) => config.layer.kind.weightShapes(config.layer.config, [stepShape(inputs)]),
  forward(config, weights, [input], arith): HandTensor {
    const [batch, timeSteps, ...rest] = input.shape;
    // [batch, timeSteps, ...rest] read as [batch*timeSteps, ...rest]: the same row-major data.
    const out = config.layer.kind.forward(config.layer.config, weights, [{ shape: [batch * timeSteps, ...rest], data: input.data }], arith);
    return { shape: [batch, timeSteps, ...out.shape.slice(1)], data: out.data };
  },
  backward(config, weights, [input], [dOutput], arith): LayerGradients {
    const held = config.layer.kind;
    if (!held.backward) throw new ConfigError(`TimeDistributed: the held ${held.kerasClass} has no backward pass`);
    const [batch, timeSteps, ...rest] = input.shape;
    // The held layer's backward over the batch*timeSteps steps: the gradients have the same row-major data.
    const gradients = held.backward(config.layer.config, weights, [{ shape: [batch * timeSteps, ...rest], data: input.data }], [dOutput], arith);
    return { inputs: [gradients.inputs[0]], weights: gradients.weights };
  },
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsTimeDistributed } = require('./tfjs') as typeof import('./tfjs');
    return tfjsTimeDistributed(config, name);
  },
  tfjsWeights: (config, weights, inputs) =>
    config.layer.kind.tfjsWeights ? config.layer.kind.tfjsWeights(config.layer.config, weights, [stepShape(inputs)]) : weights.slice(),
  reductionSize: (config, inputs) => config.layer.kind.reductionSize(config.layer.config, [stepShape(inputs)]),
  parityNotes: (config) => config.layer.kind.parityNotes?.(config.layer.config) ?? [],
  describe: (config) => `${config.layer.kind.kerasClass}(${config.layer.kind.describe?.(config.layer.config) ?? ''}) on every step`,
};
