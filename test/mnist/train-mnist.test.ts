/**
 * train-mnist end to end on a tiny budget (3 steps of 32, 200 test images): finite losses, the five files
 * written atomically, the same history for the same seed, a trained model whose hand path agrees with its
 * layer path, and the saved model loading back into the ordinary check (--weights).
 * In-process runs use wasm: 3 steps + 200 predictions take ~3 s there, ~22 s on cpu. The CLI runs as a spawned
 * bin/rnn-parity on its default backend, tensorflow, as a user runs it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runCheck } from '../../src/check';
import type { CliIo } from '../../apps/cli/io';
import { main } from '../../apps/cli/main';
import { validateSpec } from '../../src/spec';
import { closeWorkerPool } from '../../src/hand/parallel';
import { loadMnist } from '../../apps/mnist/dataset';
import { OUTPUT_FILES, trainMnist, type TrainMnistOptions } from '../../apps/mnist/run';

const data = loadMnist();
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-train-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
// trainMnist's parity check runs the hand path on worker threads (forwardHandParallel); stop them here
// rather than leave them to the jest worker's exit.
afterAll(closeWorkerPool);

function tinyRun(outDir: string): TrainMnistOptions {
  return {
    backend: 'wasm',
    seed: 7,
    learningRate: 0.001,
    batchSize: 32,
    budget: { kind: 'samples', samples: 96 },
    outDir,
    testImages: 200,
    evalBatch: 128,
    data,
  };
}

test('3 steps of 32: finite losses, five files and no temporary ones, parity on 200 test images, deterministic, no leaked tensors', async () => {
  const first = await trainMnist(tinyRun(path.join(root, 'a')));
  const before = tf.memory().numTensors;
  const second = await trainMnist(tinyRun(path.join(root, 'b')));
  expect(tf.memory().numTensors).toBe(before);

  expect(first.history.map((s) => [s.step, s.batchSize, s.samplesSeen])).toEqual([
    [1, 32, 32],
    [2, 32, 64],
    [3, 32, 96],
  ]);
  for (const step of first.history) {
    expect(Number.isFinite(step.loss) && step.loss > 0).toBe(true);
    expect(step.accuracy).toBeGreaterThanOrEqual(0);
    expect(step.accuracy).toBeLessThanOrEqual(1);
  }
  // Same seed, same backend: the same shuffles and initial weights, so the same float32 losses, bit for bit.
  expect(second.history.map((s) => [s.loss, s.accuracy])).toEqual(first.history.map((s) => [s.loss, s.accuracy]));
  expect(second.test).toEqual(first.test);

  expect(fs.readdirSync(path.join(root, 'a')).sort()).toEqual([...OUTPUT_FILES].sort());
  expect(first.test.images).toBe(200);
  expect(first.firstTest.images).toBe(128);
  expect(first.parity.images).toBe(200);
  expect(first.parity.report.elements).toBe(2000);
  expect(first.parity.report.pass).toBe(true);
  expect(first.parity.sameClass).toBe(200);

  const record = JSON.parse(fs.readFileSync(path.join(root, 'a', 'training.json'), 'utf8'));
  expect(record.hyperparameters).toMatchObject({ learningRate: 0.001, batchSize: 32, steps: 3, samplesSeen: 96 });
  // The default optimizer is seed 002's Adam in Keras's form (seed 002 is a Keras notebook), every hyperparameter named.
  expect(record.hyperparameters.optimizer).toMatchObject({ name: 'adam', form: 'keras', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  expect(first.optimizer.form).toBe('keras');
  // Losses keep every float32 digit (they are compared with Keras's step by step).
  expect(record.history.loss).toEqual(first.history.map((s) => Number(s.loss.toPrecision(9))));
  expect(record.seed).toBe(7);
  expect(record.backend.name).toBe('wasm');
  expect(record.history.loss).toHaveLength(3);
  expect(record.parity).toMatchObject({ images: 200, pass: true, sameArgmaxClass: 200 });
  expect(record.test.first128.images).toBe(128);
  // The defaults: Keras's initializers, pixels standardized with the training split's mean and std.
  expect(record.model.init).toBe('keras');
  expect(record.model.pixelScaling.name).toBe('standardize');
  expect(record.model.pixelScaling.mean).toBeCloseTo(0.1307, 4);
  const saved = JSON.parse(fs.readFileSync(path.join(root, 'a', 'model.json'), 'utf8'));
  expect(saved.userDefinedMetadata.rnnParity).toMatchObject({ init: 'keras', pixelScaling: record.model.pixelScaling });
  for (const svg of ['training.svg', 'misclassified.svg']) {
    const text = fs.readFileSync(path.join(root, 'a', svg), 'utf8');
    expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(text.trimEnd().endsWith('</svg>')).toBe(true);
  }
  // After 3 steps nearly every image is wrong: the picture holds 16 of them.
  expect(record.test.misclassifiedShown).toHaveLength(16);

  // The ordinary check loads the saved model (architecture from model.json) and passes on it.
  const check = await runCheck({ spec: validateSpec({ batch: 4 }), seed: 42, backend: 'wasm', precision: 'float64', weightsDir: path.join(root, 'a') });
  expect(check.spec).toMatchObject({
    cell: 'lstm',
    units: 128,
    timeSteps: 28,
    inputDim: 28,
    denseUnits: 10,
    recurrentActivation: 'sigmoid',
    unitForgetBias: true,
  });
  expect(check.report.pass).toBe(true);
});

test("--init seed-002 --scaling unit: seed 002's own set-up, another start, parity still holds", async () => {
  const seedRun = await trainMnist({ ...tinyRun(path.join(root, 'c')), init: 'seed-002', scaling: 'unit' });
  const defaultRun = await trainMnist(tinyRun(path.join(root, 'd')));
  expect(seedRun.init).toBe('seed-002');
  expect(seedRun.scaling).toEqual({ name: 'unit', mean: 0, std: 1 });
  // N(0, 1) head weights give logits of a few units at the start, Keras's glorot head well under one,
  // so the first batch's loss differs.
  expect(seedRun.history[0].loss).not.toBe(defaultRun.history[0].loss);
  expect(seedRun.parity.report.pass).toBe(true);
  expect(seedRun.parity.sameClass).toBe(200);
});

test("--optimizer-form tfjs: tf.train.adam's update; the same first loss (nothing updated yet), then another trajectory", async () => {
  const keras = await trainMnist(tinyRun(path.join(root, 'e')));
  const tfjs = await trainMnist({ ...tinyRun(path.join(root, 'f')), optimizerForm: 'tfjs' });
  expect(tfjs.optimizer).toMatchObject({ name: 'adam', form: 'tfjs' });
  expect(tfjs.history[0].loss).toBe(keras.history[0].loss);
  // Step 1's update differs where gradients are small (epsilon's place): step 3's loss shows it.
  expect(tfjs.history[2].loss).not.toBe(keras.history[2].loss);
  const record = JSON.parse(fs.readFileSync(path.join(root, 'f', 'training.json'), 'utf8'));
  expect(record.hyperparameters.optimizer).toMatchObject({ name: 'adam', form: 'tfjs' });
  expect(record.hyperparameters.optimizer.implementation).toMatch(/tf\.train\.adam/);
  expect(fs.readFileSync(path.join(root, 'f', 'training.svg'), 'utf8')).toContain('adam (tfjs form) lr 0.001');

  const sgd = await trainMnist({ ...tinyRun(path.join(root, 'g')), optimizer: 'sgd', learningRate: undefined });
  expect(sgd.optimizer.config).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
  expect(sgd.learningRate).toBe(0.01);
});

test('bad flags are one line on stderr and exit code 2, before any training', async () => {
  const captured = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => {
      captured.stdout += t;
    },
    stderr: (t) => {
      captured.stderr += t;
    },
  };
  process.exitCode = undefined;
  await main(['train-mnist', '--learning-rate', '-1'], io);
  expect(process.exitCode).toBe(2);
  process.exitCode = undefined;
  expect(captured.stderr).toBe('rnn-parity train-mnist: --learning-rate: expected a finite number > 0, got "-1"\n');
  captured.stderr = '';
  await main(['train-mnist', '--init', 'he'], io);
  expect(process.exitCode).toBe(2);
  process.exitCode = undefined;
  expect(captured.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(captured.stderr).toMatch(/--init.*"he"|Invalid values:.*init.*he/);
  for (const [flag, value] of [
    ['--optimizer', 'nadam'],
    ['--optimizer-form', 'torch'],
  ]) {
    captured.stderr = '';
    await main(['train-mnist', flag, value], io);
    expect(process.exitCode).toBe(2);
    process.exitCode = undefined;
    expect(captured.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(captured.stderr).toContain(value);
  }
});

test('bin/rnn-parity train-mnist on the default backend (tensorflow): progress on stderr, summary, exit 0; then --weights on its model', () => {
  const rootDir = path.resolve(__dirname, '../..');
  const bin = path.join(rootDir, 'bin', 'rnn-parity');
  if (!fs.existsSync(path.join(rootDir, 'dist', 'apps', 'cli', 'commands', 'train-mnist.js'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does it through scripts/setup.mjs)');
  }
  const out = path.join(root, 'bin');
  const args = ['train-mnist', '--samples', '64', '--batch-size', '32', '--test-images', '130', '--seed', '3', '--out', out];
  const train = spawnSync(process.execPath, [bin, ...args], { cwd: rootDir, encoding: 'utf8' });
  // stderr is a pipe, not a TTY: whole lines, no \r redraws
  expect(train.stderr).toMatch(/^\[#{15}\.{15}\] 1\/2 {2}50% {2}loss \d\.\d{4} {2}acc \d+\.\d% {2}\d+ samples\/s {2}ETA \d+:\d\d$/m);
  expect(train.stderr).toMatch(/^\[#{30}\] 2\/2 100% .* done$/m);
  expect(train.stderr).not.toContain('\r');
  expect(train.stdout).toContain('backend: tensorflow (');
  expect(train.stdout).toContain('trained: 2 steps (--samples 64, batch 32) = 64 samples');
  expect(train.stdout).toContain('; adam (keras form) lr 0.001;');
  expect(train.stdout).toMatch(/test accuracy: \d+\.\d\d% \(\d+ of 130 images\)/);
  expect(train.stdout).toMatch(/first 128 test images \(seed 002's test_len\)/);
  expect(train.stdout).toMatch(/^ {2}PASS {2}max\|diff\| /m);
  expect(train.stdout).toContain('argmax class agrees on 130 of 130 images');
  expect(train.status).toBe(0);
  const record = JSON.parse(fs.readFileSync(path.join(out, 'training.json'), 'utf8'));
  expect(record.command).toBe(`rnn-parity ${args.join(' ')}`);
  expect(record.backend.name).toBe('tensorflow');

  const check = spawnSync(process.execPath, [bin, '--weights', out, '--batch', '8'], { cwd: rootDir, encoding: 'utf8' });
  expect(check.stdout).toContain('LSTM(128) + Dense(10)');
  expect(check.stdout).toMatch(/^PASS /m);
  expect(check.status).toBe(0);
});
