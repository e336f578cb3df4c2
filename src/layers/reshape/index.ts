/**
 * Reshape: [batch, ...] -> [batch, ...target_shape], the same values in the same (row-major) order;
 * target_shape may hold one -1, the size that makes the counts match. Keras `Reshape`, tfjs `Reshape`.
 * No weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { reshapeBackward } from './backward';
import { reshapeForward, resolveTargetShape } from './hand';

export interface ReshapeConfig {
  /** Per sample, batch excluded; at most one -1. */
  readonly targetShape: readonly number[];
}

/** Largest rank accepted in target_shape. */
const MAX_TARGET_RANK = 8;

function formatShape(shape: Shape): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

function inputCount(inputs: readonly Shape[]): number | null {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length < 2) {
    throw new ShapeError(`Reshape: expected one input of rank >= 2, got ${inputs.map(formatShape).join(' and ') || 'none'}`);
  }
  const dims = input.slice(1);
  return dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
}

export const reshape: LayerKind<ReshapeConfig> = {
  kind: 'reshape',
  kerasClass: 'Reshape',
  tfjsClasses: ['Reshape'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const value = ctx.value(raw, 'target_shape');
    let targetShape: number[] = [1];
    const valid =
      Array.isArray(value) &&
      value.length >= 1 &&
      value.length <= MAX_TARGET_RANK &&
      value.every((d) => typeof d === 'number' && Number.isInteger(d) && (d >= 1 || d === -1)) &&
      value.filter((d) => d === -1).length <= 1;
    if (valid) targetShape = value as number[];
    else ctx.block('target_shape', value, `expected a list of 1 to ${MAX_TARGET_RANK} positive integers with at most one -1`);
    ctx.finish(raw);
    return { targetShape };
  },
  outputShape: (config, inputs) => [inputs[0]?.[0] ?? null, ...resolveTargetShape(config.targetShape, inputCount(inputs))],
  weightShapes: () => [],
  forward: (config, _weights, [input]) => reshapeForward(config, input),
  backward: (_config, _weights, _inputs, [outputGrad], arith) => reshapeBackward(outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsReshape } = require('./tfjs') as typeof import('./tfjs');
    return tfjsReshape(config, name);
  },
  reductionSize: () => 0,
  describe: (config) => `to ${formatShape(config.targetShape.map((d) => (d === -1 ? null : d)))}`,
};
