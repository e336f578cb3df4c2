/**
 * How long seed 002's training takes on each local backend (a benchmark, not a test):
 *   npm run bench:train -- [--steps tensorflow=20,wasm=8,cpu=4] [--epoch-on tensorflow] [--batch-size 128]
 *
 * A step is one trainOnBatch of LSTM(128) + Dense(10) on 128 real MNIST images with Adam, exactly as
 * `rnn-parity train-mnist` runs it (same initial weights, pixel scaling and shuffles); the first 2 steps are
 * warm-up and not counted. Each backend runs in a fresh process (tfjs-node and the others do not share one
 * well).
 *
 * One epoch (469 steps: 468 of 128 and one of 96) is timed in full on the backends named by --epoch-on
 * (tensorflow by default: about 70 s). On the others it would take 20 minutes (wasm) to an hour (cpu), so
 * the table shows median step x 469 there and says "extrapolated".
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { selectBackend, type BackendName } from '../src/backends';
import { exitCodeFor } from '../apps/cli/exit-codes';
import { ConfigError } from '../src/errors';
import { planBatchSizes } from '../apps/mnist/batches';
import { loadMnist, pixelScaling } from '../apps/mnist/dataset';
import { buildMnistModel, mnistSpec, SEED_002, TRAIN_DEFAULTS } from '../apps/mnist/run';
import { trainModel } from '../apps/mnist/train';
import { median } from './bench/timing';
import { scriptCli } from './script-cli';

const WARM_UP = 2;
const BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const DEFAULT_STEPS: Record<string, number> = { tensorflow: 20, wasm: 8, cpu: 4 };
const SEED = 42;

/** What a child prints (one JSON line). */
interface ChildResult {
  readonly backend: string;
  /** Wall time of each timed step, warm-up excluded. */
  readonly stepsMs?: number[];
  /** Wall time of one whole epoch, warm-up excluded, when asked. */
  readonly epochMs?: number;
  readonly epochSteps?: number;
  readonly error?: string;
}

/** In the child: WARM_UP steps, then `steps` timed steps, then (with `epoch`) one whole epoch, timed. */
async function child(backend: BackendName, steps: number, batchSize: number, epoch: boolean): Promise<ChildResult> {
  await selectBackend(backend);
  const data = loadMnist();
  const model = buildMnistModel(mnistSpec(SEED_002.units, batchSize), TRAIN_DEFAULTS.init, SEED);
  const scaling = pixelScaling(TRAIN_DEFAULTS.scaling, data.train);
  const stepSizes = planBatchSizes({ kind: 'samples', samples: (WARM_UP + steps) * batchSize }, data.train.count, batchSize);
  const epochSizes = epoch ? planBatchSizes({ kind: 'epochs', epochs: 1 }, data.train.count, batchSize) : [];
  const ends: number[] = [];
  try {
    await trainModel(model, data.train, {
      learningRate: SEED_002.learningRate,
      batchSizes: [...stepSizes, ...epochSizes],
      seed: SEED,
      scaling,
      onStep: (s) => {
        ends.push(s.elapsedMs);
        if (epoch && s.step > stepSizes.length && (s.step - stepSizes.length) % 50 === 0) {
          process.stderr.write(`  ${backend}: epoch step ${s.step - stepSizes.length} of ${epochSizes.length}\n`);
        }
      },
    });
  } finally {
    model.dispose();
  }
  const durations = ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]));
  const stepsMs = durations.slice(WARM_UP, stepSizes.length);
  if (!epoch) return { backend, stepsMs };
  const epochMs = ends[ends.length - 1] - ends[stepSizes.length - 1];
  return { backend, stepsMs, epochMs, epochSteps: epochSizes.length };
}

interface Options {
  readonly steps: Record<string, number>;
  readonly epochOn: readonly string[];
  readonly batchSize: number;
}

