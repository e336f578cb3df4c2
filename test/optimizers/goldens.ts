/**
 * The Keras optimizer goldens (test/fixtures/optimizers/keras-optimizers.json, written by
 * scripts/optimizers/make_optimizer_goldens.py) and what the optimizer tests do with them: run a plain optimizer over
 * the golden gradient sequence, and measure how far two weight histories are apart.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { OptimizerSpec, PlainOptimizer } from '../../src/optimizers';

/** Weights per step: history[k][i] is tensor i (flat, row-major) after step k + 1. */
export type WeightHistory = number[][][];

interface GoldenCase {
  readonly name: string;
  readonly optimizer: 'Adam' | 'SGD' | 'RMSprop';
  /** The constructor arguments the case passed ({} = Keras's defaults). */
  readonly arguments: Readonly<Record<string, number | boolean>>;
  /** Keras's get_config() of the float64 run, update keys only (learning_rate, beta_1, rho, ...). */
  readonly config: Readonly<Record<string, number | boolean>>;
  /** The learning rate the float32 run used: float32(learning_rate), Keras's learning-rate variable. */
  readonly float32LearningRate: number;
  readonly float64: WeightHistory;
  /** float32 values as shortest decimal text: Math.fround of each gives the exact float32. */
  readonly float32: WeightHistory;
}

interface Goldens {
  readonly generator: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly seeds: Readonly<Record<string, number | string>>;
  readonly steps: number;
  readonly shapes: readonly number[][];
  readonly initialWeights: number[][];
  /** gradients[k][i]: tensor i's gradient at step k + 1 (float64; the float32 run used their float32 rounding). */
  readonly gradients: WeightHistory;
  readonly cases: readonly GoldenCase[];
}

const GOLDENS_PATH = path.join(__dirname, '..', 'fixtures', 'optimizers', 'keras-optimizers.json');

let cached: Goldens | undefined;

/** The goldens file, parsed once per test file. */
export function loadGoldens(): Goldens {
  cached ??= JSON.parse(fs.readFileSync(GOLDENS_PATH, 'utf8')) as Goldens;
  return cached;
}

/** One golden case by name. */
export function goldenCase(name: string): GoldenCase {
  const found = loadGoldens().cases.find((c) => c.name === name);
  if (found === undefined)
    throw new Error(
      `goldens: expected a case named ${name}, got ${loadGoldens()
        .cases.map((c) => c.name)
        .join(', ')}`,
    );
  return found;
}

const KERAS_KEY_TO_OPTION: Readonly<Record<string, string>> = {
  learning_rate: 'learningRate',
  beta_1: 'beta1',
  beta_2: 'beta2',
  epsilon: 'epsilon',
  momentum: 'momentum',
  nesterov: 'nesterov',
  rho: 'rho',
  centered: 'centered',
  amsgrad: 'amsgrad',
};

/** The case's Keras config as a createOptimizer spec of the given form (every hyperparameter given explicitly). */
export function specOf(golden: GoldenCase, form: 'keras' | 'tfjs', precision: 'float64' | 'float32' = 'float64'): OptimizerSpec {
  const options: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(golden.config)) {
    const option = KERAS_KEY_TO_OPTION[key];
    if (option === undefined) throw new Error(`${golden.name}: expected a known Keras config key, got ${key}`);
    options[option] = value;
  }
  // Keras's float32 run read its learning rate from a float32 variable.
  if (precision === 'float32') options.learningRate = golden.float32LearningRate;
  return { name: golden.optimizer.toLowerCase(), form, precision, ...options } as OptimizerSpec;
}

/** The case's constructor arguments only, as a spec: what is left out takes the form's defaults. */
export function argumentsSpecOf(golden: GoldenCase, form: 'keras' | 'tfjs'): OptimizerSpec {
  const options: Record<string, number | boolean> = {};
  for (const [key, value] of Object.entries(golden.arguments)) options[KERAS_KEY_TO_OPTION[key]] = value;
  return { name: golden.optimizer.toLowerCase(), form, ...options } as OptimizerSpec;
}

/** Runs `optimizer` over the first `steps` golden gradients from the golden initial weights. */
export function runGoldenSequence(optimizer: PlainOptimizer, steps = loadGoldens().steps): WeightHistory {
  const { initialWeights, gradients } = loadGoldens();
  const weights = initialWeights.map((w) => Float64Array.from(w));
  const history: WeightHistory = [];
  for (let k = 0; k < steps; k++) {
    optimizer.step(
      weights,
      gradients[k].map((g) => Float64Array.from(g)),
    );
    history.push(weights.map((w) => Array.from(w)));
  }
  return history;
}

/** Rounds every value to float32 (the golden float32 texts, or a float64 history, as float32). */
export function toFloat32(history: WeightHistory): WeightHistory {
  return history.map((step) => step.map((tensor) => tensor.map((x) => Math.fround(x))));
}

/** How far two histories are apart at one step (1-based), over every element of every tensor. */
interface Gap {
  /** max |actual - expected| over the elements that are numbers in both; NaN when only one of the two is NaN. */
  readonly maxAbs: number;
  /** max |actual - expected| / |expected| over the same elements (an element that differs from 0 counts Infinity). */
  readonly maxRel: number;
  /** Elements that differ (NaN in both counts as equal: the same failure). */
  readonly differing: number;
  /** Elements NaN in both. */
  readonly bothNaN: number;
  readonly elements: number;
}

/** The gap between two weight histories after step `step` (1-based), over all tensors or only those listed. */
export function gapAt(actual: WeightHistory, expected: WeightHistory, step: number, tensors?: readonly number[]): Gap {
  let maxAbs = 0;
  let maxRel = 0;
  let differing = 0;
  let bothNaN = 0;
  let elements = 0;
  actual[step - 1].forEach((tensor, i) => {
    if (tensors !== undefined && !tensors.includes(i)) return;
    tensor.forEach((a, j) => {
      const e = expected[step - 1][i][j];
      elements++;
      if (Number.isNaN(a) && Number.isNaN(e)) {
        bothNaN++;
        return;
      }
      const abs = Math.abs(a - e);
      if (abs === 0) return;
      differing++;
      maxAbs = Number.isNaN(abs) ? NaN : Math.max(maxAbs, abs);
      maxRel = Number.isNaN(abs) ? NaN : Math.max(maxRel, abs / Math.abs(e));
    });
  });
  return { maxAbs, maxRel, differing, bothNaN, elements };
}

/** The largest gap over all steps (each measure maximized on its own), over all tensors or only those listed. */
export function worstGap(actual: WeightHistory, expected: WeightHistory, tensors?: readonly number[]): Gap {
  const gaps = expected.map((_, k) => gapAt(actual, expected, k + 1, tensors));
  return {
    maxAbs: Math.max(...gaps.map((g) => g.maxAbs)),
    maxRel: Math.max(...gaps.map((g) => g.maxRel)),
    differing: Math.max(...gaps.map((g) => g.differing)),
    bothNaN: Math.max(...gaps.map((g) => g.bothNaN)),
    elements: gaps[0].elements,
  };
}
