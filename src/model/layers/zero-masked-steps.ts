/**
 * ZeroMaskedSteps: zeroes the steps its input mask marks as padding, [batch, timeSteps, units] * mask.
 * No weights. What Keras's zero_output_for_mask does to a returned sequence, which tfjs's RNN layers lack:
 * Keras 3's Bidirectional forces zero_output_for_mask = return_sequences on both its layers, so a padded step
 * of its output is zero in Keras, while tfjs repeats the previous step's output there (measured: up to 0.7
 * apart on models/keras-models/text-masked-bidirectional). Placed right after such a layer on the layer path;
 * exact, since the real steps are multiplied by 1.
 */
import * as tf from '@tensorflow/tfjs';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

export class ZeroMaskedSteps extends tf.layers.Layer {
  /** @nocollapse */
  static readonly className = 'ZeroMaskedSteps';

  /**
   * After a go_backwards layer: output step s is the state after reading input step T-1-s, and Keras's rnn()
   * zeroes it where the (reversed) mask marks step T-1-s as padding; the mask the layer passes on stays in input
   * order (Keras's RNN.compute_mask), so it is reversed here.
   */
  readonly reverseTime: boolean;

  constructor(args: { name?: string; reverseTime?: boolean } = {}) {
    super(args);
    this.supportsMasking = true;
    this.reverseTime = args.reverseTime ?? false;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = kwargs?.mask as tf.Tensor | undefined;
    if (mask === undefined || mask === null) return x;
    return tf.tidy(() => {
      // [batch, timeSteps] -> [batch, timeSteps, 1], in output order
      const steps = this.reverseTime ? tf.reverse(mask, 1) : mask;
      return tf.mul(x, tf.expandDims(tf.cast(steps, x.dtype), -1));
    });
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return mask as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), reverseTime: this.reverseTime };
  }
}
tf.serialization.registerClass(ZeroMaskedSteps);
