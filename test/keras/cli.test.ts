/**
 * rnn-parity --keras, in-process (main(args, io), as test/cli/check-command.test.ts): the three
 * comparisons, --input/--expect/--save-output, --json, exit codes 0/1/2, and the flags refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { readNpyFile } from '../../src/io/npy';
import { expectClose } from '../helpers/expect-close';
import { editedKeras, KERAS_DIR, layerConfig, USER_DIR } from './helpers';

const run = runCli;

const lstm = (file: string) => path.join(KERAS_DIR, 'lstm', file);
const LSTM_FLAGS = ['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', lstm('expected.npy')];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-keras-cli-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--keras with --input and --expect: three comparisons, all PASS, exit 0', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain(`rnn-parity: LSTM(8) + Dense(3) from ${lstm('model.keras')} (Keras 3.15.1) on input [N=2, T=10, D=4]`);
  // Keras's own summary: LSTM(8) on D=4 has 4*8*(4+8+1) = 416 parameters, Dense(3) 8*3+3 = 27.
  expect(out.stdout).toMatch(/^lstm \(LSTM\)\s+\(None, 8\)\s+416\s+\[4,32\] \[8,32\] \[32\]$/m);
  expect(out.stdout).toMatch(/^dense \(Dense\)\s+\(None, 3\)\s+27\s+\[8,3\] \[3\]$/m);
  expect(out.stdout).toContain(`Keras (${lstm('expected.npy')}), [2,3]:`);
  expect(out.stdout).toMatch(/^layer vs hand {3}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^hand vs Keras {3}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^layer vs Keras {2}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons within tolerance$/m);
  expect(out.stderr).toBe('');
});

test("without --input the seed makes it: np.random.seed(42); randn(2, 10, 4) is the fixture's own input", async () => {
  const out = await run(['--keras', lstm('model.keras'), '--batch', '2', '--expect', lstm('expected.npy'), '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain('Input: np.random.seed(42); X = np.random.randn(2, 10, 4), as float32 [2,10,4]');
  // np.random.seed(42); np.random.randn(2, 10, 4)[0, 0] = 0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254
  expect(out.stdout).toContain('[ 0.49671414 -0.13826430  0.64768857  1.52302980]');
});

test('without --expect only layer vs hand is reported', async () => {
  const out = await run(['--keras', lstm('model.keras'), '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain('on input [N=1, T=10, D=4]');
  expect(out.stdout).not.toContain('vs Keras');
  expect(out.stdout).toMatch(/^PASS {2}all 1 comparisons within tolerance$/m);
});

test('--json: one report with every comparison, the Keras facts and the outputs', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--json']);
  expect(out.exitCode).toBe(0);
  const report = JSON.parse(out.stdout);
  expect(report).toMatchObject({
    schemaVersion: 1,
    pass: true,
    exitCode: 0,
    inputShape: [2, 10, 4],
    keras: { format: 'keras', kerasVersion: '3.15.1', layerNames: ['lstm', 'dense'], input: lstm('input.npy'), expected: lstm('expected.npy') },
    parameters: { total: 443 },
  });
  expect(report.spec).toMatchObject({ cell: 'lstm', batch: 2, timeSteps: 10, inputDim: 4, units: 8, denseUnits: 3 });
  expect(report.comparisons.map((c: { name: string }) => c.name)).toEqual(['layer vs hand', 'hand vs Keras', 'layer vs Keras']);
  // The headline report (what --backend all tabulates) is layer vs Keras.
  expect(report.report).toEqual(report.comparisons[2].report);
  expectClose(report.outputs.keras.data, readNpyFile(lstm('expected.npy')), { atol: 0, rtol: 0 });
  expect(report.outputs.layer.shape).toEqual([2, 3]);
});

test("--save-output writes the layer path's output as float32 .npy, atomically", async () => {
  const target = path.join(dir, 'layer-output.npy');
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--json', '--save-output', target]);
  expect(out.exitCode).toBe(0);
  expect(out.stderr).toBe(`rnn-parity: saved the layer path's output [2,3] (float32) to ${target}\n`);
  const saved = readNpyFile(target);
  expect(saved.data).toBeInstanceOf(Float32Array);
  expectClose(saved, JSON.parse(out.stdout).outputs.layer.data, { atol: 0, rtol: 0 });
  expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test("a Keras output that is not this model's fails hand vs Keras and layer vs Keras: exit 1", async () => {
  // gru-reset-before's expected.npy has the same shape [2, 3] and other values.
  const other = path.join(KERAS_DIR, 'gru-reset-before', 'expected.npy');
  const out = await run(['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', other, '--backend', 'cpu']);
  expect(out.exitCode).toBe(1);
  expect(out.stdout).toMatch(/^layer vs hand {3}PASS /m);
  expect(out.stdout).toMatch(/^hand vs Keras {3}FAIL {2}\d of 6 over atol 2e-6/m);
  expect(out.stdout).toMatch(/^layer vs Keras {2}FAIL /m);
  expect(out.stdout).toMatch(/^FAIL {2}2 of 3 comparisons over tolerance$/m);
});

test('--atol 0 --rtol 0 applies to every comparison: exit 1', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--atol', '0', '--rtol', '0']);
  expect(out.exitCode).toBe(1);
  expect(out.stdout).toMatch(/^layer vs hand {3}FAIL .* over atol 0 \+ rtol 0\*\|ref\|/m);
});

test('a bare .weights.h5 takes its architecture from the flags', async () => {
  const args = ['--keras', path.join(USER_DIR, 'user-lstm.weights.h5'), '--cell', 'lstm', '--units', '16', '--features', '3', '--timesteps', '12', '--outputs', '1'];
  const out = await run([...args, '--input', path.join(USER_DIR, 'user-lstm.input.npy'), '--expect', path.join(USER_DIR, 'user-lstm.expected.npy'), '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons within tolerance$/m);
  const wrong = await run(['--keras', path.join(USER_DIR, 'user-lstm.weights.h5'), '--backend', 'cpu']);
  expect(wrong.exitCode).toBe(2);
  expect(wrong.stderr).toContain('layers: expected the groups of 1 x simple_rnn(5) + dense(2) (simple_rnn, dense), got dense, lstm');
});

describe('bad files and flags: one line naming the thing, exit code 2', () => {
  const stateful = () => {
    const file = path.join(dir, 'stateful.keras');
    fs.writeFileSync(file, editedKeras('lstm', ({ config }) => { layerConfig(config, 1).stateful = true; }));
    return file;
  };
  test.each<[string, () => string[], string]>([
    ['an architecture flag with a .keras', () => [...LSTM_FLAGS, '--units', '4'], `--units: expected no architecture flags with --keras (the architecture comes from ${lstm('model.keras')}'s config.json), got --units 4`],
    ['a boolean architecture flag with a .keras', () => [...LSTM_FLAGS, '--no-go-backwards'], '--no-go-backwards: expected no architecture flags with --keras'],
    ['--weights with --keras', () => [...LSTM_FLAGS, '--weights', 'some/dir'], '--weights: expected no tfjs artifacts with --keras'],
    ['--save-weights with --keras', () => [...LSTM_FLAGS, '--save-weights', 'some/dir'], '--save-weights: expected no tfjs artifacts with --keras'],
    ['--expect without --keras', () => ['--expect', lstm('expected.npy')], '--expect: expected --keras too'],
    ['--input without --keras', () => ['--input', lstm('input.npy')], '--input: expected --keras too'],
    ['a missing .keras', () => ['--keras', 'no/such/model.keras'], 'no/such/model.keras: expected a readable Keras file, got ENOENT'],
    ['a missing --input', () => ['--keras', lstm('model.keras'), '--input', 'no/such/x.npy'], '--input: expected a readable .npy file at no/such/x.npy, got ENOENT'],
    ['an input of the wrong dimension', () => ['--keras', lstm('model.keras'), '--input', path.join(KERAS_DIR, 'notebook-simple-rnn', 'input.npy')], 'input: expected shape [1,10,4] (timeSteps 10, inputDim 4 from the model), got [1,10,3]'],
    ['an input of the wrong length', () => ['--keras', lstm('model.keras'), '--input', path.join(KERAS_DIR, 'long-sequence', 'input.npy')], 'timeSteps: expected 10 (the model\'s saved input shape [null,10,4]), got 1000 from the input [2,1000,3]'],
    ['--batch disagreeing with --input', () => [...LSTM_FLAGS, '--batch', '3'], 'batch: expected 2 (the input\'s first dimension), got 3'],
    ['an expected output of the wrong shape', () => ['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', lstm('input.npy')], 'expected output: expected shape [2,3] (the model\'s output for input [2,10,4]), got [2,10,4]'],
    ['a stateful model', () => ['--keras', stateful()], 'config.json: layer 1 "lstm" (LSTM) stateful: expected false (the only value both paths implement), got true'],
    ['--save-output into a missing directory', () => [...LSTM_FLAGS, '--save-output', 'no/such/dir/out.npy'], '--save-output: expected a writable path at no/such/dir/out.npy, got ENOENT'],
    ['--save-output with --backend all', () => [...LSTM_FLAGS, '--backend', 'all', '--save-output', 'out.npy'], '--save-output: expected a single backend, got --backend all'],
  ])('%s', async (_what, args, message) => {
    const argv = args();
    const out = await run(argv.includes('--backend') ? argv : [...argv, '--backend', 'cpu']);
    expect(out.stderr).toContain(message);
    expect(out.exitCode).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stdout).toBe('');
  });

  test('--json reports a refused file as JSON too', async () => {
    const out = await run(['--keras', stateful(), '--backend', 'cpu', '--json']);
    expect(out.exitCode).toBe(2);
    expect(JSON.parse(out.stdout)).toMatchObject({ pass: false, exitCode: 2, error: { type: 'ConfigError' } });
  });
});

test('--backend all checks the Keras model on every backend, one table (needs dist/ built)', async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'src', 'keras', 'check.js'))) {
    throw new Error('dist/ has no Keras import: run `npm run build` (npm test does it through scripts/setup.mjs)');
  }
  const out = await run([...LSTM_FLAGS, '--backend', 'all', '--json']);
  const report = JSON.parse(out.stdout);
  const byBackend = Object.fromEntries(report.runs.map((r: any) => [r.backend?.name ?? r.error?.message, r]));
  for (const backend of ['tensorflow', 'cpu', 'wasm']) {
    expect(byBackend[backend]).toMatchObject({ pass: true, exitCode: 0 });
    expect(byBackend[backend].comparisons).toHaveLength(3);
  }
  expect(out.exitCode).toBe(0);
});
