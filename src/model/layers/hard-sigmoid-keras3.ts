/**
 * Keras 3's hard_sigmoid as a tfjs activation: relu6(x + 3) / 6 (= clip(x/6 + 0.5, 0, 1) in exact
 * arithmetic). tfjs's own 'hardSigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1); they differ by up to
 * 0.083 (at |x| = 2.5), so this one is registered under its own name.
 *
 * How tfjs finds it: tfjs-layers' getActivation('hardSigmoidKeras3') builds
 * {className: 'hardSigmoidKeras3', config: {}} and looks the class name up in tf.serialization's
 * registry, the same table registerClass fills. So the built-in tf.layers.lstm and tf.layers.gru
 * accept it as recurrentActivation (the typed options list only tfjs's names, hence a cast at the
 * call site), save it as 'hard_sigmoid_keras3' (tfjs snake-cases config strings) and map that back
 * to 'hardSigmoidKeras3' on load (camel-case), as long as this module has been imported.
 */
import * as tf from '@tensorflow/tfjs';

/** The name tfjs saves and looks up. Activation class names are lowerCamelCase in tfjs ('hardSigmoid'). */
export const HARD_SIGMOID_KERAS3 = 'hardSigmoidKeras3';

export class HardSigmoidKeras3 extends tf.serialization.Serializable {
  /** @nocollapse */
  static readonly className = HARD_SIGMOID_KERAS3;

  /**
   * x: any shape -> same shape.
   * Parity note: Keras 3's TensorFlow backend computes relu6(x + 3.0) / 6.0 (keras/src/backend/tensorflow/nn.py),
   * so we round the same two float32 operations, not clip(x/6 + 0.5).
   */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(HardSigmoidKeras3);
