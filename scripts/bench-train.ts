/**
 * How long seed 002's training takes in Keras and on each local backend, with tfjs's LSTM and with the fused
 * one (src/fused/), and how long a long sequence's forward takes with each (a benchmark, not a test):
 *   npm run bench:train -- [--steps tensorflow=20,wasm=8,cpu=4] [--epoch-on tensorflow] [--batch-size 128]
 *     [--backends tensorflow,wasm,cpu] [--impl tfjs,fused] [--lstm-paths block,steps] [--keras-steps 20] [--long-runs 2]
 *
 * A step is one trainOnBatch of LSTM(128) + Dense(10) on 128 real MNIST images with Adam, exactly as
 * `rnn-parity train-mnist` runs it (same initial weights, pixel scaling and shuffles); the first 2 steps are
 * warm-up and not counted. Each backend runs in a fresh process (tfjs-node and the others do not share one
 * well).
 *
 * One epoch (469 steps: 468 of 128 and one of 96) is timed in full on the backends named by --epoch-on
 * (tensorflow by default: about 70 s). On the others it would take 20 minutes (wasm) to an hour (cpu), so
 * the table shows median step x 469 there and says "extrapolated".
 *
 * Keras: the same model, loss and optimizer in real Keras 3 (scripts/bench-train/keras_step.py), when a Python
 * with tensorflow and keras is found (.cache/keras-venv); every tfjs row shows its ratio to Keras's median step.
 * Long sequences: SimpleRNN, LSTM and GRU (batch 1, inputDim 8, units 32) at T = 1,000 and 10,000, predict()
 * on tensorflow with tfjs's layer and the fused one (scripts/bench-train/long-forward.ts).
 *
 * On tensorflow the fused LSTM runs as TensorFlow's BlockLSTMV2 kernels (src/fused/block-lstm.ts); --lstm-paths
 * times it that way ('block') and with the kernel turned off ('steps': the per-step fused ops), each in its own
 * process, and each row says which path its steps really took (the usage counters).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { selectBackend, type BackendName } from '../src/backends';
import { exitCodeFor } from '../apps/cli/exit-codes';
import { ConfigError } from '../src/errors';
import { planBatchSizes } from '../apps/mnist/batches';
import { loadMnist, pixelScaling } from '../apps/mnist/dataset';
import { buildMnistModel, LAYER_IMPLS, mnistSpec, SEED_002, TRAIN_DEFAULTS, trainingTwin, type LayerImpl } from '../apps/mnist/run';
import { packageRoot } from '../apps/cli/package-root';
import { blockLstmUsage, setBlockLstmPolicy } from '../src/fused/block-lstm';
import { kerasTrainSteps } from './bench-train/keras';
import { longForwardRows, type LongForwardRow } from './bench-train/long-forward';
import { trainModel } from '../apps/mnist/train';
import { median } from './bench/timing';
import { scriptCli } from './script-cli';

const WARM_UP = 2;
const BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const DEFAULT_STEPS: Record<string, number> = { tensorflow: 20, wasm: 8, cpu: 4 };
const SEED = 42;
/** The fused LSTM's two paths on tensorflow: TensorFlow's BlockLSTM kernels, or the per-step fused ops. */
const LSTM_PATHS = ['block', 'steps'] as const;
/** Width of the subject column ('tensorflow fused block'). */
const LABEL = 23;
type LstmPath = (typeof LSTM_PATHS)[number];

/** What a child prints (one JSON line). */
interface ChildResult {
  readonly backend: string;
  readonly impl?: LayerImpl;
  /** The fused LSTM's path asked for, and how many of its calls ran as BlockLSTMV2 (0: all per-step). */
  readonly lstmPath?: LstmPath;
  readonly blockLstmCalls?: number;
  /** The long-sequence forward rows (the 'long' child). */
  readonly long?: LongForwardRow[];
  /** Wall time of each timed step, warm-up excluded. */
  readonly stepsMs?: number[];
  /** Wall time of one whole epoch, warm-up excluded, when asked. */
  readonly epochMs?: number;
  readonly epochSteps?: number;
  readonly error?: string;
}

/** In the child: WARM_UP steps, then `steps` timed steps, then (with `epoch`) one whole epoch, timed. */
async function child(backend: BackendName, impl: LayerImpl, lstmPath: LstmPath, steps: number, batchSize: number, epoch: boolean): Promise<ChildResult> {
  await selectBackend(backend);
  setBlockLstmPolicy(lstmPath === 'block' ? 'auto' : 'off');
  const data = loadMnist();
  const stock = buildMnistModel(mnistSpec(SEED_002.units, batchSize), TRAIN_DEFAULTS.init, SEED);
  const model = trainingTwin(stock, impl);
  if (model !== stock) stock.dispose();
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
          process.stderr.write(`  ${backend} ${impl}: epoch step ${s.step - stepSizes.length} of ${epochSizes.length}\n`);
        }
      },
    });
  } finally {
    model.dispose();
  }
  const durations = ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]));
  const stepsMs = durations.slice(WARM_UP, stepSizes.length);
  const paths = { lstmPath, blockLstmCalls: blockLstmUsage().forward };
  if (!epoch) return { backend, impl, ...paths, stepsMs };
  const epochMs = ends[ends.length - 1] - ends[stepSizes.length - 1];
  return { backend, impl, ...paths, stepsMs, epochMs, epochSteps: epochSizes.length };
}

