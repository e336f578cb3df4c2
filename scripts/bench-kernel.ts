/**
 * The hand path's matmul kernels, TypeScript (linalg.ts) against WebAssembly SIMD (src/hand/wasm/, issue 16);
 * a benchmark, not a test:
 *
 *   npm run build && node dist/scripts/bench-kernel.js [--quick] [--workloads medium,large] [--no-kernels] [--no-forward]
 *     [--forward-budget S] [--small]
 *
 * 1. GFLOP/s per core (one thread) of each kernel pair, float64 and float32, on the products the bench's
 *    forward pass computes (scripts/bench/workloads.ts): per cell, the recurrent step h·U
 *    [N, M] x [M, G*M] and the input projection x·W [N*T, D] x [D, G*M] (G = 1 simple, 4 lstm, 3 gru).
 *    "b copy" is the share of the wasm call that copying b into the module's memory takes (a memcpy of
 *    b's bytes, timed on its own): what a cache of b could save at most.
 * 2. forwardHand in float64 on one thread with either kernel (setDefaultKernel), and whether the outputs
 *    are the same bytes.
 * With --small: the small products that set WASM_MIN_MULTIPLY_ADDS (where the wasm call stops paying).
 *
 * Each figure is the median of interleaved samples (TS and wasm in turns, so a change in machine load hits
 * both), with the best sample in brackets: on a shared machine the best is the steadier estimate.
 * No tfjs is loaded.
 */
import os from 'node:os';
import { forwardHand } from '../src/hand/forward';
import { FloatBuffer, MatmulKernel, matmulAccumulate, matmulAccumulateFloat32, viewOf } from '../src/hand/linalg';
import { setDefaultKernel } from '../src/hand/precision';
import { wasmKernelUnavailableReason, wasmMatmulAccumulate, wasmMatmulAccumulateFloat32 } from '../src/hand/wasm/wasm-matmul';
import type { CellKind } from '../src/spec';
import type { NdArray } from '../src/tensor';
import { gateCount, type RecurrentLayerWeights, type RnnWeights } from '../src/weights';
import { scriptCli } from './script-cli';
import { measureInterleaved, type Budget, type Timing } from './bench/timing';
import { describeWorkload, WORKLOADS, workloadFlops, type Workload } from './bench/workloads';

const CELLS: readonly CellKind[] = ['simple', 'lstm', 'gru'];

/** Units of the dense head, as in the bench's models (scripts/bench/workloads.ts). */
const DENSE_UNITS = 2;

/** A product to time: out [m, n] += a [m, k] x b [k, n]. */
interface Product {
  readonly label: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** Deterministic values in [-scale, scale) (a 32-bit LCG), as float32 values. */
function pseudoRandom(seed: number, length: number, scale: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (state / 2 ** 32 - 0.5) * 2 * scale;
  }
  return values;
}

/** The step and projection products of `cell` on `workload`. */
function forwardProducts(workload: Workload, cell: CellKind): Product[] {
  const { batch, timeSteps, inputDim, units } = workload;
  const width = gateCount(cell) * units;
  return [
    { label: `${workload.name} ${cell} h·U`, m: batch, k: units, n: width },
    { label: `${workload.name} ${cell} x·W`, m: batch * timeSteps, k: inputDim, n: width },
  ];
}

const SMALL_PRODUCTS: Product[] = [
  [1, 5, 20],
  [1, 32, 32],
  [4, 32, 32],
  [8, 32, 32],
  [1, 64, 64],
  [4, 64, 64],
  [1, 128, 128],
  [16, 32, 64],
].map(([m, k, n]) => ({ label: 'small', m, k, n }));

/** GFLOP/s of one m x k x n product taking `ms`. */
function gflops(product: Product, ms: number): number {
  return (2 * product.m * product.k * product.n) / ms / 1e6;
}

/** "5.12 (5.40)": median and best GFLOP/s of a timing. */
function rate(product: Product, timing: Timing): string {
  return `${gflops(product, timing.medianMs).toFixed(2)} (${gflops(product, timing.minMs).toFixed(2)})`;
}

function expectTiming(measurement: Awaited<ReturnType<typeof measureInterleaved>>[number]): Timing {
  if (measurement.status !== 'ok') throw new Error(`bench-kernel: a measurement did not run: ${measurement.reason}`);
  return measurement;
}

