/**
 * tfjs's train-mnist runs against Keras's, from the same initial weights and the same batches (docs/training-parity-mnist.md):
 *
 *   .cache/keras-venv/bin/python scripts/keras-mnist/train_keras.py --steps N --record /tmp/keras.json
 *   ./bin/rnn-parity train-mnist --samples N*128 --optimizer-form keras --out /tmp/tfjs-keras
 *   ./bin/rnn-parity train-mnist --samples N*128 --optimizer-form tfjs --out /tmp/tfjs-tfjs
 *   node dist/scripts/keras-mnist/compare-runs.js --keras /tmp/keras.json --tfjs keras=/tmp/tfjs-keras \
 *     --tfjs tfjs=/tmp/tfjs-tfjs [--svg docs/mnist-adam-forms.svg]
 *
 * Prints, per tfjs run, as Markdown: |loss_tfjs - loss_Keras| per step (summaries), max |w_tfjs - w_Keras| of each
 * final weight tensor, and both models' accuracy on all 10,000 test images with the images where their predicted
 * classes differ (tfjs's predictions are recomputed here from the saved model, whatever --test-images the run had).
 * --svg draws every run's per-step loss gap (apps/mnist/svg.ts gapChartSvg).
 */
import fs from 'node:fs';
import path from 'node:path';
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../../src/backends';
import { exitCodeFor } from '../../apps/cli/exit-codes';
import { ConfigError } from '../../src/errors';
import { readModelFile } from '../../src/formats/read-model';
import { loadModelArtifacts } from '../../src/io/model-artifacts';
import { loadMnist, type MnistSplit, type PixelScaling } from '../../apps/mnist/dataset';
import { argmaxRows, predictLogits } from '../../apps/mnist/evaluate';
import { gapChartSvg } from '../../apps/mnist/svg';
import { scriptCli } from '../script-cli';

/** What train_keras.py --record writes. */
interface KerasRecord {
  readonly steps: number;
  readonly keras: string;
  readonly loss: number[];
  /** Weights in tfjs's getWeights() order, by Keras's names. */
  readonly weights: Record<string, { shape: number[]; data: number[] }>;
  readonly predicted: number[];
}

/** One tfjs run, read back. */
interface TfjsRun {
  readonly label: string;
  readonly dir: string;
  readonly optimizer: string;
  readonly loss: number[];
  readonly weights: Float32Array[];
  readonly predicted: Int32Array;
}

