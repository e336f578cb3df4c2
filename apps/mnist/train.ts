/**
 * The training loop of seed 002: softmax cross-entropy on the logits, an optimizer in Keras's or tfjs's form
 * (createTfjsOptimizer; seed 002's Adam by default), one batch per step, with tfjs's own model.compile +
 * trainOnBatch (the layer path trains itself; the hand path only checks the result).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors';
import { createTfjsOptimizer, disposeTfjsOptimizer } from '../../src/optimizers/tfjs-optimizers';
import type { OptimizerSpec } from '../../src/optimizers/types';
import { BatchSampler } from './batches';
import { CLASSES, IMAGE_SIZE, imagesToInput, type MnistSplit, type PixelScaling } from './dataset';

/** What one training step reports. */
export interface TrainStep {
  /** 1-based. */
  readonly step: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Samples trained on so far, this step's included. */
  readonly samplesSeen: number;
  /** Samples the whole run trains on. */
  readonly totalSamples: number;
  /** Pass over the training set this batch was drawn from (1-based; a batch may straddle two). */
  readonly epoch: number;
  /** Mean softmax cross-entropy of this batch, before this step's update. */
  readonly loss: number;
  /** Share of this batch classified right, before this step's update. */
  readonly accuracy: number;
  /** Wall time since the first step began. */
  readonly elapsedMs: number;
}

interface TrainLoopOptions {
  /** Name, form and hyperparameters; the form's defaults fill in the rest. Default: DEFAULT_LOOP_OPTIMIZER. */
  readonly optimizer?: OptimizerSpec;
  /** The learning rate of the default optimizer (scripts/bench-train.ts gives only this); with `optimizer`, give it there. */
  readonly learningRate?: number;
  /** One entry per step (see planBatchSizes). */
  readonly batchSizes: readonly number[];
  /** Seeds the shuffles (the weights were seeded when the model was built). */
  readonly seed: number;
  /** How pixel bytes become inputs. */
  readonly scaling: PixelScaling;
  readonly onStep?: (step: TrainStep) => void;
}

/** Seed 002's optimizer as train-mnist runs it by default: Adam in Keras's form, Keras's defaults (lr 0.001). */
export const DEFAULT_LOOP_OPTIMIZER: OptimizerSpec = { name: 'adam', form: 'keras' };

/**
 * The optimizer spec a loop's options ask for.
 * @throws ConfigError when both `optimizer` and `learningRate` are given (which one would win is not obvious)
 */
export function loopOptimizerSpec(options: Pick<TrainLoopOptions, 'optimizer' | 'learningRate'>): OptimizerSpec {
  if (options.optimizer === undefined) {
    return options.learningRate === undefined ? DEFAULT_LOOP_OPTIMIZER : { ...DEFAULT_LOOP_OPTIMIZER, learningRate: options.learningRate };
  }
  if (options.learningRate !== undefined) {
    throw new ConfigError(`learningRate: expected it inside optimizer (${JSON.stringify(options.optimizer)}), got it beside it: ${options.learningRate}`);
  }
  return options.optimizer;
}

/**
 * Seed 002's loss, tf.nn.softmax_cross_entropy_with_logits averaged over the batch.
 * yTrue: one-hot [batch, 10]; yPred: logits [batch, 10] (the dense head is linear) -> scalar.
 */
export function softmaxCrossEntropyOnLogits(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.losses.softmaxCrossEntropy(yTrue, yPred);
}

/** Labels of the given images as one-hot float32 rows: [indices.length, 10]. */
export function oneHotLabels(split: MnistSplit, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * CLASSES);
  for (let b = 0; b < indices.length; b++) out[b * CLASSES + split.labels[indices[b]]] = 1;
  return out;
}

/**
 * Compiles `model` (createTfjsOptimizer(options.optimizer), softmax cross-entropy on logits, categorical accuracy)
 * and trains it for batchSizes.length steps on the active backend. Leaves no tensor behind but the model's.
 * Parity note: form 'keras' is Keras 3's update (Adam: epsilon before the bias correction), form 'tfjs' is
 * tf.train.*'s; same defaults, measurably different weights (docs/training-parity-mnist.md).
 * @param model input [batch, 28, 28] -> logits [batch, 10]
 * @returns every step's report, in order
 * @throws ConfigError for a bad optimizer spec, before any step
 */
export async function trainModel(model: tf.LayersModel, train: MnistSplit, options: TrainLoopOptions): Promise<TrainStep[]> {
  const optimizer = createTfjsOptimizer(loopOptimizerSpec(options));
  model.compile({ optimizer, loss: softmaxCrossEntropyOnLogits, metrics: ['accuracy'] });
  try {
    return await trainSteps(model, train, options);
  } finally {
    // The model does not own an optimizer passed as an object (isOptimizerOwned is false): its state (Adam's
    // 2 moments per weight) would outlive it; disposeTfjsOptimizer also frees what tf.train.momentum leaks.
    disposeTfjsOptimizer(optimizer);
  }
}

async function trainSteps(model: tf.LayersModel, train: MnistSplit, options: TrainLoopOptions): Promise<TrainStep[]> {
  const sampler = new BatchSampler(train.count, options.seed);
  const steps = options.batchSizes.length;
  const history: TrainStep[] = [];
  let samplesSeen = 0;
  const totalSamples = options.batchSizes.reduce((a, b) => a + b, 0);
  const started = performance.now();
  for (let s = 0; s < steps; s++) {
    const batchSize = options.batchSizes[s];
    const indices = sampler.next(batchSize);
    const x = tf.tensor3d(imagesToInput(train, indices, options.scaling), [batchSize, IMAGE_SIZE, IMAGE_SIZE], 'float32');
    const y = tf.tensor2d(oneHotLabels(train, indices), [batchSize, CLASSES], 'float32');
    let values: number | number[];
    try {
      values = await model.trainOnBatch(x, y);
    } finally {
      x.dispose();
      y.dispose();
    }
    const [loss, accuracy] = values as number[];
    samplesSeen += batchSize;
    const report: TrainStep = {
      step: s + 1,
      steps,
      batchSize,
      samplesSeen,
      totalSamples,
      epoch: sampler.epoch,
      loss,
      accuracy,
      elapsedMs: performance.now() - started,
    };
    history.push(report);
    options.onStep?.(report);
  }
  return history;
}
