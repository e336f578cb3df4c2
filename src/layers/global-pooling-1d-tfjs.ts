/** The tfjs halves of the global pooling kinds share this: keepdims, which tfjs 4.22's layers lack. */
import * as tf from '@tensorflow/tfjs';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];
type Shape = (number | null)[];

/**
 * With keepdims, makes tfjs's global pooling layer output [batch, 1, channels] (its call's [batch, channels]
 * with the time axis added back, and the symbolic shape to match); without, returns it unchanged.
 */
export function withKeepdims(layer: tf.layers.Layer, keepdims: boolean): tf.layers.Layer {
  if (!keepdims) return layer;
  const call = layer.call.bind(layer);
  const outputShape = layer.computeOutputShape.bind(layer);
  layer.call = (inputs, kwargs: Kwargs) => tf.tidy(() => tf.expandDims(call(inputs, kwargs) as tf.Tensor, 1));
  layer.computeOutputShape = (inputShape) => {
    const [batch, channels] = outputShape(inputShape) as Shape;
    return [batch, 1, channels];
  };
  return layer;
}