/** The TS and wasm kernels of one precision on one product, in turns; and a memcpy of b on its own. */
async function timeKernels(product: Product, float32: boolean, budget: Budget): Promise<{ ts: Timing; wasm: Timing; bCopy: Timing }> {
  const { m, k, n } = product;
  const arrayType = float32 ? Float32Array : Float64Array;
  const a = viewOf(arrayType.from(pseudoRandom(1, m * k, 1)), m, k);
  const b = viewOf(arrayType.from(pseudoRandom(2, k * n, 0.1)), k, n);
  const outs: FloatBuffer[] = [new arrayType(m * n), new arrayType(m * n)];
  const kernels: MatmulKernel[] = float32 ? [matmulAccumulateFloat32, wasmMatmulAccumulateFloat32] : [matmulAccumulate, wasmMatmulAccumulate];
  const bTarget = new arrayType(k * n);
  const [ts, wasm, bCopy] = await measureInterleaved(
    [...kernels.map((kernel, i) => () => kernel(viewOf(outs[i], m, n), a, b)), () => bTarget.set(b.data)],
    budget,
  );
  return { ts: expectTiming(ts), wasm: expectTiming(wasm), bCopy: expectTiming(bCopy) };
}

async function benchKernels(products: readonly Product[], budget: Budget): Promise<void> {
  console.log('GFLOP/s per core, median (best)');
  console.log(
    `${'product'.padEnd(20)} ${'[m, k] x [k, n]'.padEnd(24)} ${'f64 ts'.padStart(13)} ${'f64 wasm'.padStart(13)} ${'ratio'.padStart(5)} ` +
      `${'b copy'.padStart(6)}  ${'f32 ts'.padStart(13)} ${'f32 wasm'.padStart(13)} ${'ratio'.padStart(5)} ${'b copy'.padStart(6)}`,
  );
  for (const product of products) {
    const { m, k, n } = product;
    const cells: string[] = [];
    for (const float32 of [false, true]) {
      const { ts, wasm, bCopy } = await timeKernels(product, float32, budget);
      const ratio = ts.minMs / wasm.minMs;
      const copyShare = (100 * bCopy.minMs) / wasm.minMs;
      cells.push(
        `${rate(product, ts).padStart(13)} ${rate(product, wasm).padStart(13)} ${ratio.toFixed(2).padStart(5)} ${`${copyShare.toFixed(1)}%`.padStart(6)}`,
      );
    }
    console.log(`${product.label.padEnd(20)} ${`[${m}, ${k}] x [${k}, ${n}]`.padEnd(24)} ${cells.join('  ')}`);
  }
}

/** One recurrent layer of `cell` + Dense(DENSE_UNITS) with weights of a sensible scale (about 1/sqrt(fan-in)). */
function benchModel(workload: Workload, cell: CellKind): RnnWeights {
  const { inputDim, units } = workload;
  const width = gateCount(cell) * units;
  const layer: RecurrentLayerWeights = {
    cell,
    units,
    inputDim,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    returnSequences: false,
    goBackwards: false,
    resetAfter: cell === 'gru', // Keras's default, as the bench's models
    kernel: { rows: inputDim, cols: width, data: pseudoRandom(10, inputDim * width, 1 / Math.sqrt(inputDim)) },
    recurrentKernel: { rows: units, cols: width, data: pseudoRandom(11, units * width, 1 / Math.sqrt(units)) },
    bias: pseudoRandom(12, width, 0.1),
    ...(cell === 'gru' ? { recurrentBias: pseudoRandom(13, width, 0.1) } : {}),
  };
  const dense = { kernel: { rows: units, cols: DENSE_UNITS, data: pseudoRandom(14, units * DENSE_UNITS, 0.1) }, bias: new Float32Array(DENSE_UNITS) };
  return { recurrent: [layer], dense };
}

/** "same" when the two outputs have equal bytes, else the first differing index. */
function sameBytes(x: NdArray | undefined, y: NdArray | undefined): string {
  if (x === undefined || y === undefined) return '?';
  const a = new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  const b = new Uint8Array(y.data.buffer, y.data.byteOffset, y.data.byteLength);
  if (a.length !== b.length) return 'DIFFERENT (length)';
  const at = a.findIndex((byte, i) => byte !== b[i]);
  return at < 0 ? 'same bytes' : `DIFFERENT at element ${Math.floor(at / x.data.BYTES_PER_ELEMENT)}`;
}

