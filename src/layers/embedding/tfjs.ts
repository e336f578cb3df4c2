import * as tf from '@tensorflow/tfjs';
import type { EmbeddingConfig } from '.';

export function tfjsEmbedding(config: EmbeddingConfig, name: string): tf.layers.Layer {
  return tf.layers.embedding({ name, inputDim: config.inputDim, outputDim: config.outputDim, maskZero: config.maskZero, embeddingsInitializer: 'zeros' });
}
