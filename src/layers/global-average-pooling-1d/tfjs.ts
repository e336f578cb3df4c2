import * as tf from '@tensorflow/tfjs';
import { withKeepdims } from '../global-pooling-1d-tfjs';
import type { GlobalAveragePooling1dConfig } from '.';

/** tfjs's GlobalAveragePooling1D (tf.mean over the time axis); keepdims added back where set (a parity note). */
export function tfjsGlobalAveragePooling1d(config: GlobalAveragePooling1dConfig, name: string): tf.layers.Layer {
  return withKeepdims(tf.layers.globalAveragePooling1d({ name }), config.keepdims);
}
