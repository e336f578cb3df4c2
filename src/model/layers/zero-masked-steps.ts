/**
 * ZeroMaskedSteps: zeroes the steps its input mask marks as padding, [batch, timeSteps, units] * mask.
 * No weights. What Keras's zero_output_for_mask does to a returned sequence, which tfjs's RNN layers lack:
 * Keras 3's Bidirectional forces zero_output_for_mask = return_sequences on both its layers, so a padded step
 * of its output is zero in Keras, while tfjs repeats the previous step's output there (measured: up to 0.7
 * apart on weights/keras-models/text-masked-bidirectional). Placed right after such a layer on the layer path;
 * exact, since the real steps are multiplied by 1.
 */
import * as tf from '@tensorflow/tfjs';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

export class ZeroMaskedSteps extends tf.layers.Layer {
  /** @nocollapse */
  static readonly className = 'ZeroMaskedSteps';

  constructor(args: { name?: string } = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = kwargs?.mask as tf.Tensor | undefined;
    if (mask === undefined || mask === null) return x;
    return tf.tidy(() => tf.mul(x, tf.expandDims(tf.cast(mask, x.dtype), -1)));
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return mask as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(ZeroMaskedSteps);
