/**
 * DIR/training.json: everything needed to know what produced DIR/model.json + weights.bin and how well it
 * did: hyperparameters, seed, backend and versions, the per-step history, test accuracy, the parity check
 * and wall times. Schema version TRAINING_RECORD_SCHEMA_VERSION; non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../cli/package-root';
import type { TrainMnistResult } from './run';
import { INIT_DESCRIPTIONS } from './init';
import { optimizerRecord } from './optimizer';

/** 3: hyperparameters.optimizer is an object (name, form, hyperparameters, implementation); losses keep 9 digits. */
const TRAINING_RECORD_SCHEMA_VERSION = 3;

/** 6 significant digits: batch accuracies (k / batch) need no more in a record meant for plots and reading. */
function round6(x: number): number | string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : String(x);
}

/**
 * 9 significant digits: a float32 value exactly (9 always round-trip a float32). The losses are compared with
 * Keras's step by step (docs/training-parity-mnist.md), where the first steps differ by ~1e-7: 6 digits would not
 * show that.
 */
function float32Exact(x: number): number | string {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : String(x);
}

function finite(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function toolVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The JSON object written to training.json. */
export function trainingRecord(result: TrainMnistResult): object {
  const { history, parity } = result;
  const last = history[history.length - 1];
  return {
    schemaVersion: TRAINING_RECORD_SCHEMA_VERSION,
    generatedBy: 'rnn-parity train-mnist',
    ...(result.command !== undefined ? { command: result.command } : {}),
    seed: result.seed,
    model: {
      description: `LSTM(${result.spec.units}) + Dense(${result.spec.denseUnits}) logits; each 28x28 image read as 28 steps of 28 pixels, each pixel ((byte / 255) - mean) / std`,
      spec: result.spec,
      pixelScaling: result.scaling,
      init: result.init,
      initializers: `${INIT_DESCRIPTIONS[result.init]}, drawn with NumPy's RandomState(seed + 1)`,
    },
    hyperparameters: {
      optimizer: optimizerRecord(result.optimizer),
      learningRate: result.learningRate,
      loss: 'softmax cross-entropy on logits, mean over the batch',
      batchSize: result.batchSize,
      budget: result.budget,
      steps: history.length,
      samplesSeen: result.samplesSeen,
      passesOverTrainingSet: result.samplesSeen / result.trainCount,
      trainingImages: result.trainCount,
      shuffle: 'np.random.RandomState(seed).permutation(60000) per pass (NumPy legacy shuffle on MT19937)',
    },
    backend: {
      name: result.backend.name,
      tfjsBackend: result.backend.tfjsBackend,
      notes: result.backend.notes,
      // Recorded only when it is not the default, so a default run's record stays as before.
      ...(result.layerImpl !== 'tfjs' ? { layerImpl: result.layerImpl } : {}),
    },
    versions: { node: process.version, 'rnn-parity': toolVersion(), ...result.backend.versions },
    history: {
      note: 'per step: the batch mean loss and the batch accuracy, computed before that step updates the weights',
      batchSizes: history.every((s) => s.batchSize === result.batchSize) ? result.batchSize : history.map((s) => s.batchSize),
      loss: history.map((s) => float32Exact(s.loss)),
      accuracy: history.map((s) => round6(s.accuracy)),
    },
    test: {
      images: result.test.images,
      correct: result.test.correct,
      accuracy: result.test.accuracy,
      first128: { images: result.firstTest.images, correct: result.firstTest.correct, accuracy: result.firstTest.accuracy },
      misclassifiedShown: result.misclassified,
    },
    parity: {
      what: 'layer path (tfjs model.predict, float32) against the hand path (forwardHand, float64, batch split across threads: bit-identical), logits of every scored test image',
      images: parity.images,
      precision: parity.precision,
      pass: parity.report.pass,
      elements: parity.report.elements,
      maxAbsError: finite(parity.report.maxAbsError),
      maxRelError: finite(parity.report.maxRelError),
      worstIndex: parity.report.worstIndex,
      overTolerance: parity.report.overTolerance,
      tolerance: result.tolerance,
      sameArgmaxClass: parity.sameClass,
    },
    wallTimesMs: { ...result.wallMs, perTrainingStep: Math.round((100 * result.wallMs.train) / Math.max(1, history.length)) / 100 },
    finalStep: last ? { step: last.step, epoch: last.epoch, loss: float32Exact(last.loss), accuracy: round6(last.accuracy) } : null,
  };
}
