/**
 * The bench's whole-test-set section (issue 16), measured in the same run as the kernels:
 *   - seed 002's trained model (models/mnist-lstm) over the 10,000 MNIST test images: the hand path
 *     (forwardHandParallel, float64, the batch split across threads) against the layer path's logits; the
 *     hand path's time is the target (< 3 s);
 *   - the keras.io IRNN (models/keras-models/irnn-relu-784: relu SimpleRNN(100) over 784 pixels) on the same
 *     10,000 images, the whole streamed check (checkModel, tensorflow), beside Keras's own `predict` on the same
 *     input (batch 32, its default) in the bench's Python.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeWorkerPool } from '../../src/hand/parallel';
import { checkModel } from '../../src/graph/check';
import { buildTfjsModel } from '../../src/graph/tfjs-model';
import { arraySource } from '../../src/graph/samples';
import { defaultTolerance } from '../../src/compare/tolerance';
import { readModelFile } from '../../src/formats/read-model';
import { writeNpyFile } from '../../src/io/npy';
import { rnnWeightsOf } from '../../src/presets/flags';
import type { ModelSpec } from '../../src/spec';
import { imagesToInput, loadMnist, range, type PixelScaling } from '../../apps/mnist/dataset';
import { predictLogits } from '../../apps/mnist/evaluate';
import { checkTrainedParity } from '../../apps/mnist/parity';
import { selectBackend } from '../../src/backends';

/** Seed 002's parity over the test set: the target is on the hand path's time. */
const SEED_002_TARGET_MS = 3000;
const IMAGES = 10000;

export interface TestSetResult {
  readonly name: string;
  readonly images: number;
  readonly pass: boolean;
  readonly maxAbsError: number;
  readonly handMs: number;
  readonly layerMs: number;
  readonly totalMs: number;
  readonly kerasPredictMs?: number;
  readonly note?: string;
}

function since(t: number): number {
  return performance.now() - t;
}

/** Seed 002's committed model on every test image: the layer path's logits, then the hand path's (timed). */
async function seed002(root: string, progress: (line: string) => void): Promise<TestSetResult> {
  const dir = path.join(root, 'models', 'mnist-lstm');
  const record = JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as { model: { spec: ModelSpec; pixelScaling: PixelScaling } };
  await selectBackend('tensorflow');
  const graph = readModelFile(dir).model;
  const tfModel = buildTfjsModel(graph);
  try {
    const data = loadMnist();
    const spec = record.model.spec;
    progress(`test sets: seed 002, ${IMAGES} test images on the layer path`);
    let t = performance.now();
    const logits = predictLogits(tfModel, data.test, record.model.pixelScaling, IMAGES, 1000);
    const layerMs = since(t);
    progress(`test sets: seed 002, ${IMAGES} test images on the hand path`);
    t = performance.now();
    const parity = await checkTrainedParity(rnnWeightsOf(graph, spec), data.test, record.model.pixelScaling, logits, defaultTolerance(spec), 2000);
    const handMs = since(t);
    return {
      name: 'seed 002 LSTM(128), trained',
      images: IMAGES,
      pass: parity.report.pass,
      maxAbsError: parity.report.maxAbsError,
      handMs,
      layerMs,
      totalMs: handMs + layerMs,
      note: `${parity.sameClass} of ${IMAGES} images classified alike`,
    };
  } finally {
    tfModel.dispose();
    await closeWorkerPool();
  }
}

/** Keras's predict on the same input, in the bench's Python (TensorFlow + Keras); undefined without them. */
function kerasPredict(python: string | undefined, model: string, input: string): { ms?: number; note?: string } {
  if (python === undefined) return { note: 'no Python with Keras: Keras column empty' };
  const script = [
    'import sys, time, os',
    "os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'",
    'import numpy as np, keras',
    'm = keras.saving.load_model(sys.argv[1]); x = np.load(sys.argv[2])',
    'm.predict(x[:64], batch_size=32, verbose=0)',
    't = time.perf_counter(); m.predict(x, batch_size=32, verbose=0); print((time.perf_counter() - t) * 1000)',
  ].join('\n');
  const run = spawnSync(python, ['-c', script, model, input], { encoding: 'utf8' });
  const ms = Number((run.stdout ?? '').trim().split('\n').pop());
  return Number.isFinite(ms) && run.status === 0 ? { ms } : { note: `Keras predict failed: ${(run.stderr ?? '').trim().split('\n').pop()}` };
}

