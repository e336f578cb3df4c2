/**
 * `rnn-parity --train-steps K`: the training section in text and JSON, the exit code, --train-plot, and one-line
 * usage errors (exit 2) for bad values, on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/run-cli';
import { KERAS_MODELS_DIR } from '../helpers/keras-models';

const golden = (name: string, file: string): string => path.join(KERAS_MODELS_DIR, name, file);

test('--train-steps on the notebook model: a Training steps section, PASS, exit 0', async () => {
  const { stdout, stderr, exitCode } = await runCli(['--seed', '42', '--backend', 'cpu', '--train-steps', '3']);
  expect(stderr).toBe('');
  expect(exitCode).toBe(0);
  expect(stdout).toMatch(/^PASS /m);
  expect(stdout).toMatch(
    /^Training steps: 3 x adam \(keras form: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7\) on the sum-squares loss \(no targets\), the same batch every step, backend cpu$/m,
  );
  expect(stdout).toMatch(/^step +loss before \(hand\) +loss before \(layer\) +worst weight +max \|layer - hand\| \/ max \|hand\| +norm +tolerance$/m);
  expect(stdout.match(/^ +[123] +\d/gm)).toHaveLength(3);
  expect(stdout).toMatch(/^TRAINING PASS {2}all 3 steps within tolerance \(largest drift .+ after step \d, .+\)$/m);
});

test('--json: a training field with every step and every tensor', async () => {
  const { stdout, exitCode } = await runCli([
    '--backend',
    'cpu',
    '--train-steps',
    '4',
    '--optimizer',
    'sgd',
    '--learning-rate',
    '0.05',
    '--loss',
    'mse',
    '--json',
  ]);
  expect(exitCode).toBe(0);
  const report = JSON.parse(stdout);
  expect(report.pass).toBe(true);
  expect(report.training.pass).toBe(true);
  expect(report.training.optimizer).toEqual({ form: 'keras', name: 'sgd', learningRate: 0.05, momentum: 0, nesterov: false });
  expect(report.training.loss).toBe('mse');
  expect(report.training.targets).toEqual({ from: 'seed' });
  expect(report.training.rows).toHaveLength(4);
  expect(report.training.drift).toHaveLength(4);
  expect(report.training.rows[0].tensors.map((t: { name: string }) => t.name)).toEqual(report.training.trainable.map((t: { name: string }) => t.name));
  // The mse loss goes down under plain SGD on one batch.
  expect(report.training.lossAfter.hand).toBeLessThan(report.training.rows[0].loss.hand);
});

test('--train-plot writes the drift curve and both losses as SVG', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-train-plot-'));
  const file = path.join(dir, 'drift.svg');
  try {
    const name = 'seq2seq-gru-states';
    const { exitCode } = await runCli([
      ...['--model', golden(name, 'model.keras'), '--input', golden(name, 'input.npy'), '--backend', 'cpu'],
      ...['--train-steps', '5', '--optimizer-form', 'tfjs', '--loss', 'mse', '--train-plot', file],
    ]);
    expect(exitCode).toBe(0);
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('adam (tfjs form');
    expect(svg.match(/<polyline /g)).toHaveLength(4);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model tfjs cannot train: TRAINING FAIL with tfjs reason, exit 1 (a tfjs without the Tanh gradient)', async () => {
  // Every kind differentiates in tfjs 4.22 with the layer path's gradient fixes; a kernel without a gradient is
  // simulated by unregistering one, and restored after.
  const saved = tf.getGradient('Tanh');
  tf.unregisterGradient('Tanh');
  try {
    const { stdout, exitCode } = await runCli(['--backend', 'cpu', '--train-steps', '2']);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(
      /^layer path: tfjs cannot differentiate this model on cpu: .*Tanh.* at step 1 \(a tfjs user cannot train this model on this backend\)$/m,
    );
    expect(stdout).toMatch(/^TRAINING FAIL {2}the layer path cannot be differentiated; 0 of 0 steps before it over tolerance$/m);
    // The forward check itself passed.
    expect(stdout).toMatch(/^PASS /m);
  } finally {
    tf.registerGradient(saved);
  }
});

test('--train-plot with --backend all: exit 2, one line', async () => {
  const { stdout, stderr, exitCode } = await runCli(['--backend', 'all', '--train-steps', '2', '--train-plot', 'x.svg']);
  expect(exitCode).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toBe('rnn-parity: --train-plot: expected a single backend, got --backend all (each backend would write x.svg)\n');
});

test.each([
  [['--train-steps', '0'], 'rnn-parity: --train-steps: expected an integer from 1 to 10000, got "0"\n'],
  [['--train-steps', 'ten'], 'rnn-parity: --train-steps: expected an integer from 1 to 10000, got "ten"\n'],
  [['--train-steps', '2', '--optimizer', 'adamw'], 'rnn-parity: --optimizer: expected one of adam, sgd, rmsprop, got "adamw"\n'],
  [['--train-steps', '2', '--optimizer-form', 'pytorch'], 'rnn-parity: --optimizer-form: expected one of keras, tfjs, got "pytorch"\n'],
  [['--train-steps', '2', '--learning-rate', '-1'], 'rnn-parity: --learning-rate: expected a finite number > 0, got "-1"\n'],
  [['--train-steps', '2', '--learning-rate', 'fast'], 'rnn-parity: --learning-rate: expected a finite number > 0, got "fast"\n'],
  [
    ['--train-steps', '2', '--optimizer', 'sgd', '--optimizer-form', 'tfjs'],
    'rnn-parity: --learning-rate: expected a value with --optimizer sgd --optimizer-form tfjs (tf.train.sgd has no default), got none\n',
  ],
  [['--optimizer', 'sgd'], 'rnn-parity: --optimizer: expected --train-steps too, got --optimizer sgd alone\n'],
  [['--train-plot', 'x.svg'], 'rnn-parity: --train-plot: expected --train-steps too, got --train-plot x.svg alone\n'],
  [['--train-steps', '2', '--loss', 'hinge'], 'rnn-parity: --loss: expected one of sum-squares, mse, softmax-crossentropy, binary-crossentropy, got "hinge"\n'],
])('usage errors are one line, exit 2: %j', async (args, message) => {
  const { stdout, stderr, exitCode } = await runCli(['--backend', 'cpu', ...args]);
  expect(exitCode).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toBe(message);
});
