import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activations/tfjs';
import type { ActivationConfig } from '.';

type Args = Parameters<typeof tf.layers.activation>[0];

/** tfjs's Activation layer with the tfjs identifier of our activation (a built-in or a registered custom one). */
export function tfjsActivationLayer(config: ActivationConfig, name: string): tf.layers.Layer {
  return tf.layers.activation({ name, activation: tfjsActivation(config.activation) } as Args);
}
