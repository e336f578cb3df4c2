/**
 * Runs the gradient fault catalogue through the real gradient check: for each fault model, checkGradients on
 * the correct code (it must pass, or a catch means nothing), then for each fault on it, checkGradients with the
 * fault in scope (withBackwardFaults), at the default tolerances. A fault's outcome says which comparisons
 * caught it and by how much (error / tolerance), and how much it changed the hand gradient at all.
 * Library code: returns outcomes, never prints.
 */
import { checkInputs } from '../../../src/graph/check-inputs';
import { checkGradients, type GradientPair } from '../../../src/graph/gradient-check';
import { handLossGradients, withBackwardFaults, type BackwardFaults } from '../../../src/graph/hand-backward';
import { forwardGraph } from '../../../src/graph/hand-forward';
import { lossTargets, type LossName } from '../../../src/gradients/losses';
import type { NdArray } from '../../../src/tensor';
import { GRADIENT_FAULTS, type GradientFault } from './catalogue';
import { FAULT_MODELS, faultModel, type FaultModel } from './fault-models';
import { pairRatios } from './ratios';

/** The comparisons a fault is judged by (Keras's gradients are not part of the fault runs). */
export const FAULT_PAIRS: readonly GradientPair[] = ['layer vs hand', 'hand vs finite differences'];

/** One comparison's verdict on a run. */
interface PairOutcome {
  readonly pair: GradientPair;
  readonly caught: boolean;
  /** Worst error / allowed over the tensors (> 1: caught). */
  readonly ratio: number;
  /** Where the worst ratio was, e.g. `lstm_1/recurrent_kernel`. */
  readonly tensor: string;
}

/** A fault (or the correct code, fault 'none') on one model. */
export interface GradientFaultOutcome {
  readonly fault: string;
  readonly model: string;
  /** max over tensors of max |faulty - correct| / max |correct| of the hand gradients: the fault's size (0: it changed nothing). */
  readonly changed: number;
  readonly pairs: readonly PairOutcome[];
  /** Some comparison failed. */
  readonly caught: boolean;
}

interface GradientFaultRunOptions {
  readonly faults?: readonly GradientFault[];
  /** Skip the layer path (hand vs finite differences only; no backend loads). Default false. */
  readonly handOnly?: boolean;
  readonly loss?: LossName;
  readonly seed?: number;
  /** Called after each model, e.g. to print progress. */
  readonly onModelDone?: (model: string, done: number, total: number) => void;
}

/** The correct code's outcome is reported as this fault. */
export const NO_FAULT = 'none';

/** The inputs and targets checkGradients would seed, made once so both runs and the size probe share them. */
function inputsAndTargets(model: FaultModel, loss: LossName, seed: number): { inputs: NdArray[]; targets: NdArray[] | undefined } {
  const inputs = checkInputs(model.model, { seed, batch: model.batch, ...(model.inputs ? { inputs: model.inputs } : {}) });
  const outputs = forwardGraph(model.model, inputs, 'float64');
  const targets = lossTargets(
    loss,
    outputs.map((o, k) => ({ name: model.model.outputs[k], shape: o.shape })),
    seed,
  );
  return { inputs, targets: loss === 'sum-squares' ? undefined : (targets as NdArray[]) };
}

/** max over tensors of max |a - b| / max |b| (the inputs' and the weights' hand gradients). */
function relativeChange(model: FaultModel, inputs: NdArray[], loss: LossName, targets: NdArray[] | undefined, faults: BackwardFaults): number {
  const run = () => handLossGradients(model.model, inputs, loss, targets ?? model.model.outputs.map(() => undefined)).gradients;
  const correct = run();
  const faulty = withBackwardFaults(faults, run);
  const pairs = [
    ...correct.inputs.map((g, i) => [g, faulty.inputs[i]] as const),
    ...correct.weights.flatMap((w, l) => w.map((g, k) => [g, faulty.weights[l][k]] as const)),
  ];
  let worst = 0;
  for (const [b, a] of pairs) {
    if (b === null || a === null) continue;
    let maxDiff = 0;
    let scale = 0;
    for (let i = 0; i < b.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    if (!Number.isFinite(maxDiff)) return Infinity;
    worst = Math.max(worst, maxDiff / (scale || 1));
  }
  return worst;
}

/** The outcome of one check (with the fault in scope, or none). */
async function runOne(
  fault: string,
  model: FaultModel,
  setup: { inputs: NdArray[]; targets: NdArray[] | undefined; loss: LossName; seed: number; handOnly: boolean },
  faults: BackwardFaults | undefined,
): Promise<GradientFaultOutcome> {
  const check = () =>
    checkGradients({
      model: model.model,
      backend: 'cpu',
      loss: setup.loss,
      seed: setup.seed,
      inputs: setup.inputs,
      ...(setup.targets ? { targets: setup.targets } : {}),
      handOnly: setup.handOnly,
    });
  const result = await (faults ? withBackwardFaults(faults, check) : check());
  const ratios = pairRatios(result);
  const pairs = FAULT_PAIRS.filter((pair) => ratios.has(pair)).map((pair) => {
    const { ratio, tensor } = ratios.get(pair)!;
    return { pair, caught: !(ratio <= 1), ratio, tensor };
  });
  const changed = faults ? relativeChange(model, setup.inputs, setup.loss, setup.targets, faults) : 0;
  return { fault, model: model.name, changed, pairs, caught: !result.pass };
}

/**
 * Every fault on every model it names, with the correct code first on each model.
 * @throws Error when a fault changes no gradient on a model it names (the seam was bypassed, or the model does
 *   not exercise the fault: either way its "catch" would mean nothing).
 */
export async function runGradientFaults(options: GradientFaultRunOptions = {}): Promise<GradientFaultOutcome[]> {
  const faults = options.faults ?? GRADIENT_FAULTS;
  const loss = options.loss ?? 'mse';
  const seed = options.seed ?? 7;
  const handOnly = options.handOnly ?? false;
  const names = FAULT_MODELS.map((m) => m.name).filter((name) => faults.some((f) => f.models.includes(name)));
  const outcomes: GradientFaultOutcome[] = [];
  for (const [n, name] of names.entries()) {
    const model = faultModel(name);
    const { inputs, targets } = inputsAndTargets(model, loss, seed);
    const setup = { inputs, targets, loss, seed, handOnly };
    outcomes.push(await runOne(NO_FAULT, model, setup, undefined));
    for (const fault of faults.filter((f) => f.models.includes(name))) {
      const outcome = await runOne(fault.id, model, setup, fault.faults);
      if (!(outcome.changed > 0)) throw new Error(`gradient fault ${fault.id} changed no gradient of model "${name}": the seam was bypassed`);
      outcomes.push(outcome);
    }
    options.onModelDone?.(name, n + 1, names.length);
  }
  return outcomes;
}
