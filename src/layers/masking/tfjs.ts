import * as tf from '@tensorflow/tfjs';
import type { MaskingConfig } from '.';

export function tfjsMasking(config: MaskingConfig, name: string): tf.layers.Layer {
  return tf.layers.masking({ name, maskValue: config.maskValue });
}
