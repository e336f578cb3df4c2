/**
 * The demo's seed-002 section: the committed trained MNIST LSTM (models/mnist-lstm, written by
 * `rnn-parity train-mnist`) on the seed's own test, the first 128 test images (test_len = 128):
 *
 *   forward    accuracy of the layer path and the hand path, their logits compared (checkModel)
 *   gradients  one training step's gradients on a batch of those images with their labels as targets, softmax
 *              cross-entropy on the logits: tfjs autodiff vs the hand backward vs finite differences (checkGradients)
 *   update     one Keras-form Adam step from those gradients: tfjs (KerasAdamOptimizer, float32) vs the hand path's
 *              plain optimizer (float64), weights compared after it (trainStepParity, src/training)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackendChoice } from '../../src/backends';
import { packageRoot } from '../../apps/cli/package-root';
import { formatError } from '../../src/compare/summary';
import { readModelFile } from '../../src/formats/read-model';
import type { GradientDifference } from '../../src/gradients/compare-gradients';
import { checkModel } from '../../src/graph/check';
import { checkGradients, type TensorGradientRow } from '../../src/graph/gradient-check';
import type { GraphModel } from '../../src/graph/model';
import { imagesToInput, IMAGE_SIZE, loadMnist, range, type MnistSplit, type PixelScaling } from '../../apps/mnist/dataset';
import { argmaxRows, SEED_TEST_LEN } from '../../apps/mnist/evaluate';
import type { OptimizerSpec } from '../../src/optimizers/types';
import { formatShape, type NdArray } from '../../src/tensor';
import { trainStepParity } from '../../src/training';
import type { ComparisonLog } from './comparison-log';
import { header } from './print';

const SECTION = 'seed 002';
/** Counts and class ids: integers, equal or not. */
const EXACT = { atol: 0, rtol: 0 };
const MODEL_DIR = path.join('models', 'mnist-lstm');
/**
 * Images in the training step's batch: the first 16 of the 128. The finite differences run the float64 hand forward
 * 6 times per tensor (6 tensors) and the cpu backend differentiates the LSTM slowly, so the batch sets the section's
 * time. Measured on 2 busy cores, cpu backend: 13.2 s of CPU for the section with 32 images, 16 keep it under 10 s.
 */
const STEP_BATCH = 16;
/** Entries probed one by one per tensor by the finite differences (besides the random direction). */
const PROBED_ENTRIES = 2;
/** One step of seed 002's optimizer as train-mnist runs it by default: Adam in Keras's form, lr 0.001. */
const STEP_OPTIMIZER: OptimizerSpec = { name: 'adam', form: 'keras', learningRate: 0.001 };

/** What train-mnist recorded about the committed model (training.json) and how it reads pixels (model.json). */
interface CommittedModel {
  readonly model: GraphModel;
  readonly scaling: PixelScaling;
  readonly steps: number;
  readonly optimizer: string;
  readonly first128Correct: number;
}

function readCommitted(dir: string): CommittedModel {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const record = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8'));
  const opt = record.hyperparameters.optimizer;
  return {
    model: readModelFile(dir).model,
    scaling: json.userDefinedMetadata.rnnParity.pixelScaling,
    steps: record.hyperparameters.steps,
    optimizer: typeof opt === 'string' ? opt : `${opt.name} (${opt.form} form)`,
    first128Correct: record.test.first128.correct,
  };
}

/** The first `count` test images as one input [count, 28, 28], and their labels as class ids [count]. */
function firstTestImages(test: MnistSplit, scaling: PixelScaling, count: number): { x: NdArray; labels: NdArray } {
  return {
    x: { shape: [count, IMAGE_SIZE, IMAGE_SIZE], data: imagesToInput(test, range(0, count), scaling) },
    labels: { shape: [count], data: Float64Array.from(test.labels.subarray(0, count)) },
  };
}

function correctCount(predicted: Int32Array, labels: NdArray): number {
  return predicted.filter((c, i) => c === labels.data[i]).length;
}

/** The worst tensor of one pair of the gradient check (the largest scaled max error; a failing one first). */
function worstOf(rows: readonly TensorGradientRow[], pair: string): { name: string; difference: GradientDifference } {
  const found = rows.flatMap((row) => row.comparisons.filter((c) => c.pair === pair).map((c) => ({ name: row.name, difference: c.difference })));
  return found.reduce((a, b) => ((!b.difference.pass && a.difference.pass) || b.difference.scaledMaxError > a.difference.scaledMaxError ? b : a));
}

/** Forward: accuracy and logits of both paths on the seed's 128 test images. */
async function forwardPart(
  log: ComparisonLog,
  say: (...lines: string[]) => void,
  committed: CommittedModel,
  x: NdArray,
  labels: NdArray,
  backend: BackendChoice,
) {
  const result = await checkModel({ model: committed.model, backend, precision: 'float64', seed: 0, inputs: [x] });
  const out = result.outputs[0];
  const layer = argmaxRows(out.layer);
  const hand = argmaxRows(out.hand);
  const [layerCorrect, handCorrect] = [correctCount(layer, labels), correctCount(hand, labels)];
  const n = labels.data.length;
  const wrong = Array.from(layer.keys()).filter((i) => layer[i] !== labels.data[i]);
  say(`  accuracy on the first ${n} test images: layer path ${layerCorrect}/${n} (${((100 * layerCorrect) / n).toFixed(2)}%), hand path ${handCorrect}/${n};`);
  say(
    `    training.json recorded ${committed.first128Correct}/${n}; wrong: ${wrong.map((i) => `#${i} (true ${labels.data[i]}, predicted ${layer[i]})`).join(', ')}`,
  );
  const recorded = committed.first128Correct;
  log.compare(SECTION, 'correct: layer, hand vs training.json (exact)', toNd([layerCorrect, handCorrect]), toNd([recorded, recorded]), EXACT);
  log.compare(SECTION, `${n} predicted classes, layer vs hand (exact)`, toNd(Array.from(layer)), toNd(Array.from(hand)), EXACT);
  for (const c of result.comparisons) log.record(SECTION, `logits ${formatShape(out.layer.shape)}, ${c.name}`, c.report);
}

