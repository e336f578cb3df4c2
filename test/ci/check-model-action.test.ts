/**
 * The reusable CI step (.github/actions/check-model) run as GitHub would run its script: every model on every
 * backend, a JSON and a text report each, a summary table, and the worst exit code as the step's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const RUN = path.join(ROOT, '.github', 'actions', 'check-model', 'run.mjs');

function runAction(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-action-'));
  const summary = path.join(dir, 'summary.md');
  const run = spawnSync(process.execPath, [RUN], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, INPUT_COMMAND: 'node bin/rnn-parity', INPUT_REPORT_DIR: path.join(dir, 'reports'), GITHUB_STEP_SUMMARY: summary, ...env },
  });
  return { run, dir, summary };
}

test('two models on cpu and wasm: four passing runs, each with its JSON and text report', () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'apps', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build`');
  const { run, dir, summary } = runAction({
    INPUT_MODELS: 'models/keras-models/clf-lstm-softmax/model.keras\nmodels/keras-models/text-masked-gru/model.keras\n',
    INPUT_BACKENDS: 'cpu wasm',
  });
  try {
    expect(run.status).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'reports')).sort();
    expect(files).toHaveLength(8);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'models-keras-models-clf-lstm-softmax-model.keras.wasm.json'), 'utf8'));
    expect(report.pass).toBe(true);
    expect(report.backend.name).toBe('wasm');
    expect(fs.readFileSync(path.join(dir, 'reports', 'models-keras-models-text-masked-gru-model.keras.cpu.txt'), 'utf8')).toMatch(/\nPASS /);
    expect(run.stdout.split('\n').filter((l) => l.includes('| PASS |'))).toHaveLength(4);
    expect(fs.readFileSync(summary, 'utf8')).toContain('## rnn-parity');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model that cannot be read makes the step fail with its exit code, and still writes the reports', () => {
  const { run, dir } = runAction({ INPUT_MODELS: 'no/such/model.keras', INPUT_BACKENDS: 'cpu' });
  try {
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/\| no\/such\/model\.keras \| cpu \| exit 2 \| .*no\/such\/model\.keras/);
    expect(fs.readdirSync(path.join(dir, 'reports')).sort()).toEqual(['no-such-model.keras.cpu.json', 'no-such-model.keras.cpu.txt']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no models is a usage error', () => {
  const { run, dir } = runAction({ INPUT_MODELS: '' });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(run.status).toBe(2);
  expect(run.stderr).toBe('rnn-parity action: expected at least one model in `models`, got none\n');
});
