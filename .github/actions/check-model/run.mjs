#!/usr/bin/env node
// The check-model action's step: every model on every backend, one `rnn-parity --json` run each, its JSON and its
// text report written to the report folder, a summary table (also to $GITHUB_STEP_SUMMARY when set), and the
// worst exit code as this step's (0 pass, 1 over tolerance, 2 bad input, 3 backend unavailable, 4 internal).
// Inputs come as INPUT_* environment variables (action.yml); test/ci/check-model-action.test.ts runs it locally.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const models = (process.env.INPUT_MODELS ?? '')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '');
const backends = (process.env.INPUT_BACKENDS ?? 'tensorflow').split(/\s+/).filter((b) => b !== '');
const extra = (process.env.INPUT_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
const command = (process.env.INPUT_COMMAND ?? 'npx --no-install rnn-parity').split(/\s+/).filter((c) => c !== '');
const reportDir = process.env.INPUT_REPORT_DIR ?? 'rnn-parity-reports';

if (models.length === 0) {
  console.error('rnn-parity action: expected at least one model in `models`, got none');
  process.exit(2);
}
fs.mkdirSync(reportDir, { recursive: true });

/** A file name for a model path and backend: models/mnist-lstm + cuda -> models-mnist-lstm.cuda */
const slug = (model, backend) => `${model.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')}.${backend}`;

const rows = [];
let worst = 0;
for (const model of models) {
  for (const backend of backends) {
    const args = [...command.slice(1), '--model', model, '--backend', backend, ...extra];
    const base = path.join(reportDir, slug(model, backend));
    const json = spawnSync(command[0], [...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    fs.writeFileSync(`${base}.json`, json.stdout ?? '');
    const text = spawnSync(command[0], args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    fs.writeFileSync(`${base}.txt`, `${text.stdout ?? ''}${text.stderr ?? ''}`);
    const code = json.status ?? 4;
    worst = Math.max(worst, code);
    let detail = (json.stderr ?? '').trim().split('\n').pop() ?? '';
    try {
      const report = JSON.parse(json.stdout);
      const headline = report.report;
      detail = headline ? `max|diff| ${Number(headline.maxAbsError).toExponential(2)}` : (report.error?.message ?? detail);
    } catch {
      // Not JSON: the stderr line says why.
    }
    rows.push({ model, backend, verdict: code === 0 ? 'PASS' : code === 1 ? 'FAIL' : `exit ${code}`, detail });
  }
}

const table = [
  '| model | backend | verdict | detail |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.backend} | ${r.verdict} | ${r.detail.replace(/\|/g, '\\|')} |`),
].join('\n');
console.log(table);
if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `## rnn-parity\n\n${table}\n`);
process.exit(worst);
