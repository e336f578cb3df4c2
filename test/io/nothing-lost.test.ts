/**
 * Nothing lost, through the CLI: --save-weights and --save-output replace earlier results whole or not
 * at all. A write that fails (injected with jest spies on node:fs, or a parent that is a file) leaves the
 * old files byte-identical and no temporary file behind, with exit code 2 and one line saying why; a
 * check that fails never touches them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expectCliRefusal, snapshotDirectory, temporaryDirectory } from '../fuzz/helpers';
import { runCli } from '../helpers/run-cli';

const LSTM_DIR = path.resolve(__dirname, '../../models/keras/lstm');
const KERAS = ['--keras', path.join(LSTM_DIR, 'model.keras'), '--input', path.join(LSTM_DIR, 'input.npy'), '--backend', 'cpu'];

let tmp: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  tmp = temporaryDirectory('nothing-lost');
});
afterEach(() => {
  jest.restoreAllMocks();
  tmp.remove();
});

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Makes fs.openSync fail with `code` for temporary files whose name matches `pattern`. */
function failOpening(pattern: RegExp, code = 'ENOSPC'): void {
  const openSync = fs.openSync;
  jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: any[]) => {
    if (pattern.test(path.basename(String(file)))) throw errno(code);
    return (openSync as any)(file, ...rest);
  }) as any);
}

/** A directory holding the model saved by a check with `seed`, and a snapshot of its bytes. */
async function savedModel(seed: string): Promise<{ dir: string; before: Record<string, string> }> {
  const dir = path.join(tmp.dir, 'model');
  const run = await runCli(['--seed', seed, '--backend', 'cpu', '--save-weights', dir]);
  expect(run.exitCode).toBe(0);
  return { dir, before: snapshotDirectory(dir) };
}

describe('--save-weights over an existing model', () => {
  test.each([
    ['weights.bin', /^\.weights\.bin\..*\.tmp$/],
    ['model.json', /^\.model\.json\..*\.tmp$/],
  ])('writing %s fails (ENOSPC): exit 2, the old pair byte-identical, no temporary file', async (_file, pattern) => {
    const { dir, before } = await savedModel('1');
    failOpening(pattern);
    const run = await runCli(['--seed', '2', '--units', '7', '--backend', 'cpu', '--save-weights', dir]);
    jest.restoreAllMocks();
    expectCliRefusal(run, `weights: expected a writable directory at ${dir}, got ENOSPC`);
    expect(snapshotDirectory(dir)).toEqual(before);
  });

  test('renaming model.json fails after weights.bin was renamed: weights.bin is rolled back', async () => {
    const { dir, before } = await savedModel('1');
    const renameSync = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(to).endsWith('model.json') && String(from).endsWith('.tmp')) throw errno('EIO');
      renameSync(from, to);
    });
    const run = await runCli(['--seed', '2', '--units', '7', '--backend', 'cpu', '--save-weights', dir]);
    jest.restoreAllMocks();
    expectCliRefusal(run, `weights: expected a writable directory at ${dir}, got EIO`);
    expect(snapshotDirectory(dir)).toEqual(before);
    // And the pair still loads: the same check as before passes on it.
    expect((await runCli(['--weights', dir, '--backend', 'cpu'])).exitCode).toBe(0);
  });

  test('a directory whose parent is a file: exit 2 naming it (it was exit 4, "internal error")', async () => {
    const file = path.join(tmp.dir, 'file');
    fs.writeFileSync(file, 'not a directory');
    const run = await runCli(['--backend', 'cpu', '--save-weights', path.join(file, 'model')]);
    expectCliRefusal(run, `weights: expected a writable directory at ${path.join(file, 'model')}, got ENOTDIR`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
  });

  test('a check refused as bad usage (exit 2) does not touch the saved model', async () => {
    const { dir, before } = await savedModel('1');
    const run = await runCli(['--seed', '2', '--units', '0', '--backend', 'cpu', '--save-weights', dir]);
    expectCliRefusal(run, '--units: expected an integer from 1 to 4096, got "0"');
    expect(snapshotDirectory(dir)).toEqual(before);
  });

  // KNOWN GAP, outside src/io and src/keras: runCheck (src/check.ts) saves after comparing, whatever the
  // verdict. Fix: `if (options.saveWeightsDir && report.pass)`; then make this a plain test.
  test('a check that fails (exit 1) does not touch the saved model', async () => {
    const { dir, before } = await savedModel('1');
    const run = await runCli(['--seed', '2', '--atol', '0', '--rtol', '0', '--backend', 'cpu', '--save-weights', dir]);
    expect(run.exitCode).toBe(1);
    expect(snapshotDirectory(dir)).toEqual(before);
  });
});

describe('--save-output over an existing .npy', () => {
  /** out.npy saved by a passing --keras check, and its bytes. */
  async function savedOutput(): Promise<{ out: string; before: Record<string, string> }> {
    const out = path.join(tmp.dir, 'out', 'out.npy');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'an earlier result');
    return { out, before: snapshotDirectory(path.dirname(out)) };
  }

  test('the write fails (ENOSPC): exit 2, the old file intact, no temporary file', async () => {
    const { out, before } = await savedOutput();
    failOpening(/^\.out\.npy\..*\.tmp$/);
    const run = await runCli([...KERAS, '--save-output', out]);
    jest.restoreAllMocks();
    expectCliRefusal(run, `--save-output: expected a writable path at ${out}, got ENOSPC`);
    expect(snapshotDirectory(path.dirname(out))).toEqual(before);
  });

  test('a parent that is a file: exit 2, nothing written', async () => {
    const file = path.join(tmp.dir, 'file');
    fs.writeFileSync(file, 'x');
    const run = await runCli([...KERAS, '--save-output', path.join(file, 'out.npy')]);
    expectCliRefusal(run, `--save-output: expected a writable path at ${path.join(file, 'out.npy')}, got ENOTDIR`);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  test('a check refused for a bad input (exit 2) does not touch the old output', async () => {
    const { out, before } = await savedOutput();
    const badInput = path.join(tmp.dir, 'bad.npy');
    fs.writeFileSync(badInput, 'not an npy file');
    const run = await runCli(['--keras', path.join(LSTM_DIR, 'model.keras'), '--input', badInput, '--backend', 'cpu', '--save-output', out]);
    expectCliRefusal(run, 'bad.npy: npy: bad magic');
    expect(snapshotDirectory(path.dirname(out))).toEqual(before);
  });

  test('a passing check replaces it whole', async () => {
    const { out } = await savedOutput();
    const run = await runCli([...KERAS, '--save-output', out]);
    expect(run.exitCode).toBe(0);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out.npy']);
    expect(fs.readFileSync(out).subarray(0, 6)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]));
  });

  // KNOWN GAP, outside src/io and src/keras: kerasCommand (apps/cli/commands/keras.ts) writes the output
  // before it looks at the verdict. Fix: write only when result.pass; then make this a plain test.
  test('a check that fails (exit 1) does not touch the old output', async () => {
    const { out, before } = await savedOutput();
    const run = await runCli([...KERAS, '--atol', '0', '--rtol', '0', '--save-output', out]);
    expect(run.exitCode).toBe(1);
    expect(snapshotDirectory(path.dirname(out))).toEqual(before);
  });
});
