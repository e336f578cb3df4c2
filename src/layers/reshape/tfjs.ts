import * as tf from '@tensorflow/tfjs';
import type { ReshapeConfig } from '.';

type Shape = (number | null)[];

/** tfjs-layers' Reshape internals used below (a public method in its JS, not in its typings). */
interface TfjsReshape {
  fixUnknownDimension(inputShape: number[], outputShape: number[]): number[];
}

/**
 * tfjs's Reshape; its call resolves the -1 as Keras does.
 * Parity note: tfjs 4.22's Reshape.computeOutputShape counts the (always unknown) batch axis as an unknown
 * dimension, so the symbolic output keeps the -1 as null even when the input fixes it (Keras: [None, 784] with
 * target (-1, 28) -> [None, 28, 28]; tfjs: [null, null, 28]), and a layer after it that needs that size (a
 * Dense after target (4, -1)) cannot build. This layer's computeOutputShape looks at the non-batch axes only,
 * as Keras's compute_reshape_output_shape does; the class and its saved config stay tfjs's Reshape.
 */
export function tfjsReshape(config: ReshapeConfig, name: string): tf.layers.Layer {
  const targetShape = [...config.targetShape];
  const layer = tf.layers.reshape({ name, targetShape });
  const internals = layer as unknown as TfjsReshape;
  layer.computeOutputShape = (inputShape) => {
    const [batch, ...dims] = inputShape as Shape;
    if (dims.some((d) => d === null)) return [batch, ...targetShape.map((d) => (d === -1 ? null : d))];
    return [batch, ...internals.fixUnknownDimension(dims as number[], targetShape)];
  };
  return layer;
}
