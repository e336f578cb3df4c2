import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activations/tfjs';
import { dilatedSize } from '../window-1d';
import type { Conv1dConfig } from '.';

type Args = Parameters<typeof tf.layers.conv1d>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];
type Shape = (number | null)[];

/**
 * tfjs's Conv1D, with Keras's causal padding.
 * Parity note: tfjs 4.22's conv1dWithBias throws NotImplementedError for padding 'causal' (and its
 * computeOutputShape treats causal as valid). Keras 3's Conv1D.call pads dilation_rate * (kernel_size - 1)
 * zeros on the left and convolves with padding valid; this layer does the same: a valid tfjs Conv1D whose
 * call pads its input first and whose output shape counts the padding. Class and weights stay tfjs's Conv1D.
 * valid and same go to tfjs unchanged (tfjs's same is TensorFlow's: floor(total / 2) zeros on the left).
 */
export function tfjsConv1d(config: Conv1dConfig, name: string): tf.layers.Layer {
  const causal = config.padding === 'causal';
  const layer = tf.layers.conv1d({
    name,
    filters: config.filters,
    kernelSize: config.kernelSize,
    strides: config.strides,
    padding: causal ? 'valid' : config.padding,
    dilationRate: config.dilationRate,
    activation: tfjsActivation(config.activation),
    useBias: config.useBias,
    kernelInitializer: 'zeros',
    biasInitializer: 'zeros',
  } as Args);
  if (!causal) return layer;
  const padLeft = dilatedSize(config.kernelSize, config.dilationRate) - 1;
  const validCall = layer.call.bind(layer);
  const validShape = layer.computeOutputShape.bind(layer);
  layer.call = (inputs, kwargs: Kwargs) =>
    tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return validCall(
        tf.pad(x, [
          [0, 0],
          [padLeft, 0],
          [0, 0],
        ]),
        kwargs,
      );
    });
  layer.computeOutputShape = (inputShape) => {
    const [batch, steps, channels] = inputShape as Shape;
    return validShape([batch, steps === null ? null : steps + padLeft, channels]);
  };
  return layer;
}
