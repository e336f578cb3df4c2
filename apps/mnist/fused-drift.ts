/**
 * The fused LSTM's training trajectory against tfjs's own: seed 002's model built twice from the same initial
 * weights (the tfjs LSTM, and its fused twin), each with its own optimizer of the same form, trained in lockstep
 * on the same batches; after every step, the drift = max over weight tensors of max |w_fused - w_tfjs| / max |w_tfjs|.
 * Both run tfjs float32 on the active backend; only the recurrent layer's arithmetic differs (its op order and its
 * hand-written backward), so the drift measures how far float32 rounding differences grow over training.
 */
import * as tf from '@tensorflow/tfjs';
import { createTfjsOptimizer, disposeTfjsOptimizer } from '../../src/optimizers/tfjs-optimizers';
import { BatchSampler } from './batches';
import { CLASSES, IMAGE_SIZE, imagesToInput, type MnistSplit, type PixelScaling } from './dataset';
import { buildMnistModel, mnistSpec, TRAIN_DEFAULTS, trainingTwin } from './run';
import { DEFAULT_LOOP_OPTIMIZER, oneHotLabels, softmaxCrossEntropyOnLogits } from './train';

interface FusedDriftOptions {
  readonly units: number;
  readonly batchSize: number;
  readonly steps: number;
  /** Seeds the initial weights and the shuffles, as train-mnist's --seed. */
  readonly seed: number;
  readonly scaling: PixelScaling;
}

interface FusedDrift {
  /** After step s + 1: max over weight tensors of max |fused - tfjs| / max |tfjs|. */
  readonly drift: number[];
  /** Each step's batch loss (before its update), per model. */
  readonly loss: { readonly tfjs: number[]; readonly fused: number[] };
}

function scaledMaxDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

/** Trains both models `steps` steps on the active backend and returns the drift curve. Leaves no tensor behind. */
export async function fusedDrift(train: MnistSplit, options: FusedDriftOptions): Promise<FusedDrift> {
  const stock = buildMnistModel(mnistSpec(options.units, options.batchSize), TRAIN_DEFAULTS.init, options.seed);
  const fused = trainingTwin(stock, 'fused');
  const optimizers = [stock, fused].map((model) => {
    const optimizer = createTfjsOptimizer(DEFAULT_LOOP_OPTIMIZER);
    model.compile({ optimizer, loss: softmaxCrossEntropyOnLogits });
    return optimizer;
  });
  const sampler = new BatchSampler(train.count, options.seed);
  const result: FusedDrift = { drift: [], loss: { tfjs: [], fused: [] } };
  try {
    for (let s = 0; s < options.steps; s++) {
      const indices = sampler.next(options.batchSize);
      const x = tf.tensor3d(imagesToInput(train, indices, options.scaling), [options.batchSize, IMAGE_SIZE, IMAGE_SIZE], 'float32');
      const y = tf.tensor2d(oneHotLabels(train, indices), [options.batchSize, CLASSES], 'float32');
      try {
        result.loss.tfjs.push((await stock.trainOnBatch(x, y)) as number);
        result.loss.fused.push((await fused.trainOnBatch(x, y)) as number);
      } finally {
        x.dispose();
        y.dispose();
      }
      const a = stock.getWeights();
      const b = fused.getWeights();
      result.drift.push(Math.max(...b.map((w, k) => scaledMaxDiff(w.dataSync() as Float32Array, a[k].dataSync() as Float32Array))));
    }
    return result;
  } finally {
    optimizers.forEach(disposeTfjsOptimizer);
    stock.dispose();
    fused.dispose();
  }
}