async function benchForward(workloads: readonly Workload[], budget: Budget): Promise<void> {
  console.log('\nforwardHand, float64, one thread: ms per forward pass, median (best); GFLOP/s counts the input and recurrent matmuls');
  console.log(
    `${'workload'.padEnd(34)} ${'cell'.padEnd(6)} ${'ts ms'.padStart(17)} ${'wasm ms'.padStart(17)} ${'speed-up'.padStart(8)}  GFLOP/s ts / wasm  outputs`,
  );
  for (const workload of workloads) {
    for (const cell of CELLS) {
      const weights = benchModel(workload, cell);
      const { batch, timeSteps, inputDim } = workload;
      const input: NdArray = { shape: [batch, timeSteps, inputDim], data: pseudoRandom(20, batch * timeSteps * inputDim, 1) };
      const outputs: (NdArray | undefined)[] = [undefined, undefined];
      const run = (kernel: 'ts' | 'wasm', i: number) => () => {
        setDefaultKernel(kernel);
        outputs[i] = forwardHand(weights, input, 'float64');
      };
      const [ts, wasm] = (await measureInterleaved([run('ts', 0), run('wasm', 1)], budget)).map(expectTiming);
      setDefaultKernel(undefined);
      const flops = workloadFlops(workload, cell);
      const ms = (t: Timing) => `${t.medianMs.toFixed(1)} (${t.minMs.toFixed(1)})`;
      const rates = `${(flops / ts.minMs / 1e6).toFixed(2)} / ${(flops / wasm.minMs / 1e6).toFixed(2)}`;
      console.log(
        `${`${workload.name} ${describeWorkload(workload)}`.padEnd(34)} ${cell.padEnd(6)} ${ms(ts).padStart(17)} ${ms(wasm).padStart(17)} ` +
          `${(ts.minMs / wasm.minMs).toFixed(2).padStart(8)}  ${rates.padEnd(17)}  ${sameBytes(outputs[0], outputs[1])}`,
      );
    }
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = scriptCli(argv, 'bench-kernel', '$0 [--quick] [--workloads medium,large] [--no-kernels] [--no-forward] [--forward-budget S] [--small]')
    .option('quick', { type: 'boolean', default: false, describe: 'shorter budgets (noisier figures)' })
    .option('workloads', { type: 'string', default: 'medium,large', describe: 'bench workloads (scripts/bench/workloads.ts), comma-separated' })
    .option('kernels', { type: 'boolean', default: true, describe: 'time the kernels on the products' })
    .option('forward', { type: 'boolean', default: true, describe: 'time forwardHand with either kernel' })
    .option('forward-budget', { type: 'number', default: 60, describe: 'seconds for each forward comparison (TS and wasm together)' })
    .option('small', { type: 'boolean', default: false, describe: 'also the small products behind WASM_MIN_MULTIPLY_ADDS' })
    .parseSync();
  const reason = wasmKernelUnavailableReason();
  if (reason !== undefined) throw new Error(`bench-kernel: the wasm kernel cannot run here: ${reason}`);
  const names = args.workloads.split(',');
  const workloads = names.map((name) => {
    const found = WORKLOADS.find((w) => w.name === name);
    if (found === undefined) throw new Error(`--workloads: expected names from ${WORKLOADS.map((w) => w.name).join(', ')}, got ${name}`);
    return found;
  });
  const kernelBudget: Budget = { budgetMs: args.quick ? 1500 : 15000, maxSamples: args.quick ? 7 : 25 };
  const forwardBudget: Budget = { budgetMs: args.quick ? 10000 : 1000 * args.forwardBudget, maxSamples: args.quick ? 3 : 7 };

  console.log(
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} threads, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`,
  );
  const products = workloads.flatMap((w) => CELLS.flatMap((cell) => forwardProducts(w, cell)));
  if (args.kernels) await benchKernels(args.small ? [...SMALL_PRODUCTS, ...products] : products, kernelBudget);
  if (args.forward) await benchForward(workloads, forwardBudget);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
