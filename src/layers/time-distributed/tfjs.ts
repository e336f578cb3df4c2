import * as tf from '@tensorflow/tfjs';
import type { TimeDistributedConfig } from '.';

export function tfjsTimeDistributed(config: TimeDistributedConfig, name: string): tf.layers.Layer {
  return tf.layers.timeDistributed({ name, layer: config.layer.kind.tfjsLayer(config.layer.config, `${name}_layer`) });
}
