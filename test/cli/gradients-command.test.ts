/**
 * `rnn-parity --gradients`: the gradient section in text and JSON, Keras's gradients with --expect-gradients,
 * a layer path tfjs cannot differentiate (FAIL, exit 1), and one-line usage errors (exit 2).
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import { KERAS_MODELS_DIR } from '../helpers/keras-models';
import { runCli } from '../helpers/run-cli';

const golden = (name: string, file: string) => path.join(KERAS_MODELS_DIR, name, file);

test('--gradients on the notebook model: every tensor through all comparisons, PASS, exit 0', async () => {
  const { stdout, stderr, exitCode } = await runCli(['--seed', '42', '--backend', 'cpu', '--gradients']);
  expect(stderr).toBe('');
  expect(exitCode).toBe(0);
  expect(stdout).toMatch(/^Gradients of the sum-squares loss \(no targets\): loss [0-9.]+ \(hand, float64\) \/ [0-9.]+ \(layer path, float32\)$/m);
  for (const tensor of ['input "input_layer"', 'simple_rnn/kernel', 'simple_rnn/recurrent_kernel', 'simple_rnn/bias', 'dense/kernel', 'dense/bias']) {
    expect(stdout).toMatch(new RegExp(`^${tensor.replace(/[/"]/g, '\\$&')} +\\[[0-9,]+\\] +[0-9.e+-]+ +[0-9.e+-]+ ok +[0-9.e+-]+ ok$`, 'm'));
  }
  expect(stdout).toMatch(/^GRADIENTS PASS {2}all 12 comparisons of 6 tensors are within tolerance$/m);
});

test('--gradients --json: one report with a gradients field', async () => {
  const { stdout, exitCode } = await runCli(['--backend', 'cpu', '--gradients', '--loss', 'mse', '--json']);
  expect(exitCode).toBe(0);
  const report = JSON.parse(stdout);
  expect(report.pass).toBe(true);
  expect(report.gradients.pass).toBe(true);
  expect(report.gradients.loss).toBe('mse');
  expect(report.gradients.targets).toEqual({ from: 'seed' });
  expect(report.gradients.tensors.map((t: { name: string }) => t.name)).toEqual([
    'input "input_layer"',
    'simple_rnn/kernel',
    'simple_rnn/recurrent_kernel',
    'simple_rnn/bias',
    'dense/kernel',
    'dense/bias',
  ]);
  for (const t of report.gradients.tensors) {
    expect(t.comparisons.map((c: { pair: string }) => c.pair)).toEqual(['layer vs hand', 'hand vs finite differences']);
  }
});

test("--expect-gradients adds Keras's own gradients (a golden model)", async () => {
  const name = 'clf-lstm-softmax';
  const { stdout, exitCode } = await runCli([
    '--model',
    golden(name, 'model.keras'),
    '--input',
    golden(name, 'input.npy'),
    '--backend',
    'cpu',
    '--gradients',
    '--loss',
    'sum-squares',
    '--expect-gradients',
    golden(name, 'gradients'),
  ]);
  expect(exitCode).toBe(0);
  expect(stdout).toMatch(/^tensor +shape +max \|g\| +layer vs hand +hand vs finite differences +hand vs Keras +layer vs Keras$/m);
  expect(stdout).toMatch(/^GRADIENTS PASS {2}all 24 comparisons of 6 tensors are within tolerance$/m);
});

test('a model tfjs cannot differentiate: FAIL with tfjs reason, exit 1 (a tfjs without the Tanh gradient)', async () => {
  // Every kind differentiates in tfjs 4.22 once the layer path's fixes are in; a kernel without a gradient is
  // simulated by unregistering one, and restored after.
  const saved = tf.getGradient('Tanh');
  tf.unregisterGradient('Tanh');
  try {
    const { stdout, exitCode } = await runCli(['--backend', 'cpu', '--gradients']);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^layer path: tfjs cannot differentiate this model on cpu: .*Tanh.*\(a tfjs user cannot train this model on this backend\)$/m);
    expect(stdout).toMatch(/^GRADIENTS FAIL {2}the layer path cannot be differentiated; 0 of 6 other comparisons over tolerance$/m);
    // The forward check itself passed.
    expect(stdout).toMatch(/^PASS /m);
  } finally {
    tf.registerGradient(saved);
  }
});

test.each([
  [['--gradients', '--loss', 'hinge'], 'rnn-parity: --loss: expected one of sum-squares, mse, softmax-crossentropy, binary-crossentropy, got "hinge"\n'],
  [['--target', 'nowhere.npy'], 'rnn-parity: --target: expected --gradients too, got --target alone\n'],
  [['--gradients', '--loss', 'sum-squares', '--target', golden('clf-lstm-softmax', 'input.npy')], /expected none \(the sum-squares loss has no targets\)/],
])('usage errors are one line, exit 2: %j', async (args, message) => {
  const { stdout, stderr, exitCode } = await runCli(['--backend', 'cpu', ...args]);
  expect(exitCode).toBe(2);
  expect(stdout).toBe('');
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  if (typeof message === 'string') expect(stderr).toBe(message);
  else expect(stderr).toMatch(message);
});

test("--expect-gradients with another loss than Keras's: exit 2 naming both", async () => {
  const name = 'clf-lstm-softmax';
  const { stderr, exitCode } = await runCli([
    '--model',
    golden(name, 'model.keras'),
    '--input',
    golden(name, 'input.npy'),
    '--backend',
    'cpu',
    '--gradients',
    '--loss',
    'mse',
    '--expect-gradients',
    golden(name, 'gradients'),
  ]);
  expect(exitCode).toBe(2);
  expect(stderr).toMatch(/^rnn-parity: --loss: expected sum-squares \(the loss of .*gradients\), got mse\n$/);
});
