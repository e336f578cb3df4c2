/**
 * The parity check of a trained model on real data: the hand path (forwardHandParallel, float64, the
 * batch split across threads) recomputes the logits of every test image from the extracted weights,
 * `batchSize` images at a time, and each batch is
 * compared with the layer path's logits; the batch reports merge into one ParityReport over [images, 10].
 * Beside the element-wise verdict: on how many images both paths pick the same class.
 */
import { compareOutputs, type ParityReport, type Tolerance } from '../../src/compare/compare';
import { mergeReports, type ChunkReport } from '../../src/compare/merge';
import type { Precision } from '../../src/hand/forward';
import { forwardHandParallel } from '../../src/hand/parallel';
import type { NdArray } from '../../src/tensor';
import type { RnnWeights } from '../../src/weights';
import { CLASSES, IMAGE_SIZE, imagesToInput, range, type MnistSplit, type PixelScaling } from './dataset';
import { argmaxRows } from './evaluate';

export interface TrainedParity {
  /** Over all images: shape [images, 10]; worstIndex is [test image, class]. */
  readonly report: ParityReport;
  readonly images: number;
  /** Images whose argmax class is the same on both paths. */
  readonly sameClass: number;
  /** The hand path's logits, [images, 10] (float64). */
  readonly handLogits: NdArray;
  readonly precision: Precision;
}

/**
 * Checks the hand path against the layer path's logits on the first `layerLogits.shape[0]` images of `split`.
 * @param weights the trained model's weights (extractWeights)
 * @param scaling how pixels became inputs for the layer path (the same here)
 * @param layerLogits [images, 10], the layer path's output on those images (predictLogits)
 * @param batchSize images per forwardHand call (memory: the hand path holds [batch, 28, 4*units] doubles)
 * @throws ShapeError when the weights do not fit a [batch, 28, 28] input.
 */
export async function checkTrainedParity(
  weights: RnnWeights,
  split: MnistSplit,
  scaling: PixelScaling,
  layerLogits: NdArray,
  tolerance: Tolerance,
  batchSize: number,
  precision: Precision = 'float64',
): Promise<TrainedParity> {
  const images = layerLogits.shape[0];
  const hand = new Float64Array(images * CLASSES);
  const chunks: ChunkReport[] = [];
  for (let start = 0; start < images; start += batchSize) {
    const end = Math.min(images, start + batchSize);
    const input = { shape: [end - start, IMAGE_SIZE, IMAGE_SIZE], data: imagesToInput(split, range(start, end), scaling) };
    const expected = await forwardHandParallel(weights, input, precision);
    const actual = { shape: [end - start, CLASSES], data: layerLogits.data.subarray(start * CLASSES, end * CLASSES) };
    chunks.push({ report: compareOutputs(actual, expected, tolerance), firstSample: start });
    hand.set(expected.data, start * CLASSES);
  }
  const handLogits = { shape: [images, CLASSES], data: hand };
  const layerClass = argmaxRows(layerLogits);
  const handClass = argmaxRows(handLogits);
  let sameClass = 0;
  for (let i = 0; i < images; i++) if (layerClass[i] === handClass[i]) sameClass++;
  const report = chunks.length > 0 ? mergeReports(chunks) : compareOutputs(layerLogits, handLogits, tolerance);
  return { report, images, sameClass, handLogits, precision };
}
