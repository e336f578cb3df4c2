/**
 * `--layer-impl fused`: the check's layer path, its gradient check and its training steps run on the fused
 * recurrent layers (src/fused) and must pass against the hand path and Keras's golden outputs, as tfjs's own do.
 */
import path from 'node:path';
import { runCli } from '../helpers/run-cli';

const CASE = path.join(__dirname, '..', '..', 'models', 'keras-models', 'seq2seq-lstm');
const FILES = ['--model', path.join(CASE, 'model.keras'), '--input', path.join(CASE, 'input-0.npy'), '--input', path.join(CASE, 'input-1.npy')];

test('a seq2seq LSTM on fused layers: layer, hand and Keras agree; gradients and two Adam steps pass', async () => {
  const run = await runCli([
    ...FILES,
    '--expect',
    path.join(CASE, 'expected-0.npy'),
    '--expect',
    path.join(CASE, 'expected-1.npy'),
    '--backend',
    'cpu',
    '--layer-impl',
    'fused',
    '--gradients',
    '--train-steps',
    '2',
    '--json',
  ]);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.layerImpl).toBe('fused');
  expect(report.comparisons).toHaveLength(6);
  expect(report.comparisons.every((c: { report: { pass: boolean } }) => c.report.pass)).toBe(true);
  expect(report.gradients.pass).toBe(true);
  expect(report.training.pass).toBe(true);
});

test('the text report says the layer path ran fused layers', async () => {
  const run = await runCli([...FILES, '--backend', 'cpu', '--layer-impl', 'fused']);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain('Layer path (tfjs model.predict on cpu, fused recurrent layers):');
});

test('an unknown --layer-impl is a usage error naming it', async () => {
  const run = await runCli([...FILES, '--backend', 'cpu', '--layer-impl', 'cudnn']);
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toBe('rnn-parity: --layer-impl: expected tfjs or fused, got "cudnn"\n');
});
