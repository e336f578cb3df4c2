/**
 * The parity check of a trained model on real data: the hand path (forwardHandParallel, float64, the
 * batch split across threads) recomputes the logits of every test image from the extracted weights,
 * `batchSize` images at a time, and each batch is
 * compared with the layer path's logits; the batch reports merge into one ParityReport over [images, 10].
 * Beside the element-wise verdict: on how many images both paths pick the same class.
 */
import { compareOutputs, type ParityReport, type Tolerance } from '../../src/compare/compare';
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
 * How bad a report's worst element is, ordered as compareOutputs orders elements: any element over
 * tolerance ranks above every element within it; then by excess |a - b| - (atol + rtol*|b|) (Infinity for a
 * non-finite pair) over tolerance, by |a - b| within it.
 */
function worstScore(report: ParityReport): [number, number] {
  const diff = Math.abs(report.worstActual - report.worstExpected);
  if (report.overTolerance === 0) return [0, Number.isNaN(diff) ? -1 : diff];
  if (!Number.isFinite(diff)) return [1, Infinity];
  return [1, diff - (report.tolerance.atol + report.tolerance.rtol * Math.abs(report.worstExpected))];
}

/** Max of two errors where NaN means "no finite pair": NaN only when both are. */
function maxError(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
}

/** Folds the report of one batch, whose first row is row `offset` overall, into the running one. */
function mergeReports(total: ParityReport | null, batch: ParityReport, offset: number): ParityReport {
  const shifted = { ...batch, worstIndex: batch.worstIndex === null ? null : [batch.worstIndex[0] + offset, ...batch.worstIndex.slice(1)] };
  if (total === null) return shifted;
  const [batchKind, batchValue] = worstScore(shifted);
  const [totalKind, totalValue] = worstScore(total);
  // Strictly worse only, so the first in row-major order wins ties, as in compareOutputs.
  const batchWorse = batchKind > totalKind || (batchKind === totalKind && batchValue > totalValue);
  const worst = batchWorse ? shifted : total;
  const rows = total.actualShape[0] + batch.actualShape[0];
  return {
    ...total,
    worstIndex: worst.worstIndex,
    worstActual: worst.worstActual,
    worstExpected: worst.worstExpected,
    pass: total.pass && batch.pass,
    shapeMatch: total.shapeMatch && batch.shapeMatch,
    actualShape: [rows, ...total.actualShape.slice(1)],
    expectedShape: [rows, ...total.expectedShape.slice(1)],
    elements: total.elements + batch.elements,
    maxAbsError: maxError(total.maxAbsError, batch.maxAbsError),
    maxRelError: maxError(total.maxRelError, batch.maxRelError),
    overTolerance: total.overTolerance + batch.overTolerance,
    nonFinite: { actual: total.nonFinite.actual + batch.nonFinite.actual, expected: total.nonFinite.expected + batch.nonFinite.expected },
  };
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
  let report: ParityReport | null = null;
  for (let start = 0; start < images; start += batchSize) {
    const end = Math.min(images, start + batchSize);
    const input = { shape: [end - start, IMAGE_SIZE, IMAGE_SIZE], data: imagesToInput(split, range(start, end), scaling) };
    const expected = await forwardHandParallel(weights, input, precision);
    const actual = { shape: [end - start, CLASSES], data: layerLogits.data.subarray(start * CLASSES, end * CLASSES) };
    report = mergeReports(report, compareOutputs(actual, expected, tolerance), start);
    hand.set(expected.data, start * CLASSES);
  }
  const handLogits = { shape: [images, CLASSES], data: hand };
  const layerClass = argmaxRows(layerLogits);
  const handClass = argmaxRows(handLogits);
  let sameClass = 0;
  for (let i = 0; i < images; i++) if (layerClass[i] === handClass[i]) sameClass++;
  return { report: report ?? compareOutputs(layerLogits, handLogits, tolerance), images, sameClass, handLogits, precision };
}
