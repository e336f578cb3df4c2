/**
 * Activation: applies one activation function to its input, elementwise or along the last axis (softmax,
 * log_softmax, sparsemax). Keras `Activation`, tfjs `Activation`. No weights; output shape = input shape.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { ROWWISE } from '../../hand/activations';
import { readActivation } from '../activations/names';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { activationLayerBackward } from './backward';
import { activationForward } from './hand';

export interface ActivationConfig {
  /** Our name (Keras 3's, aliases resolved): elementwise, or along the last axis. */
  readonly activation: string;
}

function formatShape(shape: Shape): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

export const activation: LayerKind<ActivationConfig> = {
  kind: 'activation',
  kerasClass: 'Activation',
  tfjsClasses: ['Activation'],
  // Keras's supports_masking: a padding mask passes through unchanged.
  supportsMasking: true,
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    // Keras requires the argument; absent, Keras's Activation(None) would be linear.
    if (raw.activation === undefined) ctx.block('activation', undefined, 'expected an activation name');
    const config = { activation: readActivation(ctx, raw, 'activation', 'linear', true) };
    ctx.finish(raw);
    return config;
  },
  outputShape(config, inputs) {
    const [input] = inputs;
    // A row activation works along the last axis, which must not be the batch axis.
    const minRank = Object.hasOwn(ROWWISE, config.activation) ? 2 : 1;
    if (inputs.length !== 1 || input.length < minRank) {
      throw new ShapeError(
        `Activation(${config.activation}): expected one input of rank >= ${minRank}, got ${inputs.map(formatShape).join(' and ') || 'none'}`,
      );
    }
    return input;
  },
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => activationForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => activationLayerBackward(config, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsActivationLayer } = require('./tfjs') as typeof import('./tfjs');
    return tfjsActivationLayer(config, name);
  },
  reductionSize: () => 0,
  describe: (config) => config.activation,
};