/** The keras.io IRNN over every test image: the whole streamed check on tensorflow, and Keras's predict. */
async function irnn(root: string, python: string | undefined, progress: (line: string) => void): Promise<TestSetResult> {
  const modelPath = path.join(root, 'models', 'keras-models', 'irnn-relu-784', 'model.keras');
  const { model } = readModelFile(modelPath);
  const data = loadMnist();
  // keras.io's mnist_irnn: pixels / 255, each image as 784 steps of one value.
  const x = { shape: [IMAGES, 784, 1], data: imagesToInput(data.test, range(0, IMAGES)) };
  const file = path.join(os.tmpdir(), `rnn-parity-bench-irnn-${process.pid}.npy`);
  writeNpyFile(file, x, 'float32');
  try {
    progress(`test sets: IRNN, ${IMAGES} test images x 784 steps through both paths (a few minutes)`);
    const t = performance.now();
    const result = await checkModel({
      model,
      backend: 'tensorflow',
      precision: 'float64',
      seed: 0,
      inputSources: [arraySource(x)],
      onProgress: (p) => {
        if (p.samplesDone === p.samples || p.samplesDone % 1920 === 0) progress(`test sets: IRNN ${p.samplesDone} of ${p.samples}`);
      },
    });
    const totalMs = since(t);
    progress('test sets: IRNN, Keras predict on the same input');
    const keras = kerasPredict(python, modelPath, file);
    return {
      name: 'keras.io IRNN, relu SimpleRNN(100) x 784 steps',
      images: IMAGES,
      pass: result.pass,
      maxAbsError: result.comparisons[0].report.maxAbsError,
      handMs: result.timingsMs.handPath,
      layerMs: result.timingsMs.layerPath,
      totalMs,
      ...(keras.ms !== undefined ? { kerasPredictMs: keras.ms } : {}),
      note: [`${result.chunks.count} chunks of ${result.chunks.samples}`, keras.note].filter(Boolean).join('; '),
    };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Both test-set measurements. */
export async function benchTestSets(root: string, python: string | undefined, progress: (line: string) => void): Promise<TestSetResult[]> {
  return [await seed002(root, progress), await irnn(root, python, progress)];
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}

/** The section's table and its targets. */
export function formatTestSets(results: readonly TestSetResult[]): string {
  const lines = ['Whole test sets (10,000 MNIST test images; tensorflow backend; hand path float64 on the default kernel, threads where it splits):'];
  lines.push('  model                                              verdict  max|diff|  hand path  layer path  whole check  Keras predict  notes');
  for (const r of results) {
    lines.push(
      `  ${r.name.padEnd(50)} ${(r.pass ? 'PASS' : 'FAIL').padEnd(7)}  ${r.maxAbsError.toExponential(2).padEnd(9)}  ${seconds(r.handMs).padStart(9)}  ${seconds(r.layerMs).padStart(10)}  ${seconds(r.totalMs).padStart(11)}  ${seconds(r.kerasPredictMs).padStart(13)}  ${r.note ?? ''}`,
    );
  }
  const seed = results.find((r) => r.name.startsWith('seed 002'));
  if (seed) {
    lines.push(
      `  target: seed 002 parity over ${seed.images} images in under ${SEED_002_TARGET_MS / 1000} s of hand path: ${seed.handMs <= SEED_002_TARGET_MS ? 'MET' : 'MISSED'} (${seconds(seed.handMs)})`,
    );
  }
  const irnnRow = results.find((r) => r.name.includes('IRNN'));
  if (irnnRow) {
    const ratio = irnnRow.kerasPredictMs ? ` = ${(irnnRow.totalMs / irnnRow.kerasPredictMs).toFixed(1)}x Keras's predict` : '';
    lines.push(`  target: the ${irnnRow.images}-image IRNN check completes: ${irnnRow.pass ? 'MET' : 'MISSED'} (${seconds(irnnRow.totalMs)}${ratio})`);
  }
  return lines.join('\n');
}
