/**
 * The CLI in-process (buildCli().parseAsync), as c8 tests its argument parsing: exit codes, one-line
 * errors naming the bad value, the human report and the JSON report.
 */
import { runCli } from '../helpers/run-cli';

const run = runCli;

test('the default command reproduces the notebook check and passes (exit 0)', async () => {
  const out = await run(['--seed', '42', '--backend', 'cpu']);
  expect(out.exitCode).toBe(0);
  expect(out.stdout).toContain('SimpleRNN(5) + Dense(2) on input [N=1, T=10, D=3], seed 42');
  // Keras's summary for seed 003: 45 + 12 = 57 parameters; weights [3,5] [5,5] [5] and [5,2] [2].
  expect(out.stdout).toMatch(/simple_rnn \(SimpleRNN\)\s+\(None, 5\)\s+45\s+\[3,5\] \[5,5\] \[5\]\s+input_layer/);
  expect(out.stdout).toMatch(/dense \(Dense\)\s+\(None, 2\)\s+12\s+\[5,2\] \[2\]\s+simple_rnn/);
  expect(out.stdout).toContain('Total params: 57');
  // np.random.seed(42); np.random.randn(1,10,3)[0,0,:] = 0.4967141530112327, -0.13826430117118466, 0.6476885381006925
  expect(out.stdout).toContain('[ 0.49671414 -0.13826430  0.64768857]');
  expect(out.stdout).toMatch(/^layer vs hand {2}PASS /m);
  expect(out.stdout).toMatch(/^PASS /m);
  expect(out.stderr).toBe('');
});

test('--json prints one parseable report with the schema fields', async () => {
  const out = await run(['--seed', '7', '--backend', 'cpu', '--batch', '3', '--return-sequences', '--json']);
  expect(out.exitCode).toBe(0);
  const report = JSON.parse(out.stdout);
  expect(report).toMatchObject({ schemaVersion: 2, pass: true, exitCode: 0, seed: 7, precision: 'float64' });
  expect(report.inputs).toEqual([{ name: 'input_layer', shape: [3, 10, 3], from: 'seed 7' }]);
  expect(report.source).toMatchObject({ format: 'flags', path: null, spec: { cell: 'simple', batch: 3, returnSequences: true } });
  expect(report.backend.name).toBe('cpu');
  expect(report.model.layers.map((l: { name: string }) => l.name)).toEqual(['simple_rnn', 'dense']);
  expect(report.comparisons).toHaveLength(1);
  expect(report.comparisons[0]).toMatchObject({ output: 'dense', name: 'layer vs hand' });
  expect(report.report.actualShape).toEqual([3, 10, 2]);
  expect(report.report.perStepMaxAbsError).toHaveLength(10);
  expect(report.tolerance.base).toEqual({ atol: 2e-6, rtol: 1e-6 });
  expect(report.outputs.values[0].layer.data).toHaveLength(60);
});

test('a tolerance of 0 turns the float32-vs-float64 difference into FAIL, exit 1, naming the worst index', async () => {
  const out = await run(['--seed', '42', '--backend', 'cpu', '--atol', '0', '--rtol', '0']);
  expect(out.exitCode).toBe(1);
  expect(out.stdout).toMatch(/^layer vs hand {2}FAIL .* over atol 0 \+ rtol 0\*\|ref\|; worst at \(sample 0, unit \d\)/m);
  expect(out.stdout).toMatch(/^FAIL {2}1 of 1 comparison over tolerance$/m);
});

describe('bad input: one line naming the value, exit code 2, no stack', () => {
  test.each([
    [['--seed', '-1'], '--seed: expected an integer from 0 to 4294967295, got "-1"'],
    [['--seed', '1.5'], '--seed: expected an integer from 0 to 4294967295, got "1.5"'],
    [['--batch', '0'], '--batch: expected an integer from 1 to 65536, got "0"'],
    [['--batch', 'abc'], '--batch: expected an integer from 1 to 65536, got "abc"'],
    [['--timesteps', '1e3'], '--timesteps: expected an integer from 1 to 100000, got "1e3"'],
    [['--features', '-3'], '--features: expected an integer from 1 to 65536, got "-3"'],
    [['--units', '5000'], '--units: expected an integer from 1 to 4096, got "5000"'],
    [['--outputs', ''], '--outputs: expected an integer from 1 to 65536, got ""'],
    [['--layers', '17'], '--layers: expected an integer from 1 to 16, got "17"'],
    [['--atol=-1e-5'], '--atol: expected a finite number >= 0, got "-1e-5"'],
    [['--rtol', 'NaN'], '--rtol: expected a finite number >= 0, got "NaN"'],
    [['--atol', 'Infinity'], '--atol: expected a finite number >= 0, got "Infinity"'],
    [['--cell', 'rnn'], 'Argument: cell, Given: "rnn", Choices: "simple", "lstm", "gru"'],
    [['--activation', 'gelu'], 'Argument: activation, Given: "gelu"'],
    [['--recurrent-activation', 'softsign'], 'Argument: recurrent-activation, Given: "softsign"'],
    [['--precision', 'float16'], 'Argument: precision, Given: "float16"'],
    [['--backend', 'tpu'], 'Argument: backend, Given: "tpu"'],
    [['--bogus'], 'Unknown argument: bogus'],
    // 65536 * 100000 * max(inputDim 3, gates*units 1*5, outputs 2) = 32768000000 elements, refused before allocating
    [['--batch', '65536', '--timesteps', '100000'], 'expected at most 67108864, got 32768000000'],
    [
      ['--weights', 'no/such/dir'],
      'no/such/dir: expected a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras, got ENOENT',
    ],
    [['--weights', 'models/mnist-lstm', '--units', '4'], '--units: expected no architecture flags with --weights'],
    [
      ['--model', 'models/mnist-lstm', '--keras', 'models/keras/lstm/model.keras'],
      '--keras: expected one model source, got --model models/mnist-lstm and --keras',
    ],
  ])('%j', async (args, message) => {
    const out = await run(args.includes('--backend') ? args : [...args, '--backend', 'cpu']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stdout).toBe('');
  });
});

test('--json reports a usage error as JSON too, with exit code 2', async () => {
  const out = await run(['--units', '0', '--json', '--backend', 'cpu']);
  expect(out.exitCode).toBe(2);
  expect(JSON.parse(out.stdout)).toMatchObject({ pass: false, exitCode: 2, error: { type: 'ConfigError' } });
});

test('--verbose adds the stack trace to the one-line error', async () => {
  const out = await run(['--units', '0', '--verbose', '--backend', 'cpu']);
  expect(out.exitCode).toBe(2);
  expect(out.stderr).toMatch(/\n\s+at /);
});

test('--backend cuda without a GPU: exit code 3 and what it needs', async () => {
  const out = await run(['--backend', 'cuda']);
  expect(out.exitCode).toBe(3);
  expect(out.stderr).toContain('CUDA 11.2 and cuDNN 8.1');
  expect(out.stderr).toContain('npm install --no-save @tensorflow/tfjs-node-gpu@4.22.0');
});