interface Options {
  readonly steps: Record<string, number>;
  readonly epochOn: readonly string[];
  readonly batchSize: number;
  readonly backends: readonly BackendName[];
  readonly impls: readonly LayerImpl[];
  /** The fused LSTM paths timed on tensorflow (the other backends have only the per-step one). */
  readonly lstmPaths: readonly LstmPath[];
  /** 0: no Keras row. */
  readonly kerasSteps: number;
  /** 0: no long-sequence table. */
  readonly longRuns: number;
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
    .option('backends', { type: 'string', default: BACKENDS.join(','), describe: `backends to time: comma-separated ${BACKENDS.join(', ')}` })
    .option('impl', { type: 'string', default: LAYER_IMPLS.join(','), describe: `LSTM implementations to time: comma-separated ${LAYER_IMPLS.join(', ')}` })
    .option('lstm-paths', {
      type: 'string',
      default: LSTM_PATHS.join(','),
      describe: `fused LSTM paths timed on tensorflow: comma-separated ${LSTM_PATHS.join(', ')} (BlockLSTM kernels, per-step ops)`,
    })
    .option('keras-steps', { type: 'number', default: 20, describe: 'timed Keras steps (0: no Keras row)' })
    .option('long-runs', { type: 'number', default: 2, describe: 'timed runs of each long-sequence forward (0: skip the table)' })
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
  const impls = args.impl.split(',').map((s) => s.trim()) as LayerImpl[];
  if (impls.length === 0 || impls.some((i) => !LAYER_IMPLS.includes(i)))
    throw new ConfigError(`--impl: expected ${LAYER_IMPLS.join(', ')}, got ${JSON.stringify(args.impl)}`);
  for (const key of ['keras-steps', 'long-runs'] as const) {
    if (!Number.isInteger(args[key]) || args[key] < 0) throw new ConfigError(`--${key}: expected an integer >= 0, got ${args[key]}`);
  }
  const lstmPaths = args['lstm-paths'].split(',').map((s) => s.trim()) as LstmPath[];
  if (lstmPaths.length === 0 || lstmPaths.some((p) => !LSTM_PATHS.includes(p)))
    throw new ConfigError(`--lstm-paths: expected ${LSTM_PATHS.join(', ')}, got ${JSON.stringify(args['lstm-paths'])}`);
  const backends = args.backends.split(',').map((b) => b.trim()) as BackendName[];
  if (backends.length === 0 || backends.some((b) => !BACKENDS.includes(b)))
    throw new ConfigError(`--backends: expected ${BACKENDS.join(', ')}, got ${JSON.stringify(args.backends)}`);
  return { steps, epochOn, batchSize: args['batch-size'], backends, impls, lstmPaths, kerasSteps: args['keras-steps'], longRuns: args['long-runs'] };
}

