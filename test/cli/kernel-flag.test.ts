/**
 * `--kernel ts|wasm`: the hand path's matmul kernel. Both give the same bits (test/hand/wasm-kernel.test.ts), so
 * the whole report's comparisons are equal field for field; an unknown kernel is a usage error naming it.
 */
import path from 'node:path';
import { setDefaultKernel } from '../../src/hand/precision';
import { runCli } from '../helpers/run-cli';

const MODEL = path.join(__dirname, '..', '..', 'models', 'keras-models', 'stack-mixed-widths', 'model.keras');

afterAll(() => setDefaultKernel(undefined));

test('ts and wasm kernels give the same report', async () => {
  const args = ['--model', MODEL, '--batch', '64', '--backend', 'cpu', '--json'];
  const ts = JSON.parse((await runCli([...args, '--kernel', 'ts'])).stdout);
  const wasm = JSON.parse((await runCli([...args, '--kernel', 'wasm'])).stdout);
  expect(ts.pass).toBe(true);
  expect(wasm.comparisons).toEqual(ts.comparisons);
});

test('an unknown kernel is a usage error naming it', async () => {
  const run = await runCli(['--model', MODEL, '--backend', 'cpu', '--kernel', 'gpu']);
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toBe('rnn-parity: --kernel: expected one of ts, wasm, got "gpu"\n');
});
