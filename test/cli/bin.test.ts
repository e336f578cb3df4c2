/** One spawned smoke test of bin/rnn-parity, as a user runs it (the default backend, real exit codes). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'rnn-parity');

function runBin(args: string[]) {
  if (!fs.existsSync(path.join(root, 'dist', 'apps', 'cli', 'main.js'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does it through scripts/setup.mjs)');
  }
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
}

test('rnn-parity --seed 42 passes on the default backend, which is tensorflow', () => {
  const run = runBin(['--seed', '42']);
  expect(run.stdout).toContain('backend: tensorflow (');
  expect(run.stdout).toMatch(/^PASS /m);
  expect(run.status).toBe(0);
});

test('bad usage exits 2 with one line on stderr', () => {
  const run = runBin(['--units', 'five', '--backend', 'cpu']);
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe('rnn-parity: --units: expected an integer from 1 to 4096, got "five"');
});
