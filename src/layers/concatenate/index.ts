/**
 * Concatenate: the inputs joined along `axis` (default -1, the features); every other axis must match.
 * Keras `Concatenate`, tfjs `Concatenate`. No weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Dim, Shape } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { mergeDim } from '../merge';
import { formatShape } from '../window-1d';
import { concatenateBackward } from './backward';
import { concatAxis, concatenateForward } from './hand';

export interface ConcatenateConfig {
  /** As written: negative counts from the end; never the batch axis. */
  readonly axis: number;
}

/** Largest rank accepted. */
const MAX_RANK = 8;

function outputShape(config: ConcatenateConfig, inputs: readonly Shape[]): Shape {
  const shapes = inputs.map(formatShape).join(' and ') || 'none';
  if (inputs.length < 2) throw new ShapeError(`Concatenate: expected at least 2 inputs, got ${inputs.length} (${shapes})`);
  const rank = inputs[0].length;
  if (inputs.some((s) => s.length !== rank)) throw new ShapeError(`Concatenate: expected inputs of one rank, got ${shapes}`);
  const axis = concatAxis(config.axis, rank);
  const out: Dim[] = [...inputs[0]];
  for (const shape of inputs.slice(1)) {
    shape.forEach((d, i) => {
      if (i === axis) {
        out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
        return;
      }
      const merged = mergeDim(out[i], d);
      if (merged === undefined) throw new ShapeError(`Concatenate: expected inputs matching on every axis but ${config.axis}, got ${shapes}`);
      out[i] = merged;
    });
  }
  return out;
}

export const concatenate: LayerKind<ConcatenateConfig> = {
  kind: 'concatenate',
  kerasClass: 'Concatenate',
  tfjsClasses: ['Concatenate'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const value = ctx.value(raw, 'axis');
    let axis = -1;
    if (typeof value === 'number' && Number.isInteger(value) && value !== 0 && Math.abs(value) < MAX_RANK) axis = value;
    else if (value !== undefined && value !== null)
      ctx.block('axis', value, `expected a non-zero integer from ${1 - MAX_RANK} to ${MAX_RANK - 1} (0 is the batch axis)`);
    ctx.finish(raw);
    return { axis };
  },
  outputShape,
  weightShapes: () => [],
  forward: (config, _weights, inputs, arith) => concatenateForward(config, inputs, arith),
  backward: (config, _weights, inputs, [outputGrad], arith) => concatenateBackward(config, inputs, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsConcatenate } = require('./tfjs') as typeof import('./tfjs');
    return tfjsConcatenate(config, name);
  },
  reductionSize: () => 0,
  parityNotes: (config) =>
    config.axis < -1
      ? [
          {
            id: 'concatenate-negative-axis',
            text: `Concatenate axis=${config.axis}: tfjs 4.22's Concatenate joins along the last axis for every negative axis; the layer path concatenates along the axis Keras does (rank ${config.axis})`,
          },
        ]
      : [],
  describe: (config) => (config.axis === -1 ? '' : `axis ${config.axis}`),
};
