/**
 * The layer path's Subtract. tfjs 4.22 has no Subtract layer (tf.layers has add, multiply, average, maximum,
 * minimum, concatenate and dot), so this is a small custom layer: x0 - x1 on two inputs of one shape, as
 * Keras 3's Subtract._merge_function (ops.subtract). Registered under the class name 'Subtract', which
 * tfjs itself does not use, so a model.json it saves names Keras's class.
 */
import * as tf from '@tensorflow/tfjs';
import type { SubtractConfig } from '.';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];
type Shape = (number | null)[];

class Subtract extends tf.layers.Layer {
  /** @nocollapse */
  static readonly className = 'Subtract';

  /** Two inputs of one shape -> that shape (the graph has checked them: src/layers/merge.ts). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    return shapes[0].map((d, i) => d ?? shapes[1][i]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = inputs as tf.Tensor[];
      return tf.sub(a, b);
    });
  }
}
tf.serialization.registerClass(Subtract);

export function tfjsSubtract(_config: SubtractConfig, name: string): tf.layers.Layer {
  return new Subtract({ name });
}
