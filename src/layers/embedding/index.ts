/**
 * Embedding: token ids [batch, ...] -> vectors [batch, ..., outputDim], y = embeddings[id]. Keras `Embedding`,
 * tfjs `Embedding`. Weights: embeddings [inputDim, outputDim]. With mask_zero, id 0 is padding: the output
 * carries a mask [batch, timeSteps] that recurrent layers downstream honour.
 */
import type * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import { ignoreTrainingOptions, readCommonOptions, refuseQuantization } from '../common-options';
import type { LayerKind } from '../kind';
import { embeddingBackward } from './backward';
import { embeddingForward, embeddingMask } from './hand';

export interface EmbeddingConfig {
  /** Vocabulary size: ids run from 0 to inputDim - 1. */
  readonly inputDim: number;
  readonly outputDim: number;
  /** Id 0 is padding: the output carries a mask. */
  readonly maskZero: boolean;
}

/** Largest vocabulary and width accepted. */
const MAX_VOCABULARY = 2 ** 24;
const MAX_OUTPUT_DIM = 65536;

function checkRank(inputs: readonly Shape[]): Shape {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length < 2) {
    throw new ShapeError(
      `Embedding: expected one input of token ids [batch, ...], got ${inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ')}`,
    );
  }
  return input;
}

export const embedding: LayerKind<EmbeddingConfig> = {
  kind: 'embedding',
  kerasClass: 'Embedding',
  tfjsClasses: ['Embedding'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    ignoreTrainingOptions(ctx, 'embeddings');
    refuseQuantization(raw, ctx);
    ctx.ignore('input_length');
    ctx.only(raw, 'sparse', false, 'sparse embeddings are not checked');
    const config = {
      inputDim: ctx.positiveInt(raw, 'input_dim', MAX_VOCABULARY),
      outputDim: ctx.positiveInt(raw, 'output_dim', MAX_OUTPUT_DIM),
      maskZero: ctx.bool(raw, 'mask_zero', false),
    };
    ctx.finish(raw);
    return config;
  },
  outputShape: (config, inputs) => [...checkRank(inputs), config.outputDim],
  weightShapes: (config, inputs) => {
    checkRank(inputs);
    return [{ name: 'embeddings', shape: [config.inputDim, config.outputDim] }];
  },
  forward: (config, [embeddings], [input]) => embeddingForward(config, embeddings, input),
  backward: (config, _weights, [input], [outputGrad], arith) => embeddingBackward(config, input, outputGrad, arith),
  computeMask: (config, [input]) => (config.maskZero ? embeddingMask(input) : undefined),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsEmbedding } = require('./tfjs') as typeof import('./tfjs');
    return tfjsEmbedding(config, name);
  },
  // A lookup, no dot product: it adds no rounding.
  reductionSize: () => 0,
  parityNotes: (config) =>
    config.maskZero
      ? [{ id: 'mask-zero', text: 'mask_zero=True: id 0 is padding; recurrent layers below keep their state over padded steps, as Keras and tfjs do' }]
      : [],
  describe: (config) => `vocabulary ${config.inputDim}, ${config.outputDim} dims${config.maskZero ? ', mask_zero' : ''}`,
};
