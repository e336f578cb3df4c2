/**
 * The Keras side of bench:train: seed 002's training step timed in real Keras (./keras_step.py), in the
 * Python that scripts/bench finds (.cache/keras-venv, else python3 with tensorflow and keras).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findPython } from '../bench/python';

interface KerasSteps {
  readonly stepsMs?: number[];
  /** 'keras 3.x, tensorflow 2.x' */
  readonly versions?: string;
  /** Why there is no Keras row. */
  readonly error?: string;
}

/** Runs keras_step.py; never throws (no Python, no Keras: the bench says why and shows the rest). */
export function kerasTrainSteps(repoRoot: string, steps: number, batchSize: number): KerasSteps {
  const python = findPython(repoRoot);
  if (!python.available) return { error: python.reason };
  if (!python.keras) return { error: `${python.executable} has no tensorflow + keras` };
  const script = path.join(repoRoot, 'scripts', 'bench-train', 'keras_step.py');
  const run = spawnSync(python.executable, [script, String(steps), String(batchSize)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const line = (run.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) return { error: `keras_step.py exited with ${run.status ?? run.signal}: ${(run.stderr ?? '').trim().split('\n').pop()}` };
  const parsed = JSON.parse(line) as { stepsMs: number[]; keras: string; tensorflow: string };
  return { stepsMs: parsed.stepsMs, versions: `keras ${parsed.keras}, tensorflow ${parsed.tensorflow}` };
}
