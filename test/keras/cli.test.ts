/**
 * rnn-parity on Keras files, in-process (main(args, io) through test/helpers/run-cli.ts): the report for
 * people and as JSON (schema version 2), the three comparisons, --input/--expect/--save-output, exit
 * codes 0/1/2, architecture flags (refused with a .keras, required for a bare .weights.h5), and an
 * unsupported model's every blocker on stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { readNpyFile } from '../../src/io/npy';
import { readModelFile } from '../../src/formats/read-model';
import { expectClose } from '../helpers/expect-close';
import { editedKeras, KERAS_DIR, layerConfig, USER_DIR } from './helpers';

const run = runCli;

const lstm = (file: string) => path.join(KERAS_DIR, 'lstm', file);
const LSTM_FLAGS = ['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', lstm('expected.npy')];
const USER_FLAGS = ['--cell', 'lstm', '--units', '16', '--features', '3', '--timesteps', '12', '--outputs', '1'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-keras-cli-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--keras with --input and --expect: the graph, three comparisons, all PASS, exit 0', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  // The header names what the model is (its wording is the report's), where it came from, the input and the seed.
  expect(out.stdout.split('\n')[0]).toMatch(/^rnn-parity: \S.* from (\S+) \(Keras 3 \.keras, Keras 3\.15\.1\) on input \[N=2, T=10, D=4\], seed 42$/);
  expect(out.stdout.split('\n')[0]).toContain(` from ${lstm('model.keras')} (`);
  // Keras's own summary: LSTM(8) on D=4 has 4*8*(4+8+1) = 416 parameters, Dense(3) 8*3+3 = 27.
  expect(out.stdout).toMatch(/^input_layer \(InputLayer\)\s+\(None, 10, 4\)\s+0$/m);
  expect(out.stdout).toMatch(/^Layer \(type\)\s+Output Shape\s+Param #\s+Weights\s+Inputs\s+Options$/m);
  expect(out.stdout).toMatch(/^lstm \(LSTM\)\s+\(None, 8\)\s+416\s+\[4,32\] \[8,32\] \[32\]\s+input_layer\s+8 units, tanh\/sigmoid$/m);
  expect(out.stdout).toMatch(/^dense \(Dense\)\s+\(None, 3\)\s+27\s+\[8,3\] \[3\]\s+lstm\s+3 units, linear$/m);
  expect(out.stdout).toMatch(/^Total params: 443$/m);
  expect(out.stdout).toContain(`Input "input_layer": ${lstm('input.npy')}, as float32 [2,10,4]`);
  expect(out.stdout).toContain(`  Keras (${lstm('expected.npy')}):`);
  expect(out.stdout).toMatch(/^layer vs hand {3}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^hand vs Keras {3}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^layer vs Keras {2}PASS {2}max\|diff\| /m);
  expect(out.stdout).toMatch(/^tolerance: atol 2e-6 \+ rtol 1e-6\*\|ref\|, the default for K = 12, /m);
  expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons are within tolerance\n$/m);
  expect(out.stderr).toBe('');
});

test('--model and --weights read the same .keras as --keras', async () => {
  for (const flag of ['--model', '--weights']) {
    const out = await run([flag, lstm('model.keras'), '--input', lstm('input.npy'), '--expect', lstm('expected.npy'), '--backend', 'cpu']);
    expect({ flag, exitCode: out.exitCode }).toEqual({ flag, exitCode: 0 });
    expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons are within tolerance$/m);
  }
});

test("without --input the seed makes it: np.random.seed(42); randn(2, 10, 4) is the fixture's own input", async () => {
  const out = await run(['--keras', lstm('model.keras'), '--batch', '2', '--expect', lstm('expected.npy'), '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain('Input "input_layer": np.random.seed(42); X = np.random.randn(2, 10, 4), as float32 [2,10,4]');
  // np.random.seed(42); np.random.randn(2, 10, 4)[0, 0] = 0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254
  expect(out.stdout).toContain('[ 0.49671414 -0.13826430  0.64768857  1.52302980]');
  expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons are within tolerance$/m);
});

test('without --expect only layer vs hand is reported', async () => {
  const out = await run(['--keras', lstm('model.keras'), '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain('on input [N=1, T=10, D=4], seed 42');
  expect(out.stdout).not.toContain('vs Keras');
  expect(out.stdout).toMatch(/^PASS {2}the comparison is within tolerance$/m);
});

test('--json: one report (schema version 2) with the source, the graph, every comparison and the outputs', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--json']);
  expect(out.exitCode).toBe(0);
  expect(out.stderr).toBe('');
  const report = JSON.parse(out.stdout);
  expect(report).toMatchObject({
    schemaVersion: 2,
    pass: true,
    exitCode: 0,
    backend: { name: 'cpu' },
    source: { format: 'keras', path: lstm('model.keras'), writer: 'Keras 3.15.1' },
    seed: 42,
    precision: 'float64',
    inputs: [{ name: 'input_layer', shape: [2, 10, 4], from: lstm('input.npy') }],
    model: {
      topology: 'Sequential',
      inputs: [{ name: 'input_layer', shape: [null, 10, 4] }],
      outputs: ['dense'],
      totalParameters: 443,
    },
    tolerance: { base: { atol: 2e-6, rtol: 1e-6 }, reductionSize: 12, userAtol: false, widened: [] },
  });
  expect(report.source.spec).toBeUndefined();
  expect(
    report.model.layers.map((l: { name: string; type: string; parameters: number; weightShapes: number[][] }) => [
      l.name,
      l.type,
      l.parameters,
      l.weightShapes,
    ]),
  ).toEqual([
    ['lstm', 'LSTM', 416, [[4, 32], [8, 32], [32]]],
    ['dense', 'Dense', 27, [[8, 3], [3]]],
  ]);
  expect(report.comparisons.map((c: { output: string; name: string; report: { pass: boolean } }) => [c.output, c.name, c.report.pass])).toEqual([
    ['dense', 'layer vs hand', true],
    ['dense', 'hand vs Keras', true],
    ['dense', 'layer vs Keras', true],
  ]);
  // The headline report (what --backend all tabulates): the first that failed, else the last (layer vs Keras).
  expect(report.report).toEqual(report.comparisons[2].report);
  expect(report.outputs.included).toBe(true);
  const [values] = report.outputs.values;
  expect(values.name).toBe('dense');
  expectClose(values.expected, readNpyFile(lstm('expected.npy')), { atol: 0, rtol: 0 });
  expect(values.layer.shape).toEqual([2, 3]);
  expect(values.hand.shape).toEqual([2, 3]);
});

test("--save-output writes the layer path's output as float32 .npy on a pass, atomically", async () => {
  const target = path.join(dir, 'layer-output.npy');
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--json', '--save-output', target]);
  expect(out.exitCode).toBe(0);
  expect(out.stderr).toBe(`rnn-parity: saved the layer path's output (float32) to ${target} [2,3]\n`);
  const saved = readNpyFile(target);
  expect(saved.data).toBeInstanceOf(Float32Array);
  expectClose(saved, JSON.parse(out.stdout).outputs.values[0].layer, { atol: 0, rtol: 0 });
  expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test('--save-output on a failed check writes nothing (and leaves an earlier file as it was): exit 1', async () => {
  const fresh = path.join(dir, 'never-written.npy');
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--atol', '0', '--rtol', '0', '--save-output', fresh]);
  expect(out.exitCode).toBe(1);
  expect(out.stderr).toBe(`rnn-parity: the check failed, so nothing was saved to ${fresh}\n`);
  expect(fs.existsSync(fresh)).toBe(false);
  const earlier = path.join(dir, 'earlier.npy');
  fs.writeFileSync(earlier, 'earlier bytes');
  expect((await run([...LSTM_FLAGS, '--backend', 'cpu', '--atol', '0', '--rtol', '0', '--save-output', earlier])).exitCode).toBe(1);
  expect(fs.readFileSync(earlier, 'utf8')).toBe('earlier bytes');
});

test("a Keras output that is not this model's fails hand vs Keras and layer vs Keras: exit 1", async () => {
  // gru-reset-before's expected.npy has the same shape [2, 3] and other values.
  const other = path.join(KERAS_DIR, 'gru-reset-before', 'expected.npy');
  const out = await run(['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', other, '--backend', 'cpu']);
  expect(out.exitCode).toBe(1);
  expect(out.stdout).toMatch(/^layer vs hand {3}PASS /m);
  expect(out.stdout).toMatch(/^hand vs Keras {3}FAIL {2}6 of 6 over atol 2e-6/m);
  expect(out.stdout).toMatch(/^layer vs Keras {2}FAIL /m);
  expect(out.stdout).toMatch(/^FAIL {2}2 of 3 comparisons over tolerance$/m);
  const json = JSON.parse((await run(['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', other, '--backend', 'cpu', '--json'])).stdout);
  expect(json).toMatchObject({ pass: false, exitCode: 1 });
  // The headline is the first comparison that failed.
  expect(json.report).toEqual(json.comparisons[1].report);
});

test('--atol 0 --rtol 0 applies to every comparison and is never widened: exit 1', async () => {
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--atol', '0', '--rtol', '0']);
  expect(out.exitCode).toBe(1);
  expect(out.stdout).toMatch(/^layer vs hand {3}FAIL .* over atol 0 \+ rtol 0\*\|ref\|/m);
  expect(out.stdout).toMatch(/^tolerance: atol 0 \+ rtol 0\*\|ref\|, as given$/m);
});

test('--save-weights with a .keras writes tfjs artifacts that read back as the same model', async () => {
  const target = path.join(dir, 'converted');
  const out = await run([...LSTM_FLAGS, '--backend', 'cpu', '--save-weights', target]);
  expect(out.exitCode).toBe(0);
  expect(out.stderr).toBe(`rnn-parity: saved the model to ${target}/model.json and weights.bin\n`);
  const keras = readModelFile(lstm('model.keras')).model;
  const tfjs = readModelFile(target).model;
  expect(tfjs.layers.map((l) => [l.name, l.kind, l.weights.map((w) => [w.name, w.shape, Array.from(w.data)])])).toEqual(
    keras.layers.map((l) => [l.name, l.kind, l.weights.map((w) => [w.name, w.shape, Array.from(w.data)])]),
  );
});

describe('a bare .weights.h5 takes its architecture from the flags', () => {
  const bare = path.join(USER_DIR, 'user-lstm.weights.h5');
  const data = ['--input', path.join(USER_DIR, 'user-lstm.input.npy'), '--expect', path.join(USER_DIR, 'user-lstm.expected.npy')];

  test('with the flags (and --batch matching the input): three comparisons pass', async () => {
    const out = await run(['--keras', bare, ...USER_FLAGS, '--batch', '4', ...data, '--backend', 'cpu']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(`from ${bare} (Keras 3 .weights.h5 with the flags) on input [N=4, T=12, D=3]`);
    expect(out.stdout).toMatch(/^PASS {2}all 3 comparisons are within tolerance$/m);
    const json = JSON.parse((await run(['--keras', bare, ...USER_FLAGS, '--batch', '4', ...data, '--backend', 'cpu', '--json'])).stdout);
    expect(json.source).toMatchObject({
      format: 'weights.h5',
      path: bare,
      writer: null,
      spec: { cell: 'lstm', units: 16, inputDim: 3, timeSteps: 12, denseUnits: 1 },
    });
  });

  // Was a bug: the preset's default batch (1) reached checkModel as if --batch 1 had been typed.
  test('with the flags and no --batch: the batch comes from --input', async () => {
    const out = await run(['--keras', bare, ...USER_FLAGS, ...data, '--backend', 'cpu']);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
  });

  test('without the flags: the preset default architecture (SimpleRNN(5) + Dense(2)) is refused naming the missing group, exit 2', async () => {
    const out = await run(['--keras', bare, '--backend', 'cpu']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe(`rnn-parity: ${bare}: expected a group layers/simple_rnn for layer 1 "simplernn" (SimpleRNN), got only dense, lstm\n`);
    expect(out.stdout).toBe('');
  });

  test('with flags describing another width: ShapeError naming the dataset, exit 2', async () => {
    const out = await run(['--keras', bare, ...USER_FLAGS.map((a) => (a === '16' ? '15' : a)), '--backend', 'cpu']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe(`rnn-parity: ${bare}: layers/lstm/cell/vars/0: expected shape [3,60], got [3,64]\n`);
  });
});

describe('an unsupported model: every blocker on stderr, one line each, exit code 2', () => {
  const threeBlockers = () => {
    const file = path.join(dir, 'three-blockers.keras');
    fs.writeFileSync(
      file,
      editedKeras('stack-lstm', ({ config }) => {
        layerConfig(config, 1).stateful = true;
        config.config.layers[2].registered_name = 'my_package>LSTM';
        // A Lambda (arbitrary Python code) can never have a hand path.
        config.config.layers.splice(3, 0, {
          module: 'keras.layers',
          class_name: 'Lambda',
          config: { name: 'lambda', function: { class_name: '__lambda__', config: { code: 'x * 2' } }, arguments: {} },
          registered_name: null,
        });
      }),
    );
    return file;
  };

  test('text', async () => {
    const file = threeBlockers();
    const out = await run(['--keras', file, '--backend', 'cpu']);
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toEqual([
      `rnn-parity: ${file}: expected a model rnn-parity can check, got 3 blockers:`,
      '  - layer 1 "lstm" (LSTM) stateful = true: expected false, the only value rnn-parity checks (a stateful layer carries state between batches; check it with stateful=False)',
      '  - layer 2 "lstm_1" (LSTM) registered_name = "my_package>LSTM": expected a built-in layer (custom layers have no hand path; replace it by built-in layers)',
      expect.stringMatching(
        /^ {2}- layer 3 "lambda" \(Lambda\) class_name = "Lambda": not a supported layer kind \(supported: SimpleRNN, LSTM, GRU, Dense, .*\)$/,
      ),
    ]);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  test('--json: the error report carries every blocker', async () => {
    const out = await run(['--keras', threeBlockers(), '--backend', 'cpu', '--json']);
    expect(out.exitCode).toBe(2);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ schemaVersion: 2, pass: false, exitCode: 2, error: { type: 'UnsupportedModelError' } });
    expect(report.error.blockers.map((b: { layer: string; option: string; value: unknown }) => [b.layer, b.option, b.value])).toEqual([
      ['layer 1 "lstm" (LSTM)', 'stateful', true],
      ['layer 2 "lstm_1" (LSTM)', 'registered_name', 'my_package>LSTM'],
      ['layer 3 "lambda" (Lambda)', 'class_name', 'Lambda'],
    ]);
  });
});

describe('bad files and flags: one line naming the thing, exit code 2', () => {
  test.each<[string, () => string[], string]>([
    [
      'an architecture flag with a .keras',
      () => [...LSTM_FLAGS, '--units', '4'],
      `--units: expected no architecture flags with --keras (the architecture comes from ${lstm('model.keras')}), got --units 4`,
    ],
    ['a boolean architecture flag with a .keras', () => [...LSTM_FLAGS, '--no-go-backwards'], '--no-go-backwards: expected no architecture flags with --keras'],
    ['an architecture flag with --model', () => ['--model', lstm('model.keras'), '--cell', 'gru'], '--cell: expected no architecture flags with --model'],
    [
      '--weights with --keras',
      () => [...LSTM_FLAGS, '--weights', 'some/dir'],
      `--weights: expected one model source, got --keras ${lstm('model.keras')} and --weights some/dir`,
    ],
    [
      'a missing .keras',
      () => ['--keras', 'no/such/model.keras'],
      'no/such/model.keras: expected a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras, got ENOENT',
    ],
    [
      'a missing --input',
      () => ['--keras', lstm('model.keras'), '--input', 'no/such/x.npy'],
      '--input: expected a readable .npy file at no/such/x.npy, got ENOENT',
    ],
    [
      'a missing --expect',
      () => ['--keras', lstm('model.keras'), '--expect', 'no/such/y.npy'],
      '--expect: expected a readable .npy file at no/such/y.npy, got ENOENT',
    ],
    [
      'an input of the wrong dimension',
      () => ['--keras', lstm('model.keras'), '--input', path.join(KERAS_DIR, 'notebook-simple-rnn', 'input.npy')],
      'input "input_layer": expected shape [any, 10, 4], got [1,10,3]',
    ],
    [
      'an input of the wrong length (a saved sequence length is a constraint)',
      () => ['--keras', lstm('model.keras'), '--input', path.join(KERAS_DIR, 'long-sequence', 'input.npy')],
      'input "input_layer": expected shape [any, 10, 4], got [2,1000,3]',
    ],
    [
      '--timesteps disagreeing with the saved length',
      () => ['--keras', lstm('model.keras'), '--timesteps', '11'],
      "--timesteps: expected 10 (the model's saved input shape), got 11",
    ],
    ['two inputs for a one-input model', () => [...LSTM_FLAGS, '--input', lstm('input.npy')], 'inputs: expected 1 (input_layer), got 2'],
    ['--batch disagreeing with --input', () => [...LSTM_FLAGS, '--batch', '3'], "--batch: expected 2 (the input's first dimension), got 3"],
    [
      'an expected output of the wrong shape',
      () => ['--keras', lstm('model.keras'), '--input', lstm('input.npy'), '--expect', lstm('input.npy')],
      'expected output "dense": expected shape [2,3] (the model\'s output for these inputs), got [2,10,4]',
    ],
    ['two expected outputs for a one-output model', () => [...LSTM_FLAGS, '--expect', lstm('expected.npy')], 'expected outputs: expected 1 (dense), got 2'],
    [
      'a stateful model',
      () => {
        const file = path.join(dir, 'stateful.keras');
        fs.writeFileSync(
          file,
          editedKeras('lstm', ({ config }) => {
            layerConfig(config, 1).stateful = true;
          }),
        );
        return ['--keras', file];
      },
      'stateful.keras: expected a model rnn-parity can check, got 1 blocker:',
    ],
    [
      '--save-output into a missing directory',
      () => [...LSTM_FLAGS, '--save-output', 'no/such/dir/out.npy'],
      '--save-output: expected a writable path at no/such/dir/out.npy, got ENOENT',
    ],
    [
      '--save-output with --backend all',
      () => [...LSTM_FLAGS, '--backend', 'all', '--save-output', 'out.npy'],
      '--save-output: expected a single backend, got --backend all',
    ],
  ])('%s', async (_what, args, message) => {
    const argv = args();
    const out = await run(argv.includes('--backend') ? argv : [...argv, '--backend', 'cpu']);
    expect(out.stderr).toContain(message);
    expect(out.exitCode).toBe(2);
    expect(out.stderr.startsWith('rnn-parity: ')).toBe(true);
    // One line (an unsupported model with one blocker too; several blockers would take a line each).
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stdout).toBe('');
  });

  test('--json reports a refused file as JSON too', async () => {
    const out = await run(['--keras', 'no/such/model.keras', '--backend', 'cpu', '--json']);
    expect(out.exitCode).toBe(2);
    expect(JSON.parse(out.stdout)).toMatchObject({ schemaVersion: 2, pass: false, exitCode: 2, error: { type: 'ConfigError' } });
  });
});

test('--backend all checks the Keras model on every backend, one table (needs dist/ built)', async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'src', 'formats', 'read-model.js'))) {
    throw new Error('dist/ has no model reader: run `npm run build` (npm test does it through scripts/setup.mjs)');
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