const WEIGHT_NAMES = ['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias'];
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: expected a readable JSON file, got ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A run's saved model: weights from model.json + weights.bin, its test predictions from tfjs on the active backend. */
async function readTfjsRun(label: string, dir: string, test: MnistSplit): Promise<TfjsRun> {
  const record = readJson(path.join(dir, 'training.json')) as {
    history: { loss: (number | string)[] };
    model: { pixelScaling: PixelScaling };
    hyperparameters: { optimizer: { name: string; form: string } | string };
  };
  const { model } = readModelFile(dir);
  const weights = model.layers.flatMap((layer) => layer.weights.map((w) => Float32Array.from(w.data)));
  const { model: tfModel } = await loadModelArtifacts(dir);
  let predicted: Int32Array;
  try {
    predicted = argmaxRows(predictLogits(tfModel, test, record.model.pixelScaling, test.count, 500));
  } finally {
    tfModel.dispose();
  }
  const opt = record.hyperparameters.optimizer;
  return { label, dir, optimizer: typeof opt === 'string' ? opt : `${opt.name} (${opt.form} form)`, loss: record.history.loss.map(Number), weights, predicted };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const e = (x: number): string => (x === 0 ? '0' : x.toExponential(2));
const pct = (correct: number, total: number): string => `${((100 * correct) / total).toFixed(2)}%`;

/** The loss gap of one run, summarised: chosen steps, then maxima and medians over step ranges. */
function lossRows(runs: readonly TfjsRun[], keras: KerasRecord): string[] {
  const steps = keras.loss.length;
  const at = [1, 2, 5, 10, 100, 300, steps].filter((s, i, all) => s <= steps && all.indexOf(s) === i);
  const ranges = [
    [1, 10],
    [11, 100],
    [101, steps],
  ].filter(([a, b]) => a <= b && b <= steps);
  const header = ['run', ...at.map((s) => `step ${s}`), ...ranges.map(([a, b]) => `max ${a}-${b}`), ...ranges.map(([a, b]) => `median ${a}-${b}`)];
  const rows = runs.map((run) => {
    const gap = run.loss.map((l, i) => Math.abs(l - keras.loss[i]));
    return [
      run.optimizer,
      ...at.map((s) => e(gap[s - 1])),
      ...ranges.map(([a, b]) => e(Math.max(...gap.slice(a - 1, b)))),
      ...ranges.map(([a, b]) => e(median(gap.slice(a - 1, b)))),
    ];
  });
  return markdownTable(header, rows);
}

function weightRows(runs: readonly TfjsRun[], keras: KerasRecord): string[] {
  const reference = WEIGHT_NAMES.map((n) => keras.weights[n].data);
  const header = ['tensor', 'max abs Keras', ...runs.map((r) => `max abs diff, ${r.optimizer}`), ...runs.map((r) => `scaled, ${r.optimizer}`)];
  const rows = WEIGHT_NAMES.map((name, k) => [
    `${name} [${keras.weights[name].shape.join(', ')}]`,
    e(maxAbs(reference[k])),
    ...runs.map((r) => e(maxAbsDiff(r.weights[k], reference[k]))),
    ...runs.map((r) => e(maxAbsDiff(r.weights[k], reference[k]) / maxAbs(reference[k]))),
  ]);
  return markdownTable(header, rows);
}

function accuracyRows(runs: readonly TfjsRun[], keras: KerasRecord, test: MnistSplit): string[] {
  const correct = (p: ArrayLike<number>, n: number) =>
    Array.from(p)
      .slice(0, n)
      .filter((c, i) => c === test.labels[i]).length;
  const n = test.count;
  const rows = [
    [`Keras ${keras.keras}`, pct(correct(keras.predicted, n), n), pct(correct(keras.predicted, 128), 128), '-'],
    ...runs.map((r) => [
      `tfjs, ${r.optimizer}`,
      pct(correct(r.predicted, n), n),
      pct(correct(r.predicted, 128), 128),
      String(Array.from(r.predicted).filter((c, i) => c !== keras.predicted[i]).length),
    ]),
  ];
  return markdownTable(['model', `test accuracy (${n.toLocaleString('en-US')})`, 'first 128', 'classes differing from Keras'], rows);
}

function markdownTable(header: readonly string[], rows: readonly string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

async function main(argv: readonly string[]): Promise<void> {
  const args = scriptCli(argv, 'compare-runs', '$0 --keras FILE.json --tfjs LABEL=DIR [--tfjs LABEL=DIR ...] [--svg FILE]')
    .option('keras', { type: 'string', demandOption: true, describe: 'train_keras.py --record output' })
    .option('tfjs', { type: 'string', array: true, demandOption: true, describe: 'LABEL=DIR of a train-mnist run (its --out)' })
    .option('svg', { type: 'string', describe: 'write the loss-gap chart here' })
    .option('backend', { choices: BACKEND_CHOICES, default: 'auto' as BackendChoice, describe: 'backend for the tfjs predictions' })
    .parseSync();
  const keras = readJson(args.keras) as KerasRecord;
  await selectBackend(args.backend as BackendChoice);
  const { test } = loadMnist();
  const runs: TfjsRun[] = [];
  for (const entry of args.tfjs as string[]) {
    const at = entry.indexOf('=');
    if (at < 1) throw new ConfigError(`--tfjs: expected LABEL=DIR, got ${JSON.stringify(entry)}`);
    const run = await readTfjsRun(entry.slice(0, at), entry.slice(at + 1), test);
    if (run.loss.length !== keras.loss.length) {
      throw new ConfigError(`${run.dir}: expected ${keras.loss.length} steps (the Keras run's), got ${run.loss.length}`);
    }
    runs.push(run);
  }
  const lines = [
    `${keras.loss.length} steps; Keras ${keras.keras} (${args.keras}) against ${runs.map((r) => `${r.label} = ${r.dir}`).join(', ')}`,
    '',
    '|loss_tfjs - loss_Keras| (batch loss before each step):',
    '',
    ...lossRows(runs, keras),
    '',
    'Final weights, max |w_tfjs - w_Keras| per tensor (scaled: over max |w_Keras|):',
    '',
    ...weightRows(runs, keras),
    '',
    ...accuracyRows(runs, keras, test),
  ];
  console.log(lines.join('\n'));
  if (args.svg) {
    const svg = gapChartSvg({
      title: `Seed 002 in tfjs against Keras ${keras.keras}: ${keras.loss.length} Adam steps`,
      subtitle: '|loss_tfjs - loss_Keras| per step; same initial weights, same batches, LSTM(128) + Dense(10) on MNIST rows',
      yLabel: '|loss difference|',
      series: runs.map((r, k) => ({
        label: `tfjs, ${r.optimizer}`,
        color: COLORS[k % COLORS.length],
        values: r.loss.map((l, i) => Math.abs(l - keras.loss[i])),
      })),
    });
    fs.writeFileSync(args.svg, svg);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`compare-runs: ${(error as Error).message.split('\n')[0]}\n`);
    process.exitCode = exitCodeFor(error);
  });
}
