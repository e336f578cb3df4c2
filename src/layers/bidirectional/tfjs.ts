import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';
import { ZeroMaskedSteps } from '../../model/layers';
import type { BidirectionalConfig } from '.';

/**
 * tfjs's Bidirectional builds its backward layer itself, from the forward layer's config with go_backwards
 * flipped; an explicit backward layer that differs from that cannot be expressed, so it is refused here.
 */
export function tfjsBidirectional(config: BidirectionalConfig, name: string): tf.layers.Layer {
  const { forward, backward } = config;
  if (config.explicitBackward) {
    const same =
      JSON.stringify({ ...backward.config, goBackwards: false }) === JSON.stringify({ ...forward.config, goBackwards: false }) &&
      backward.kind === forward.kind;
    if (!same) throw new ConfigError(`${name}: expected a backward_layer like the forward layer (tfjs's Bidirectional builds its own), got another`);
  }
  const inner = forward.kind.tfjsLayer(forward.config, `${name}_forward`) as tf.RNN;
  // Parity note: tfjs returns [y, yRev] for a null merge mode, as Keras's merge_mode=None does.
  return tf.layers.bidirectional({ name, layer: inner, mergeMode: config.mergeMode as 'concat' });
}

/**
 * Parity note: Keras forces zero_output_for_mask = return_sequences on both halves; tfjs repeats the previous
 * output at a padded step instead. Zeroing the padded steps after the merge is exact for every merge mode
 * (0 + 0, 0 * 0, (0 + 0) / 2), and does nothing without a mask.
 */
export function bidirectionalAfter(config: BidirectionalConfig, name: string): tf.layers.Layer[] {
  return config.forward.config.returnSequences ? [new ZeroMaskedSteps({ name: `${name}_zero_masked_steps` })] : [];
}
