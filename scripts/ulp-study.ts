/**
 * TS half of the ULP study for src/data/numpy-random.ts (NumPy half: scripts/numpy-ulp-study.py).
 *
 *   python3 scripts/numpy-ulp-study.py --out /tmp/ulp-study --seeds 0-9 --count 1000000 --mpmath 500000
 *   npx tsc -p tsconfig.build.json && node dist/scripts/ulp-study.js /tmp/ulp-study
 *
 * Questions it answers, over every seed the NumPy half wrote:
 *  1. randn: how many NumpyRandomState values differ from np.random.randn, and by how many ulps?
 *  2. The same for the polar method run with V8's Math.log instead (the naive port).
 *  3. Is log the only source? The polar method fed NumPy's own log values must match exactly.
 *  4. log alone: Math.log and correctlyRoundedLog against libm's log (what NumPy calls), and
 *     correctlyRoundedLog against mpmath's correctly rounded log where those were written.
 * Prints one JSON object; exits 1 if the answer to 3 is no or correctlyRoundedLog misses mpmath.
 */
import * as fs from 'fs';
import * as path from 'path';
import { correctlyRoundedLog } from '../src/data/correctly-rounded-log';
import { Mt19937 } from '../src/data/mt19937';
import { NumpyRandomState } from '../src/data/numpy-random';

interface Manifest {
  numpy: string;
  libc: string;
  command: string;
  seeds: number[];
  count: number;
}

/** Differences between two equally long float64 series. */
interface DiffCount {
  compared: number;
  differ: number;
  maxUlp: number;
  /** signed ulp distance (actual - expected) -> count, for the values that differ */
  histogram: Record<string, number>;
}

const BITS = new Float64Array(1);
const BITS64 = new BigInt64Array(BITS.buffer);

/** Position of x on the ordered line of doubles, so that ulp distance is a difference. */
function ordinal(x: number): bigint {
  BITS[0] = x;
  const v = BITS64[0]!;
  return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
}

function emptyCount(): DiffCount {
  return { compared: 0, differ: 0, maxUlp: 0, histogram: {} };
}

function tally(into: DiffCount, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  const n = Math.min(actual.length, expected.length);
  into.compared += n;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Object.is(a, e)) continue;
    into.differ++;
    const d = Number(ordinal(a) - ordinal(e));
    into.maxUlp = Math.max(into.maxUlp, Math.abs(d));
    into.histogram[String(d)] = (into.histogram[String(d)] ?? 0) + 1;
  }
}

function readF64(file: string): Float64Array {
  const buf = fs.readFileSync(file);
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Float64Array(copy.buffer);
}

/**
 * NumPy's legacy polar Gaussian with a pluggable log: count values for one seed.
 * `log(r2, pairIndex)` may look up a precomputed value by the accepted pair's index.
 */
function polarWithLog(seed: number, count: number, log: (r2: number, pair: number) => number): Float64Array {
  const mt = new Mt19937(seed);
  const out = new Float64Array(count);
  for (let i = 0, pair = 0; i < count; i += 2, pair++) {
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * mt.nextDouble() - 1.0;
      x2 = 2.0 * mt.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * log(r2, pair)) / r2);
    out[i] = f * x2;
    if (i + 1 < count) out[i + 1] = f * x1;
  }
  return out;
}

function main(dir: string): number {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const randn = emptyCount();
  const randnMathLog = emptyCount();
  const randnLibmLog = emptyCount();
  const logMath = emptyCount();
  const logCr = emptyCount();
  const logCrVsMpmath = emptyCount();
  const libmVsMpmath = emptyCount();
  let tsMs = 0;
  for (const seed of manifest.seeds) {
    const expected = readF64(path.join(dir, `randn-${seed}.f64`));
    const r2 = readF64(path.join(dir, `r2-${seed}.f64`));
    const libmLog = readF64(path.join(dir, `log-${seed}.f64`));
    const t0 = Date.now();
    tally(randn, new NumpyRandomState(seed).randn([manifest.count]), expected);
    tsMs += Date.now() - t0;
    tally(randnMathLog, polarWithLog(seed, manifest.count, Math.log), expected);
    tally(
      randnLibmLog,
      polarWithLog(seed, manifest.count, (_r2, pair) => libmLog[pair]!),
      expected,
    );
    tally(logMath, r2.map(Math.log), libmLog);
    const crLogs = r2.map(correctlyRoundedLog);
    tally(logCr, crLogs, libmLog);
    const mpmathFile = path.join(dir, `crlog-${seed}.f64`);
    if (fs.existsSync(mpmathFile)) {
      const mpmath = readF64(mpmathFile);
      tally(logCrVsMpmath, crLogs.subarray(0, mpmath.length), mpmath);
      tally(libmVsMpmath, libmLog.subarray(0, mpmath.length), mpmath);
    }
  }
  const report = {
    numpy: manifest.numpy,
    libc: manifest.libc,
    node: process.version,
    numpyCommand: manifest.command,
    seeds: manifest.seeds,
    valuesPerSeed: manifest.count,
    randnMs: tsMs,
    'randn: NumpyRandomState (correctlyRoundedLog) vs numpy': randn,
    'randn: polar with Math.log vs numpy': randnMathLog,
    'randn: polar fed numpy libm log values vs numpy': randnLibmLog,
    'log: Math.log vs libm': logMath,
    'log: correctlyRoundedLog vs libm': logCr,
    'log: correctlyRoundedLog vs mpmath (correctly rounded)': logCrVsMpmath,
    'log: libm vs mpmath (correctly rounded)': libmVsMpmath,
  };
  process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  return randnLibmLog.differ === 0 && logCrVsMpmath.differ === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2] ?? '/tmp/ulp-study');
