import * as tf from '@tensorflow/tfjs';
import type { AverageConfig } from '.';

/** tfjs-layers' Merge internals used below (a method in its JS, not in its typings). */
interface TfjsMerge {
  mergeFunction(inputs: tf.Tensor[]): tf.Tensor;
}

/**
 * tfjs's Average, dividing as Keras does.
 * Parity note: tfjs 4.22's Average multiplies the sum by 1 / n (in float32), Keras 3's divides the sum by n;
 * for n a power of 2 the two are the same, otherwise they differ by 1 float32 ulp on many elements (three
 * inputs U(-1, 1), 1024 elements: 344 differ, by at most 5.96e-8; test/layers/average.test.ts). This
 * layer's mergeFunction sums left to right and divides, as Keras's _merge_function; class and config stay
 * tfjs's Average.
 */
export function tfjsAverage(_config: AverageConfig, name: string): tf.layers.Layer {
  const layer = tf.layers.average({ name });
  (layer as unknown as TfjsMerge).mergeFunction = (inputs) =>
    tf.tidy(() => {
      let sum = inputs[0];
      for (const x of inputs.slice(1)) sum = tf.add(sum, x);
      return tf.div(sum, tf.scalar(inputs.length));
    });
  return layer;
}