/** Gradients of one training step on the first STEP_BATCH images, their labels as targets. */
async function gradientPart(log: ComparisonLog, say: (...lines: string[]) => void, model: GraphModel, x: NdArray, targets: NdArray, backend: BackendChoice) {
  const result = await checkGradients({
    model,
    backend,
    loss: 'softmax-crossentropy',
    seed: 0,
    inputs: [x],
    targets: [targets],
    finiteDifferenceEntries: PROBED_ENTRIES,
  });
  say(
    `  loss (softmax cross-entropy on the logits, mean over ${STEP_BATCH}): hand ${result.lossValue.hand.toFixed(8)}, tfjs ${result.lossValue.layer?.toFixed(8)}`,
  );
  say('  tensor                       shape        max|g|     layer vs hand   hand vs finite differences   (scaled: max|diff| / max|g|)');
  for (const row of result.rows) {
    const scaled = (pair: string) => {
      const c = row.comparisons.find((r) => r.pair === pair);
      return c ? formatError(c.difference.scaledMaxError) : '-';
    };
    say(
      `  ${row.name.padEnd(28)} ${formatShape(row.shape).padEnd(12)} ${formatError(row.maxAbs).padEnd(10)} ${scaled('layer vs hand').padEnd(15)} ${scaled('hand vs finite differences')}`,
    );
  }
  for (const pair of ['layer vs hand', 'hand vs finite differences']) {
    const worst = worstOf(result.rows, pair);
    say(`  ${pair}: worst tensor ${worst.name}`);
    log.recordScaled(SECTION, `gradients, ${pair}`, worst.difference);
  }
}

/** One Keras-form Adam step on both paths from the committed weights, the weights compared after it. */
async function updatePart(log: ComparisonLog, say: (...lines: string[]) => void, model: GraphModel, x: NdArray, targets: NdArray, backend: BackendChoice) {
  const result = await trainStepParity({
    model,
    backend,
    steps: 1,
    optimizer: STEP_OPTIMIZER,
    loss: 'softmax-crossentropy',
    seed: 0,
    inputs: [x],
    targets: [targets],
  });
  const [row] = result.rows;
  say(
    `  loss after the step (same batch): hand ${result.lossAfter.hand.toFixed(8)}, tfjs ${result.lossAfter.layer.toFixed(8)} (before: ${row.loss.hand.toFixed(8)})`,
  );
  say(`  ${'tensor'.padEnd(28)} scaled max|w_tfjs - w_hand|   relative norm`);
  for (const t of row.tensors)
    say(`  ${t.name.padEnd(28)} ${formatError(t.difference.scaledMaxError).padEnd(28)} ${formatError(t.difference.relativeNormError)}`);
  const worst = row.tensors.reduce((a, b) => ((!b.difference.pass && a.difference.pass) || b.difference.scaledMaxError > a.difference.scaledMaxError ? b : a));
  say(`  worst tensor ${worst.name}; tolerance: src/training's default for step 1`);
  log.recordScaled(SECTION, 'weights after one Adam step, layer vs hand', worst.difference);
}

function toNd(values: readonly number[]): NdArray {
  return { shape: [values.length], data: Float64Array.from(values) };
}

/** Seed 002's section: the committed model's forward, gradient and update parity on the seed's test images. */
export async function mnistSection(log: ComparisonLog, say: (...lines: string[]) => void, backend: BackendChoice): Promise<void> {
  const dir = path.join(packageRoot(), MODEL_DIR);
  const committed = readCommitted(dir);
  const { test } = loadMnist();
  const { x, labels } = firstTestImages(test, committed.scaling, SEED_TEST_LEN);
  say(...header(`Seed 002: the trained LSTM(128) MNIST classifier (${MODEL_DIR}) on the seed's first ${SEED_TEST_LEN} test images`));
  say(`  trained by \`rnn-parity train-mnist\`: ${committed.steps} steps of ${committed.optimizer}; read as tfjs artifacts (model.json + weights.bin)`);
  const { mean, std } = committed.scaling;
  say(`  each image is 28 steps of 28 pixels, ((byte / 255) - ${mean.toFixed(4)}) / ${std.toFixed(4)} as model.json records; logits [N, 10]`);
  await forwardPart(log, say, committed, x, labels, backend);

  const batch = firstTestImages(test, committed.scaling, STEP_BATCH);
  say('', `  One training step on test images 0-${STEP_BATCH - 1}, their labels as targets: gradients of the loss`);
  await gradientPart(log, say, committed.model, batch.x, batch.labels, backend);
  say(
    '',
    `  ... and the update: one Adam step (keras form, lr ${STEP_OPTIMIZER.learningRate}), tfjs KerasAdamOptimizer (float32) vs the hand optimizer (float64)`,
  );
  await updatePart(log, say, committed.model, batch.x, batch.labels, backend);
}
