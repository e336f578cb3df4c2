import * as tf from '@tensorflow/tfjs';
import type { ConcatenateConfig } from '.';

/** tfjs-layers' Merge internals used below (a method in its JS, not in its typings). */
interface TfjsMerge {
  mergeFunction(inputs: tf.Tensor[]): tf.Tensor;
}

/**
 * tfjs's Concatenate along the same axis.
 * Parity note: tfjs 4.22's Concatenate calls its backend's K.concatenate, which turns every negative axis into
 * the last one: axis -2 joins along the features, not the time steps as Keras's does (on [2, 4, 3] and [2, 1, 3]
 * it throws; on equal shapes it silently joins the wrong axis). Its symbolic output shape is right. This
 * layer's mergeFunction is tf.concat(inputs, axis), which resolves a negative axis as Keras does (rank + axis);
 * class and config stay tfjs's Concatenate.
 */
export function tfjsConcatenate(config: ConcatenateConfig, name: string): tf.layers.Layer {
  const layer = tf.layers.concatenate({ name, axis: config.axis });
  (layer as unknown as TfjsMerge).mergeFunction = (inputs) => tf.concat(inputs, config.axis);
  return layer;
}
