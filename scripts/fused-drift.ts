/**
 * The fused LSTM's 781-step training trajectory against tfjs's own LSTM, seed 002's model and batches
 * (apps/mnist/fused-drift.ts), drawn to docs/fused-drift.svg:
 *   npm run build && node dist/scripts/fused-drift.js [--backend tensorflow] [--steps 781] [--out docs/fused-drift.svg]
 */
import path from 'node:path';
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../src/backends';
import { writeFileAtomic } from '../src/io/atomic-write';
import { driftChartSvg } from '../src/training/drift-svg';
import { exitCodeFor } from '../apps/cli/exit-codes';
import { packageRoot } from '../apps/cli/package-root';
import { loadMnist, pixelScaling } from '../apps/mnist/dataset';
import { fusedDrift } from '../apps/mnist/fused-drift';
import { SEED_002 } from '../apps/mnist/run';
import { scriptCli } from './script-cli';

async function main(argv: readonly string[]): Promise<void> {
  const args = scriptCli(argv, 'node dist/scripts/fused-drift.js', '$0 [--backend tensorflow] [--steps 781] [--out docs/fused-drift.svg]')
    .option('backend', { choices: BACKEND_CHOICES, default: 'tensorflow' as BackendChoice })
    .option('steps', { type: 'number', default: Math.floor(SEED_002.samples / SEED_002.batchSize) })
    .option('out', { type: 'string', default: path.join(packageRoot(), 'docs', 'fused-drift.svg') })
    .parseSync();
  const backend = await selectBackend(args.backend);
  const data = loadMnist();
  const started = performance.now();
  const { drift, loss } = await fusedDrift(data.train, {
    units: SEED_002.units,
    batchSize: SEED_002.batchSize,
    steps: args.steps,
    seed: 42,
    scaling: pixelScaling('standardize', data.train),
  });
  const worst = Math.max(...drift);
  const svg = driftChartSvg({
    title: `Fused LSTM vs tfjs LSTM: seed 002, ${args.steps} steps, Adam (Keras form)`,
    subtitle: `LSTM(${SEED_002.units}) + Dense(10), batch ${SEED_002.batchSize}, ${backend.name}; worst drift ${worst.toExponential(2)}`,
    drift,
    tolerance: drift.map((_, s) => 1e-4 * Math.sqrt(s + 1)),
    // the loss of each step's batch before its update (the chart's "loss after s steps")
    loss: { hand: loss.tfjs, layer: loss.fused },
  })
    // drift-svg.ts draws the layer path against the hand path; here both lines are tfjs layers.
    .replace('max |layer - hand| / max |hand| so far', 'max |fused - tfjs| / max |tfjs|')
    .replace('hand path (float64)', 'tfjs LSTM (float32)')
    .replace('layer path (tfjs, float32)', 'fused LSTM (float32)');
  writeFileAtomic(args.out, svg);
  console.log(
    `fused-drift: ${args.steps} steps on ${backend.name} in ${((performance.now() - started) / 1000).toFixed(0)} s; drift after step 1: ${drift[0].toExponential(2)}, ` +
      `100: ${drift[Math.min(99, drift.length - 1)].toExponential(2)}, last: ${drift[drift.length - 1].toExponential(2)}, worst ${worst.toExponential(2)}; ` +
      `final loss tfjs ${loss.tfjs[loss.tfjs.length - 1].toFixed(4)}, fused ${loss.fused[loss.fused.length - 1].toFixed(4)}; wrote ${args.out}`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`fused-drift: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = exitCodeFor(error);
});
