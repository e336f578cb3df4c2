/**
 * Flatten: [batch, d1, ..., dk] -> [batch, d1 * ... * dk]. With data_format channels_first (and rank >= 3)
 * the channel axis d1 moves last first: [batch, d2, ..., dk, d1], then flattens. Keras `Flatten`, tfjs
 * `Flatten`. No weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { LayerKind } from '../kind';
import { flattenBackward } from './backward';
import { flattenForward } from './hand';

const DATA_FORMATS = ['channels_last', 'channels_first'] as const;
type DataFormat = (typeof DATA_FORMATS)[number];

export interface FlattenConfig {
  readonly dataFormat: DataFormat;
}

function formatShape(shape: Shape): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

/**
 * [batch, d1, ..., dk] -> [batch, d1 * ... * dk].
 * @throws ShapeError for other than one input of rank >= 2, or an unknown non-batch dimension (a Flatten over
 * an unknown time dimension has no fixed width; tfjs refuses it too)
 */
function flattenOutputShape(inputs: readonly Shape[]): Shape {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length < 2) {
    throw new ShapeError(`Flatten: expected one input of rank >= 2, got ${inputs.map(formatShape).join(' and ') || 'none'}`);
  }
  const dims = input.slice(1);
  if (dims.some((d) => d === null)) {
    throw new ShapeError(`Flatten: expected every non-batch dimension known, got ${formatShape(input)}`);
  }
  return [input[0], (dims as number[]).reduce((a, b) => a * b, 1)];
}

export const flatten: LayerKind<FlattenConfig> = {
  kind: 'flatten',
  kerasClass: 'Flatten',
  tfjsClasses: ['Flatten'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    // Keras 3 writes the resolved format (standardize_data_format turns None into channels_last); tfjs's
    // model.json writes it only when set, snake-cased: 'channels_first'.
    // null (Keras 2's default) means the backend's image_data_format, channels_last.
    if (raw.data_format === null) ctx.ignore('data_format');
    const config = { dataFormat: raw.data_format === null ? 'channels_last' : ctx.choice(raw, 'data_format', DATA_FORMATS, 'channels_last') };
    ctx.finish(raw);
    return config;
  },
  outputShape: (_config, inputs) => flattenOutputShape(inputs),
  weightShapes: () => [],
  forward: (config, _weights, [input], arith) => flattenForward(config, input, arith),
  backward: (config, _weights, [input], [outputGrad], arith) => flattenBackward(config, input, outputGrad, arith),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsFlatten } = require('./tfjs') as typeof import('./tfjs');
    return tfjsFlatten(config, name);
  },
  reductionSize: () => 0,
  describe: (config) => (config.dataFormat === 'channels_first' ? 'channels_first' : ''),
};