function runChild(backend: BackendName, impl: LayerImpl, lstmPath: LstmPath, options: Options): ChildResult {
  const epoch = options.epochOn.includes(backend);
  const args = [__filename, '--child', backend, impl, lstmPath, String(options.steps[backend]), String(options.batchSize), epoch ? 'epoch' : 'steps'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? (JSON.parse(line) as ChildResult) : { backend, impl, error: `child exited with ${run.status ?? run.signal}` };
}

/** The long-sequence forward table, in a fresh tensorflow process. */
function runLongChild(runs: number): ChildResult {
  const run = spawnSync(process.execPath, [__filename, '--long', String(runs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  return line ? (JSON.parse(line) as ChildResult) : { backend: 'tensorflow', error: `child exited with ${run.status ?? run.signal}` };
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
  const keras = options.kerasSteps > 0 ? kerasTrainSteps(packageRoot(), options.kerasSteps, options.batchSize) : { error: 'skipped (--keras-steps 0)' };
  const kerasMedian = keras.stepsMs ? median(keras.stepsMs) : undefined;
  const ratio = (m: number) => (kerasMedian === undefined ? '     -' : `${(m / kerasMedian).toFixed(2)}x`.padStart(6));
  console.log(`${'subject'.padEnd(LABEL + 2)}N  median ms/step  vs Keras  min ms  max ms  samples/s  epoch                      781 steps (median x 781)`);
  if (keras.stepsMs && kerasMedian !== undefined) {
    console.log(
      `${'keras'.padEnd(LABEL)} ${String(keras.stepsMs.length).padStart(2)}  ${kerasMedian.toFixed(0).padStart(14)}  ${ratio(kerasMedian).padStart(8)}  ${Math.min(
        ...keras.stepsMs,
      )
        .toFixed(0)
        .padStart(6)}  ${Math.max(...keras.stepsMs)
        .toFixed(0)
        .padStart(
          6,
        )}  ${((1000 * options.batchSize) / kerasMedian).toFixed(0).padStart(9)}  ${`${minutes(kerasMedian * epochSteps)} extrapolated`.padEnd(25)}  ${minutes(kerasMedian * defaultSteps)}   (${keras.versions})`,
    );
  } else {
    console.log(`${'keras'.padEnd(LABEL)}  unavailable: ${keras.error}`);
  }
  const runs = options.backends.flatMap((backend) =>
    options.impls.flatMap((impl) =>
      (impl === 'fused' && backend === 'tensorflow' ? options.lstmPaths : (['steps'] as const)).map((lstmPath) => ({ backend, impl, lstmPath })),
    ),
  );
  for (const { backend, impl, lstmPath } of runs) {
    const result = runChild(backend, impl, lstmPath, options);
    // what the fused LSTM really ran: BlockLSTM kernels (counted calls) or the per-step ops
    const path = impl === 'fused' ? ((result.blockLstmCalls ?? 0) > 0 ? ' block' : ' steps') : '';
    const label = `${backend} ${impl}${path}`.padEnd(LABEL);
    if (!result.stepsMs) {
      console.log(`${label}  unavailable: ${result.error}`);
      continue;
    }
    const m = median(result.stepsMs);
    const epoch = result.epochMs !== undefined ? `${minutes(result.epochMs)} measured` : `${minutes(m * epochSteps)} extrapolated`;
    console.log(
      `${label} ${String(result.stepsMs.length).padStart(2)}  ${m.toFixed(0).padStart(14)}  ${ratio(m).padStart(8)}  ${Math.min(...result.stepsMs)
        .toFixed(0)
        .padStart(6)}` +
        `  ${Math.max(...result.stepsMs)
          .toFixed(0)
          .padStart(6)}  ${((1000 * options.batchSize) / m).toFixed(0).padStart(9)}  ${epoch.padEnd(25)}  ${minutes(m * defaultSteps)}`,
    );
  }
  if (options.longRuns > 0) {
    console.log('');
    console.log(`forward over a long sequence on tensorflow (batch 1, inputDim 8, units 32; median of ${options.longRuns} predict() runs after 1 warm-up)`);
    const long = runLongChild(options.longRuns);
    if (!long.long) {
      console.log(`  unavailable: ${long.error}`);
    } else {
      console.log('cell        T       tfjs ms   fused ms  speedup  max |fused - tfjs|  fused path  per-step fused ms  speedup');
      for (const row of long.long) {
        const steps =
          row.fusedStepsMs === undefined
            ? ''
            : `  ${row.fusedStepsMs.toFixed(0).padStart(17)}  ${`${(row.tfjsMs / row.fusedStepsMs).toFixed(1)}x`.padStart(7)}`;
        console.log(
          `${row.cell.padEnd(10)} ${String(row.timeSteps).padStart(6)}  ${row.tfjsMs.toFixed(0).padStart(8)}  ${row.fusedMs.toFixed(0).padStart(9)}  ${`${(row.tfjsMs / row.fusedMs).toFixed(1)}x`.padStart(7)}  ${row.maxDiff.toExponential(1).padStart(18)}  ${row.fusedPath.padEnd(10)}${steps}`,
        );
      }
    }
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
  const [backend, impl, lstmPath, steps, batchSize, mode] = process.argv.slice(3);
  child(backend as BackendName, impl as LayerImpl, lstmPath as LstmPath, Number(steps), Number(batchSize), mode === 'epoch').then(
    (result) => console.log(JSON.stringify(result)),
    (error) => console.log(JSON.stringify({ backend, error: (error as Error).message.split('\n')[0] } satisfies ChildResult)),
  );
} else if (process.argv[2] === '--long') {
  selectBackend('tensorflow').then(
    () => console.log(JSON.stringify({ backend: 'tensorflow', long: longForwardRows(Number(process.argv[3])) } satisfies ChildResult)),
    (error) => console.log(JSON.stringify({ backend: 'tensorflow', error: (error as Error).message.split('\n')[0] } satisfies ChildResult)),
  );
} else {
  try {
    parent(parseOptions(process.argv.slice(2)));
  } catch (error) {
    fail(error);
  }
}
