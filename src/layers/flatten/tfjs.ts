import * as tf from '@tensorflow/tfjs';
import type { FlattenConfig } from '.';

type InputSpec = tf.layers.Layer['inputSpec'][number];

/** tfjs's Flatten, with its dataFormat. */
export function tfjsFlatten(config: FlattenConfig, name: string): tf.layers.Layer {
  const layer = tf.layers.flatten({ name, dataFormat: config.dataFormat === 'channels_first' ? 'channelsFirst' : 'channelsLast' });
  // Parity note: tfjs's Flatten declares inputSpec minNDim 3, Keras's accepts rank 2 ([batch, features] ->
  // itself). tfjs's computation (K.batchFlatten, a reshape to [batch, -1]) is right for rank 2 as well, so
  // the spec is relaxed to match Keras's.
  layer.inputSpec = [{ minNDim: 2 } as InputSpec];
  return layer;
}
