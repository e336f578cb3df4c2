/** The Subtract merge kind: x0 - x1, exactly two inputs; a custom tfjs layer (tfjs 4.22 has no Subtract). */
import * as tf from '@tensorflow/tfjs';
import { subtract } from '../../src/layers/subtract';
import { A, B, describeMerge } from './merge-cases';

describeMerge({
  kind: subtract,
  name: 'subtract',
  maxInputs: 2,
  worked: [
    // [1 - 4, -2 - 5, 3 + 6]
    ['a - b', [A, B], [-3, -7, 9], [-3, -7, 9]],
    ['b - a', [B, A], [3, 7, -9], [3, 7, -9]],
  ],
});

test('tfjs 4.22 has no Subtract layer of its own: the layer path registers one under that class name', () => {
  expect((tf.layers as Record<string, unknown>).subtract).toBeUndefined();
  const layer = subtract.tfjsLayer({}, 'sub');
  expect(layer.getClassName()).toBe('Subtract');
  expect(tf.serialization.SerializationMap.getMap().classNameMap.Subtract).toBeDefined();
});
