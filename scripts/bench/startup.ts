/**
 * Quick start, measured as whole processes: `rnn-parity --seed 42` against bare scripts that load the
 * same tfjs package and run one tiny predict (and Python + Keras doing the same). The commands run in
 * turns (a, b, c, a, b, c, ...) so that load changes hit them alike; the first round is a discarded
 * warm-up (file cache). Then one traced run of the CLI lists its slowest module loads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './timing';
import type { RequireRecord } from './require-trace';

interface StartupCommand {
  readonly id: string;
  readonly label: string;
  readonly argv: readonly string[];
}

export interface StartupResult {
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  /** Exit status of the last run (0 expected). */
  readonly status: number | null;
}

const TINY_PREDICT =
  'const m = tf.sequential(); m.add(tf.layers.simpleRNN({ units: 5, inputShape: [10, 3] })); m.add(tf.layers.dense({ units: 2 }));' +
  ' m.predict(tf.randomNormal([1, 10, 3])).dataSync();';

/** The commands compared: the CLI on both local backends and bare equivalents. */
export function startupCommands(repoRoot: string, python: string | undefined): StartupCommand[] {
  const bin = path.join(repoRoot, 'bin', 'rnn-parity');
  const commands: StartupCommand[] = [
    { id: 'cli-tensorflow', label: 'rnn-parity --seed 42 (default backend)', argv: [process.execPath, bin, '--seed', '42'] },
    {
      id: 'bare-tfjs-node',
      label: 'node -e "require(\'@tensorflow/tfjs-node\')" + tiny predict',
      argv: [process.execPath, '-e', `const tf = require('@tensorflow/tfjs-node'); ${TINY_PREDICT}`],
    },
    { id: 'cli-cpu', label: 'rnn-parity --seed 42 --backend cpu', argv: [process.execPath, bin, '--seed', '42', '--backend', 'cpu'] },
    {
      id: 'bare-tfjs-cpu',
      label: 'node -e "require(\'@tensorflow/tfjs\')" (cpu) + tiny predict',
      argv: [process.execPath, '-e', `const tf = require('@tensorflow/tfjs'); tf.setBackend('cpu').then(() => { ${TINY_PREDICT} });`],
    },
  ];
  if (python !== undefined) {
    commands.push({
      id: 'python-keras',
      label: 'python -c "import keras" + tiny predict',
      argv: [
        python,
        '-c',
        'import numpy as np, keras; m = keras.Sequential([keras.Input((10, 3)), keras.layers.SimpleRNN(5), keras.layers.Dense(2)]); m.predict(np.zeros((1, 10, 3), "float32"), verbose=0)',
      ],
    });
  }
  return commands;
}

function env(): NodeJS.ProcessEnv {
  // The CLI sets TF_CPP_MIN_LOG_LEVEL=2 itself; give the bare scripts the same quiet libtensorflow.
  return { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', KERAS_BACKEND: 'tensorflow' };
}

function timeOnce(command: StartupCommand, cwd: string): { ms: number; status: number | null } {
  const start = performance.now();
  const child = spawnSync(command.argv[0], command.argv.slice(1), { cwd, env: env(), stdio: 'ignore' });
  return { ms: performance.now() - start, status: child.status };
}

/** Runs every command `runs` times in turns after one warm-up round; `progress` gets one line per round. */
export function measureStartup(commands: readonly StartupCommand[], repoRoot: string, runs: number, progress: (line: string) => void): StartupResult[] {
  for (const command of commands) timeOnce(command, repoRoot);
  const times = commands.map(() => [] as number[]);
  const status: (number | null)[] = commands.map(() => null);
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, k) => {
      const { ms, status: code } = timeOnce(command, repoRoot);
      times[k].push(ms);
      status[k] = code;
    });
    progress(`startup round ${round + 1}/${runs}: ${commands.map((c, k) => `${c.id} ${times[k][round].toFixed(0)} ms`).join(', ')}`);
  }
  return commands.map((command, k) => ({
    id: command.id,
    label: command.label,
    command: command.argv.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' '),
    medianMs: median(times[k]),
    minMs: Math.min(...times[k]),
    runs,
    status: status[k],
  }));
}

/** One traced run of `command`: its first loads that cross a package boundary, slowest first. */
export function traceRequires(command: StartupCommand, repoRoot: string, tracer: string): RequireRecord[] {
  const out = path.join(os.tmpdir(), `rnn-parity-require-trace-${process.pid}.json`);
  const [node, ...args] = command.argv;
  spawnSync(node, ['-r', tracer, ...args], { cwd: repoRoot, env: { ...env(), BENCH_REQUIRE_TRACE: out }, stdio: 'ignore' });
  if (!fs.existsSync(out)) return [];
  const records = JSON.parse(fs.readFileSync(out, 'utf8')) as RequireRecord[];
  fs.rmSync(out, { force: true });
  return records.sort((a, b) => b.ms - a.ms);
}