function parseOptions(argv: readonly string[]): Options {
  const args = scriptCli(argv, 'npm run bench:train --', '$0 [--steps tensorflow=20,wasm=8,cpu=4] [--epoch-on tensorflow] [--batch-size 128]')
    .option('steps', { type: 'string', describe: 'timed steps per backend, after 2 warm-up steps (default tensorflow=20,wasm=8,cpu=4)' })
    .option('epoch-on', {
      type: 'string',
      default: 'tensorflow',
      describe: `backends on which one whole epoch is timed too: comma-separated ${BACKENDS.join(', ')}, or none`,
    })
    .option('batch-size', { type: 'number', default: SEED_002.batchSize, describe: 'samples per step' })
    .parseSync();
  const steps = { ...DEFAULT_STEPS };
  for (const pair of (args.steps ?? '').split(',').filter(Boolean)) {
    const [name, count] = pair.split('=');
    if (!BACKENDS.includes(name as BackendName) || !/^\d+$/.test(count ?? '') || Number(count) < 1) {
      throw new ConfigError(`--steps: expected backend=count pairs (${BACKENDS.join(', ')}; count >= 1), got ${JSON.stringify(pair)}`);
    }
    steps[name] = Number(count);
  }
  const epochOn =
    args['epoch-on'] === 'none'
      ? []
      : args['epoch-on']
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const unknown = epochOn.filter((n) => !BACKENDS.includes(n as BackendName));
  if (unknown.length > 0) throw new ConfigError(`--epoch-on: expected ${BACKENDS.join(', ')} or none, got ${JSON.stringify(args['epoch-on'])}`);
  if (!Number.isInteger(args['batch-size']) || args['batch-size'] < 1) {
    throw new ConfigError(`--batch-size: expected an integer >= 1, got ${args['batch-size']}`);
  }
  return { steps, epochOn, batchSize: args['batch-size'] };
}

function runChild(backend: BackendName, options: Options): ChildResult {
  const epoch = options.epochOn.includes(backend);
  const args = [__filename, '--child', backend, String(options.steps[backend]), String(options.batchSize), epoch ? 'epoch' : 'steps'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? (JSON.parse(line) as ChildResult) : { backend, error: `child exited with ${run.status ?? run.signal}` };
}

function parent(options: Options): void {
  const epochSteps = planBatchSizes({ kind: 'epochs', epochs: 1 }, 60000, options.batchSize).length;
  const defaultSteps = Math.floor(SEED_002.samples / options.batchSize);
  const minutes = (ms: number) => `${(ms / 60000).toFixed(2)} min`;
  console.log(`rnn-parity bench:train, ${new Date().toISOString()}, node ${process.version}, ${os.cpus()[0]?.model.trim()} x ${os.cpus().length}`);
  console.log(
    `LSTM(128) + Dense(10) on MNIST rows [${options.batchSize}, 28, 28], Adam, init ${TRAIN_DEFAULTS.init}, scaling ${TRAIN_DEFAULTS.scaling}; each backend in a fresh process`,
  );
  console.log(
    `step: median of N timed steps after ${WARM_UP} warm-up steps. epoch: ${epochSteps} steps, timed whole where "measured", else median step x ${epochSteps}.`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  console.log('');
  console.log('backend     N  median ms/step  min ms  max ms  samples/s  epoch                      781 steps (median x 781)');
  for (const backend of BACKENDS) {
    const result = runChild(backend, options);
    if (!result.stepsMs) {
      console.log(`${backend.padEnd(10)}  unavailable: ${result.error}`);
      continue;
    }
    const m = median(result.stepsMs);
    const epoch = result.epochMs !== undefined ? `${minutes(result.epochMs)} measured` : `${minutes(m * epochSteps)} extrapolated`;
    console.log(
      `${backend.padEnd(10)} ${String(result.stepsMs.length).padStart(2)}  ${m.toFixed(0).padStart(14)}  ${Math.min(...result.stepsMs)
        .toFixed(0)
        .padStart(6)}` +
        `  ${Math.max(...result.stepsMs)
          .toFixed(0)
          .padStart(6)}  ${((1000 * options.batchSize) / m).toFixed(0).padStart(9)}  ${epoch.padEnd(25)}  ${minutes(m * defaultSteps)}`,
    );
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

function fail(error: unknown): void {
  console.error(`bench:train: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = exitCodeFor(error);
}

if (process.argv[2] === '--child') {
  const [backend, steps, batchSize, mode] = process.argv.slice(3);
  child(backend as BackendName, Number(steps), Number(batchSize), mode === 'epoch').then(
    (result) => console.log(JSON.stringify(result)),
    (error) => console.log(JSON.stringify({ backend, error: (error as Error).message.split('\n')[0] } satisfies ChildResult)),
  );
} else {
  try {
    parent(parseOptions(process.argv.slice(2)));
  } catch (error) {
    fail(error);
  }
}
