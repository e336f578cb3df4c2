import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activations/tfjs';
import type { DenseConfig } from '.';

type Args = Parameters<typeof tf.layers.dense>[0];

export function tfjsDense(config: DenseConfig, name: string): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units: config.units,
    activation: tfjsActivation(config.activation),
    useBias: config.useBias,
    kernelInitializer: 'zeros',
    biasInitializer: 'zeros',
  } as Args);
}
