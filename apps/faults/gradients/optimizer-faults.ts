/**
 * Optimizer faults: bugs in a plain-TypeScript optimizer's update, each run K steps beside the correct optimizer
 * of the same form and compared after every step the way training-step parity compares weights (scaled max error
 * per tensor, src/training/compare-weights.ts) at its tolerance (src/training/tolerance.ts, trainingTolerance).
 * A fault is the real optimizer with a changed hyperparameter where the bug is one (nesterov dropped, rho swapped
 * for 1 - rho, momentum applied twice = momentum^2), or ./faulty-adam.ts (Adam's step with one switch on).
 *
 * Two gradient sources:
 *   synthetic  docs/optimizers.md's golden sequence: np.random.seed(7) weights randn(3, 4), randn(4);
 *              np.random.seed(8) per step gradients randn(3, 4) ("g ~ 1") and randn(4) * 1e-4 ("g ~ 1e-4");
 *              both optimizers read the same gradients
 *   model      the LSTM fault model trained on the hand path (float64 forward and backward, mse): each optimizer
 *              follows its own trajectory, as training-step parity's two paths do
 * Library code: returns outcomes, never prints.
 */
import { lossTargets } from '../../../src/gradients/losses';
import { checkInputs } from '../../../src/graph/check-inputs';
import { handLossGradients } from '../../../src/graph/hand-backward';
import { forwardGraph } from '../../../src/graph/hand-forward';
import { compareGradients } from '../../../src/gradients/compare-gradients';
import { NumpyRandomState } from '../../../src/data/numpy-random';
import { createOptimizer, resolveOptimizerSpec, type AdamConfig, type OptimizerForm, type OptimizerSpec, type PlainOptimizer } from '../../../src/optimizers';
import type { NdArray } from '../../../src/tensor';
import { trainingTolerance } from '../../../src/training/tolerance';
import { faultModel } from './fault-models';
import { FaultyAdam, type AdamBugs } from './faulty-adam';

/** The steps each comparison runs. */
export const OPTIMIZER_STEPS = 5;

interface OptimizerFault {
  /** kebab-case with the form, e.g. 'adam-epsilon-other-place (keras)'. */
  readonly id: string;
  readonly description: string;
  /** The correct optimizer (name, form, hyperparameters). */
  readonly spec: OptimizerSpec;
  /** A fresh faulty optimizer in `precision`. */
  readonly faulty: (precision: 'float64' | 'float32') => PlainOptimizer;
}

const FORMS: readonly OptimizerForm[] = ['keras', 'tfjs'];

function adamFault(id: string, description: string, form: OptimizerForm, bugs: AdamBugs): OptimizerFault {
  const spec: OptimizerSpec = { name: 'adam', form, learningRate: 0.001 };
  const config = resolveOptimizerSpec(spec).config as AdamConfig;
  return { id: `${id} (${form})`, description, spec, faulty: (precision) => new FaultyAdam(form, precision, config, bugs) };
}

/** The real optimizer with `change` applied to the spec: a bug that amounts to a wrong hyperparameter. */
function specFault(id: string, description: string, spec: OptimizerSpec, change: (spec: OptimizerSpec) => OptimizerSpec): OptimizerFault {
  return { id: `${id} (${spec.form})`, description, spec, faulty: (precision) => createOptimizer({ ...change(spec), precision }) };
}

/** Every optimizer fault, in each form. */
export const OPTIMIZER_FAULTS: readonly OptimizerFault[] = [
  ...FORMS.map((form) =>
    adamFault('adam-epsilon-other-place', "epsilon added where the other form adds it (tfjs's after the bias correction, Keras's before)", form, {
      epsilonOtherPlace: true,
    }),
  ),
  ...FORMS.map((form) =>
    adamFault('adam-first-moment-uncorrected', "the first moment's bias correction 1 / (1 - beta1^t) left out", form, { noFirstMomentCorrection: true }),
  ),
  ...FORMS.map((form) =>
    adamFault('adam-second-moment-uncorrected', "the second moment's bias correction 1 / (1 - beta2^t) left out", form, { noSecondMomentCorrection: true }),
  ),
  ...FORMS.map((form) =>
    specFault(
      'sgd-momentum-applied-twice',
      'the velocity decayed twice per step (momentum^2 where momentum belongs)',
      { name: 'sgd', form, learningRate: 0.01, momentum: 0.9 },
      (s) => ({ ...s, momentum: 0.81 }),
    ),
  ),
  ...FORMS.map((form) =>
    specFault(
      'sgd-nesterov-missing',
      'nesterov=True run as plain momentum (the look-ahead term left out)',
      { name: 'sgd', form, learningRate: 0.01, momentum: 0.9, nesterov: true },
      (s) => ({ ...s, nesterov: false }),
    ),
  ),
  ...FORMS.map((form) =>
    specFault('rmsprop-rho-swapped', 'v = (1 - rho) v + rho g^2 (rho and 1 - rho swapped)', { name: 'rmsprop', form, learningRate: 0.001, rho: 0.9 }, (s) => ({
      ...s,
      rho: 0.1,
    })),
  ),
];

/** Weights as a list of named tensors. */
interface Tensors {
  readonly names: readonly string[];
  readonly values: Float64Array[];
}

/** Where the gradients come from. */
interface GradientSource {
  readonly name: string;
  /** Fresh initial weights. */
  initial(): Tensors;
  /** The gradient of step `step` (1-based) at `weights` (a synthetic source ignores them). */
  gradients(step: number, weights: readonly Float64Array[]): Float64Array[];
}

