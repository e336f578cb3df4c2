/**
 * Test-set evaluation of the trained model: the layer path's logits for every test image (in batches, to
 * bound memory), accuracy over all of them and over seed 002's first 128 (`test_len = 128`), and the
 * misclassified images for the picture.
 */
import type * as tf from '@tensorflow/tfjs';
import { predictLayers } from '../../src/model/predict';
import type { NdArray } from '../../src/tensor';
import { CLASSES, IMAGE_SIZE, imagesToInput, range, type MnistSplit, type PixelScaling } from './dataset';

/** Seed 002 tests on `mnist.test.images[:test_len]` with test_len = 128. */
export const SEED_TEST_LEN = 128;

export interface Accuracy {
  /** Images scored. */
  readonly images: number;
  readonly correct: number;
  /** correct / images. */
  readonly accuracy: number;
}

export interface Misclassified {
  /** Index in the test split. */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
}

/**
 * The layer path (model.predict) on the first `count` images of a split, `batchSize` at a time, pixels
 * scaled by `scaling`.
 * @returns logits [count, 10], float32
 */
export function predictLogits(model: tf.LayersModel, split: MnistSplit, scaling: PixelScaling, count: number, batchSize: number): NdArray {
  const logits = new Float32Array(count * CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const input = { shape: [end - start, IMAGE_SIZE, IMAGE_SIZE], data: imagesToInput(split, range(start, end), scaling) };
    logits.set(predictLayers(model, input).data, start * CLASSES);
  }
  return { shape: [count, CLASSES], data: logits };
}

/**
 * Index of the largest value in each row (the first on ties, as tf.argMax and np.argmax).
 * @param values [rows, cols]
 * @returns [rows]
 */
export function argmaxRows(values: NdArray): Int32Array {
  const [rows, cols] = values.shape;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values.data[r * cols + c] > values.data[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Accuracy of predicted classes over the first `images` labels. */
export function accuracyOf(predicted: Int32Array, labels: Uint8Array, images: number = predicted.length): Accuracy {
  let correct = 0;
  for (let i = 0; i < images; i++) if (predicted[i] === labels[i]) correct++;
  return { images, correct, accuracy: images === 0 ? NaN : correct / images };
}

/** The first `limit` misclassified images, in test-set order. */
export function misclassified(predicted: Int32Array, labels: Uint8Array, limit: number): Misclassified[] {
  const out: Misclassified[] = [];
  for (let i = 0; i < predicted.length && out.length < limit; i++) {
    if (predicted[i] !== labels[i]) out.push({ index: i, label: labels[i], predicted: predicted[i] });
  }
  return out;
}
