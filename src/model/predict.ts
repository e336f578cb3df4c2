/** Runs the layer path's forward pass on the active backend and brings the output back to the host. */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors';
import { formatShape, type NdArray } from '../tensor';

/**
 * input: [batch, timeSteps, inputDim], float32 values (the layer path computes in float32)
 * -> output [batch, denseUnits] or [batch, timeSteps, denseUnits]. Leaves no tensor behind.
 * @throws ShapeError when the input is not rank 3.
 */
export function predictLayers(model: tf.LayersModel, input: NdArray): NdArray {
  if (input.shape.length !== 3) {
    throw new ShapeError(`input: expected rank 3 [batch, timeSteps, inputDim], got ${formatShape(input.shape)}`);
  }
  const x = tf.tensor3d(Float32Array.from(input.data), input.shape as [number, number, number], 'float32');
  try {
    const y = model.predict(x) as tf.Tensor;
    try {
      return { shape: y.shape.slice(), data: Float32Array.from(y.dataSync() as Float32Array) };
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}