/** docs/optimizers.md's golden sequence: one source per tensor scale, as its table reads them. */
function syntheticSource(): GradientSource {
  const weightRandom = new NumpyRandomState(7);
  const kernel = weightRandom.randn([12]);
  const bias = weightRandom.randn([4]);
  const gradientRandom = new NumpyRandomState(8);
  const steps = Array.from({ length: OPTIMIZER_STEPS }, () => {
    const g = gradientRandom.randn([12]);
    const b = gradientRandom.randn([4]).map((x) => x * 1e-4);
    return [g, b];
  });
  return {
    name: 'synthetic (kernel g ~ 1, bias g ~ 1e-4)',
    initial: () => ({ names: ['kernel [3, 4]', 'bias [4]'], values: [kernel.slice(), bias.slice()] }),
    gradients: (step) => steps[step - 1].map((g) => g.slice()),
  };
}

/** The LSTM fault model, trained on the hand path with mse on one seeded batch. */
function modelSource(): GradientSource {
  const { model, batch } = faultModel('lstm');
  const seed = 11;
  const inputs = checkInputs(model, { seed, batch });
  const outputs = forwardGraph(model, inputs, 'float64');
  const targets = lossTargets(
    'mse',
    outputs.map((o, k) => ({ name: model.outputs[k], shape: o.shape })),
    seed,
  ) as NdArray[];
  const layerOf = model.layers.flatMap((layer, l) => layer.weights.map((w, k) => ({ l, k, name: `${layer.name}/${w.name}` })));
  return {
    name: 'model (LSTM(4) -> Dense(2), mse, hand path)',
    initial: () => ({ names: layerOf.map((x) => x.name), values: layerOf.map(({ l, k }) => Float64Array.from(model.layers[l].weights[k].data)) }),
    gradients: (_step, weights) => {
      const nested = model.layers.map((layer, l) => layer.weights.map((_w, k) => weights[layerOf.findIndex((x) => x.l === l && x.k === k)]));
      const { gradients } = handLossGradients(model, inputs, 'mse', targets, 'float64', nested);
      return layerOf.map(({ l, k }) => Float64Array.from(gradients.weights[l][k]));
    },
  };
}

/** The gradient sources every fault runs on. */
export function gradientSources(): GradientSource[] {
  return [syntheticSource(), modelSource()];
}

/** One optimizer (or a pair) on one source: the worst error / allowed over steps and tensors. */
export interface OptimizerOutcome {
  readonly fault: string;
  readonly source: string;
  readonly caught: boolean;
  /** max over steps s and tensors of scaledMaxError(faulty, correct) / tolerance(s). */
  readonly ratio: number;
  /** The step and tensor of the worst ratio. */
  readonly step: number;
  readonly tensor: string;
  /** The ratio after the last step alone. */
  readonly lastStepRatio: number;
}

/** Runs `actual` and `expected` K steps on `source` and compares after each step at the training tolerance. */
export function compareOptimizers(fault: string, actual: PlainOptimizer, expected: PlainOptimizer, source: GradientSource): OptimizerOutcome {
  const tolerance = trainingTolerance();
  const a = source.initial();
  const b = source.initial();
  let worst = { ratio: 0, step: 0, tensor: '' };
  let lastStepRatio = 0;
  for (let step = 1; step <= OPTIMIZER_STEPS; step++) {
    actual.step(a.values, source.gradients(step, a.values));
    expected.step(b.values, source.gradients(step, b.values));
    lastStepRatio = 0;
    a.values.forEach((values, i) => {
      const d = compareGradients(values, b.values[i], tolerance.at(step));
      const ratio = d.nonFinite > 0 ? Infinity : d.scaledMaxError / d.tolerance;
      lastStepRatio = Math.max(lastStepRatio, ratio);
      if (!(ratio <= worst.ratio)) worst = { ratio, step, tensor: a.names[i] };
    });
  }
  return { fault, source: source.name, caught: !(worst.ratio <= 1), ...worst, lastStepRatio };
}

/** Every fault against its correct optimizer (both float64), on every source. */
export function runOptimizerFaults(faults: readonly OptimizerFault[] = OPTIMIZER_FAULTS): OptimizerOutcome[] {
  const sources = gradientSources();
  return faults.flatMap((fault) =>
    sources.map((source) => compareOptimizers(fault.id, fault.faulty('float64'), createOptimizer({ ...fault.spec, precision: 'float64' }), source)),
  );
}

/** A spec in words: `sgd (keras; learningRate 0.01, momentum 0.9, nesterov true)`. */
function specLabel(spec: OptimizerSpec): string {
  const options = Object.entries(spec)
    .filter(([key]) => key !== 'name' && key !== 'form' && key !== 'precision')
    .map(([key, value]) => `${key} ${String(value)}`);
  return `${spec.name} (${spec.form}${options.length ? `; ${options.join(', ')}` : ''})`;
}

/**
 * The rounding floor: each correct optimizer in float32 (= tfjs's own arithmetic, bit for bit: docs/optimizers.md)
 * against itself in float64, on every source. What training-step parity must allow at least: its tolerance must
 * pass these, or the faults' ratios are against a tolerance no float32 path could meet.
 */
export function roundingFloor(faults: readonly OptimizerFault[] = OPTIMIZER_FAULTS): OptimizerOutcome[] {
  const sources = gradientSources();
  const specs = new Map(faults.map((f) => [JSON.stringify(f.spec), f.spec]));
  return [...specs.values()].flatMap((spec) =>
    sources.map((source) =>
      compareOptimizers(
        `${specLabel(spec)}: float32 vs float64`,
        createOptimizer({ ...spec, precision: 'float32' }),
        createOptimizer({ ...spec, precision: 'float64' }),
        source,
      ),
    ),
  );
}
