/**
 * `rnn-parity --input X.npy` over more samples than one chunk: the inputs are read a chunk at a time, progress
 * goes to stderr (stdout stays the report), --save-output writes the same bytes as a one-chunk run, and the
 * JSON report gives each path's time, the chunking and which part bound the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NumpyRandomState } from '../../src/data/numpy-random';
import { writeNpyFile } from '../../src/io/npy';
import { runCli } from '../helpers/run-cli';

const MODEL = path.join(__dirname, '..', '..', 'models', 'keras-models', 'clf-lstm-softmax', 'model.keras');
let dir: string;
let input: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-streaming-cli-'));
  input = path.join(dir, 'x.npy');
  // 100 samples of [28, 28]: chunks of 32 end in a partial one.
  writeNpyFile(input, { shape: [100, 28, 28], data: new NumpyRandomState(3).randn([100 * 28 * 28]) }, 'float32');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('chunks of 32: the same report and saved output as one chunk, progress on stderr', async () => {
  const oneChunk = path.join(dir, 'one.npy');
  const chunked = path.join(dir, 'chunked.npy');
  const whole = await runCli(['--model', MODEL, '--input', input, '--backend', 'cpu', '--save-output', oneChunk, '--json']);
  const parts = await runCli(['--model', MODEL, '--input', input, '--backend', 'cpu', '--save-output', chunked, '--chunk-size', '32', '--json']);
  expect([whole.exitCode, parts.exitCode]).toEqual([0, 0]);
  const [a, b] = [JSON.parse(whole.stdout), JSON.parse(parts.stdout)];
  expect(a.chunks).toEqual({ samples: 100, count: 1 });
  expect(b.chunks).toEqual({ samples: 32, count: 4 });
  expect(b.samples).toBe(100);
  expect(b.comparisons).toEqual(a.comparisons);
  expect(b.outputs).toEqual({ included: false, reason: 'checked in 4 chunks', shapes: [[100, 10]] });
  expect(Object.keys(b.timingsMs).sort()).toEqual(['backend', 'compare', 'handPath', 'layerPath', 'model', 'read']);
  expect(['layer path', 'hand path', 'comparison', 'reading']).toContain(b.boundBy);
  expect(fs.readFileSync(chunked)).toEqual(fs.readFileSync(oneChunk));
  // Not a terminal: a line per chunk here (every 10% at most), the last one "done".
  const lines = parts.stderr.split('\n').filter((l) => l.includes('samples ('));
  expect(lines[0]).toMatch(/^rnn-parity: 32 of 100 samples \(32%\), \d+:\d\d, about \d+:\d\d left$/);
  expect(lines[lines.length - 1]).toMatch(/^rnn-parity: 100 of 100 samples \(100%\), \d+:\d\d, done$/);
  expect(whole.stderr).not.toMatch(/samples \(/);
});

test('the text report says how the samples were cut and which part bounded the run', async () => {
  const run = await runCli(['--model', MODEL, '--input', input, '--backend', 'cpu', '--chunk-size', '64']);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain('Output "dense" [100,10] (the first chunk\'s 64 samples shown):');
  expect(run.stdout).toMatch(
    /\ntime: layer path [\d.]+ m?s, hand path [\d.]+ m?s, comparison [\d.]+ m?s, reading [\d.]+ m?s \(100 samples in 2 chunks of 64\): the (layer path|hand path|comparison|reading) bounds this run\n/,
  );
});

test('a chunk size that is not a multiple of 32 is a usage error naming it', async () => {
  const run = await runCli(['--model', MODEL, '--input', input, '--backend', 'cpu', '--chunk-size', '50']);
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toBe(
    "rnn-parity: --chunk-size: expected a positive multiple of 32 (tfjs predict's batch, so that chunks change no batch of the layer path), got 50\n",
  );
});

test('a failed chunked check leaves --save-output as it was', async () => {
  const out = path.join(dir, 'kept.npy');
  fs.writeFileSync(out, 'what the user had');
  const run = await runCli(['--model', MODEL, '--input', input, '--backend', 'cpu', '--chunk-size', '32', '--atol', '0', '--rtol', '0', '--save-output', out]);
  expect(run.exitCode).toBe(1);
  expect(fs.readFileSync(out, 'utf8')).toBe('what the user had');
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('.kept'))).toEqual([]);
});
