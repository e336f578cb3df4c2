import * as tf from '@tensorflow/tfjs';
import { withKeepdims } from '../global-pooling-1d-tfjs';
import type { GlobalMaxPooling1dConfig } from '.';

/** tfjs's GlobalMaxPooling1D (tf.max over the time axis); keepdims added back where set (a parity note). */
export function tfjsGlobalMaxPooling1d(config: GlobalMaxPooling1dConfig, name: string): tf.layers.Layer {
  return withKeepdims(tf.layers.globalMaxPooling1d({ name }), config.keepdims);
}
