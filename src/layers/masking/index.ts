/**
 * Masking: a step whose features all equal mask_value is padding. The output is the input with padded steps
 * zeroed, and carries a mask [batch, timeSteps] that recurrent layers downstream honour. Keras `Masking`,
 * tfjs `Masking`. No weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { maskingBackward } from './backward';
import { maskingForward, maskOf } from './hand';

export interface MaskingConfig {
  readonly maskValue: number;
}

function sequence(inputs: readonly Shape[]): Shape {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length !== 3) {
    throw new ShapeError(
      `Masking: expected one input [batch, timeSteps, features], got ${inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ')}`,
    );
  }
  return input;
}

export const masking: LayerKind<MaskingConfig> = {
  kind: 'masking',
  kerasClass: 'Masking',
  tfjsClasses: ['Masking'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const config = { maskValue: ctx.number(raw, 'mask_value', 0) };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => sequence(inputs),
  weightShapes: (_config, inputs) => (sequence(inputs), []),
  forward: (config, _weights, [input], arith) => maskingForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => maskingBackward(config, input, outputGrad, arith),
  supportsMasking: true,
  computeMask: (config, [input]) => maskOf(config, input),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsMasking } = require('./tfjs') as typeof import('./tfjs');
    return tfjsMasking(config, name);
  },
  reductionSize: () => 0,
  parityNotes: (config) => [
    { id: 'masking', text: `steps whose features all equal ${config.maskValue} are padding: zeroed, and recurrent layers below keep their state over them` },
  ],
  describe: (config) => `mask_value=${config.maskValue}`,
};
