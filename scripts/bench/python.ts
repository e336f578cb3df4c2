/**
 * The Python side of the bench: finds a Python with NumPy (and TensorFlow + Keras), exports each case's
 * weights and input as .npy (src/io/npy.ts), has python_bench.py time each case right after the
 * JavaScript side did, and reads back its outputs.
 *
 * Python is optional: without it the bench says so and shows the rest.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { readNpyFile, writeNpyFile } from '../../src/io/npy';
import type { NdArray } from '../../src/tensor';
import type { RnnWeights } from '../../src/weights';
import type { Budget, Measurement } from './timing';

interface PythonFound {
  readonly available: true;
  readonly executable: string;
  /** Whether TensorFlow and Keras import (else NumPy only). */
  readonly keras: boolean;
}

export interface PythonMissing {
  readonly available: false;
  readonly reason: string;
}

export type PythonInfo = PythonFound | PythonMissing;

/** One exported case: its id ("medium/lstm") and directory. */
export interface PythonCase {
  readonly id: string;
  readonly dir: string;
  readonly cell: string;
  readonly units: number;
}

const PROBE = "import importlib.util as u; print(','.join(m for m in ['numpy', 'tensorflow', 'keras'] if u.find_spec(m)))";

function modulesOf(executable: string): string[] | null {
  const probe = spawnSync(executable, ['-c', PROBE], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  return probe.stdout.trim().split(',').filter(Boolean);
}

/** .cache/keras-venv/bin/python (made by scripts/keras-fixtures), else python3 on PATH. */
export function findPython(repoRoot: string): PythonInfo {
  const candidates = [path.join(repoRoot, '.cache', 'keras-venv', 'bin', 'python'), 'python3'];
  const tried: string[] = [];
  for (const executable of candidates) {
    if (executable.includes(path.sep) && !fs.existsSync(executable)) {
      tried.push(`${path.relative(repoRoot, executable)} does not exist`);
      continue;
    }
    const modules = modulesOf(executable);
    if (modules === null) {
      tried.push(`${executable} does not run`);
    } else if (!modules.includes('numpy')) {
      tried.push(`${executable} has no numpy`);
    } else {
      return { available: true, executable, keras: modules.includes('tensorflow') && modules.includes('keras') };
    }
  }
  return { available: false, reason: `no Python with NumPy (${tried.join('; ')}); make one with scripts/keras-fixtures/README.md` };
}

/**
 * Writes a case's model in Keras's layout: kernel [D, G*M], recurrent_kernel [M, G*M], bias [G*M]
 * (GRU reset_after: [2, 3M], row 0 the input bias, row 1 the recurrent bias), dense_kernel, dense_bias,
 * and x [N, T, D] as float32.
 */
export function exportCase(id: string, dir: string, weights: RnnWeights, input: NdArray): PythonCase {
  fs.mkdirSync(dir, { recursive: true });
  const layer = weights.recurrent[0];
  const matrix = (m: { rows: number; cols: number; data: Float32Array }): NdArray => ({ shape: [m.rows, m.cols], data: m.data });
  const bias: NdArray = layer.recurrentBias
    ? { shape: [2, layer.bias.length], data: Float32Array.from([...layer.bias, ...layer.recurrentBias]) }
    : { shape: [layer.bias.length], data: layer.bias };
  const files: Record<string, NdArray> = {
    x: { shape: input.shape, data: Float32Array.from(input.data) },
    kernel: matrix(layer.kernel),
    recurrent_kernel: matrix(layer.recurrentKernel),
    bias,
    dense_kernel: matrix(weights.dense.kernel),
    dense_bias: { shape: [weights.dense.bias.length], data: weights.dense.bias },
  };
  for (const [name, array] of Object.entries(files)) writeNpyFile(path.join(dir, `${name}.npy`), array, 'float32');
  return { id, dir, cell: layer.cell, units: layer.units };
}

/** What a server says once it has imported NumPy (and Keras). */
interface PythonReady {
  readonly versions: Record<string, string>;
  readonly threads: Record<string, string | number>;
}

/** One case's Python timings. */
export interface PythonAnswer {
  readonly numpy?: Measurement;
  readonly keras?: Measurement;
}

/**
 * One python_bench.py process, kept for the whole bench: each case is sent as one line and answered with
 * one line, right after the JavaScript side measured it. Its progress and errors go to our stderr.
 */
export class PythonServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  private closed = false;

  /** numpyOnly: no Keras import. oneThread: OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1. */
  constructor(
    python: PythonFound,
    script: string,
    readonly options: { numpyOnly: boolean; oneThread: boolean },
  ) {
    const env = options.oneThread ? { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } : process.env;
    this.child = spawn(python.executable, [script, ...(options.numpyOnly ? ['--numpy-only'] : [])], { env });
    this.child.stderr.pipe(process.stderr);
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** Waits for the imports. @throws Error when the process ends first. */
  async ready(): Promise<PythonReady> {
    return (await this.nextLine()) as unknown as PythonReady;
  }

  /** Times one case. @throws Error when the process has ended. */
  async time(pythonCase: PythonCase, budget: Budget): Promise<PythonAnswer> {
    this.child.stdin.write(`${JSON.stringify({ ...pythonCase, ...budget })}\n`);
    return (await this.nextLine()) as PythonAnswer;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin.end();
  }

  private async nextLine(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done) throw new Error(`${path.basename(String(this.child.spawnargs[1]))} ended (exit ${this.child.exitCode ?? 'unknown'})`);
    return JSON.parse(next.value) as Record<string, unknown>;
  }
}

/** Python's output for a case (y_numpy.npy or y_keras.npy), or undefined when it wrote none. */
export function readPythonOutput(dir: string, which: 'numpy' | 'keras'): NdArray | undefined {
  const file = path.join(dir, `y_${which}.npy`);
  return fs.existsSync(file) ? readNpyFile(file) : undefined;
}
