/**
 * How long one training step of seed 002's model takes on each local backend (a benchmark, not a test):
 *   npm run build && node dist/scripts/bench-train.js [--steps tensorflow=20,wasm=8,cpu=4] [--batch-size 128]
 * Each backend runs in a fresh process (tfjs-node and the others do not share one well). A step is one
 * trainOnBatch of LSTM(128) + Dense(10) on 128 real MNIST images with Adam, as in `rnn-parity train-mnist`;
 * the first 2 steps are warm-up and not counted. "epoch" and "781 steps" are extrapolated from the median
 * step (median x 469, median x 781), not measured.
 */
import { spawnSync } from 'node:child_process';
import { selectBackend, type BackendName } from '../src/backends';
import { planBatchSizes } from '../src/mnist/batches';
import { loadMnist } from '../src/mnist/dataset';
import { mnistSpec, SEED_002 } from '../src/mnist/run';
import { buildModel } from '../src/model/build';
import { trainModel } from '../src/mnist/train';

const WARM_UP = 2;
const BACKENDS: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const DEFAULT_STEPS: Record<string, number> = { tensorflow: 20, wasm: 8, cpu: 4 };

interface ChildResult {
  backend: string;
  stepsMs?: number[];
  error?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** In the child: train WARM_UP + steps steps and print each step's wall time as JSON. */
async function child(backend: BackendName, steps: number, batchSize: number): Promise<void> {
  try {
    await selectBackend(backend);
    const data = loadMnist();
    const model = buildModel(mnistSpec(SEED_002.units, batchSize), 42);
    const ends: number[] = [];
    await trainModel(model, data.train, {
      learningRate: SEED_002.learningRate,
      batchSizes: planBatchSizes({ kind: 'samples', samples: (WARM_UP + steps) * batchSize }, data.train.count, batchSize),
      seed: 42,
      onStep: (s) => ends.push(s.elapsedMs),
    });
    model.dispose();
    const stepsMs = ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1])).slice(WARM_UP);
    console.log(JSON.stringify({ backend, stepsMs } satisfies ChildResult));
  } catch (error) {
    console.log(JSON.stringify({ backend, error: (error as Error).message.split('\n')[0] } satisfies ChildResult));
  }
}

function parent(): void {
  const batchSize = Number(flag('batch-size') ?? SEED_002.batchSize);
  const steps = { ...DEFAULT_STEPS };
  for (const pair of (flag('steps') ?? '').split(',').filter(Boolean)) {
    const [name, count] = pair.split('=');
    steps[name] = Number(count);
  }
  const epochSteps = Math.ceil(60000 / batchSize);
  const defaultSteps = Math.floor(SEED_002.samples / batchSize);
  console.log(`training step of LSTM(128) + Dense(10) on MNIST rows, batch ${batchSize}, Adam; each backend in a fresh process`);
  console.log(`median of N steps after ${WARM_UP} warm-up steps; epoch (${epochSteps} steps) and ${defaultSteps} steps are extrapolated from the median`);
  console.log('');
  console.log('backend     N  median ms/step  min ms  max ms  samples/s  epoch (extrap.)  781 steps (extrap.)');
  for (const backend of BACKENDS) {
    const run = spawnSync(process.execPath, [__filename, '--child', backend, String(steps[backend]), String(batchSize)], { encoding: 'utf8' });
    const line = run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    const result: ChildResult = line ? JSON.parse(line) : { backend, error: `exit ${run.status}: ${run.stderr.trim().split('\n').pop()}` };
    if (!result.stepsMs) {
      console.log(`${backend.padEnd(10)}  unavailable: ${result.error}`);
      continue;
    }
    const m = median(result.stepsMs);
    const minutes = (ms: number) => `${(ms / 60000).toFixed(1)} min`;
    console.log(
      `${backend.padEnd(10)} ${String(result.stepsMs.length).padStart(2)}  ${m.toFixed(0).padStart(14)}  ${Math.min(...result.stepsMs).toFixed(0).padStart(6)}` +
        `  ${Math.max(...result.stepsMs).toFixed(0).padStart(6)}  ${((1000 * batchSize) / m).toFixed(0).padStart(9)}  ${minutes(m * epochSteps).padStart(15)}  ${minutes(m * defaultSteps).padStart(19)}`,
    );
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] as BackendName, Number(process.argv[4]), Number(process.argv[5]));
} else {
  parent();
}
