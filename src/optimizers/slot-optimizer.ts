/**
 * What every plain optimizer shares: the step count, the argument checks, the state built on the first step for
 * the weights' sizes (one Float64Array "slot" per weight per accumulator), and the precision's rounding.
 */
import { ShapeError } from '../errors';
import type { OptimizerForm, OptimizerPrecision, PlainOptimizer, ResolvedOptimizerConfig } from './types';

/** Rounds one result: the identity in float64, Math.fround in float32. */
type Round = (x: number) => number;

function identity(x: number): number {
  return x;
}

/** The rounding of a precision. */
function roundingFor(precision: OptimizerPrecision): Round {
  return precision === 'float32' ? Math.fround : identity;
}

/**
 * A Python float passed through Keras's `ops.cast(x, variable.dtype)`, as the TensorFlow backend computes it:
 * tf.cast(x) first makes a tensor of the Python float, which is float32 by default, and then casts it. So in a float64
 * run the value is float32(x) widened (ops.cast(0.9, "float64") is 0.8999999761581421, measured with Keras 3.15.1 /
 * TF 2.21), where a Python float met by an op instead (`ops.multiply(rho, v)`, `1 - self.beta_1`) stays a double.
 */
export function kerasCastOfPythonFloat(x: number, round: Round): number {
  return round(Math.fround(x));
}

/** One zero-filled buffer per weight size (Keras's add_optimizer_variables, tfjs's zerosLike(value).variable()). */
export function zeroSlots(sizes: readonly number[]): Float64Array[] {
  return sizes.map((size) => new Float64Array(size));
}

/**
 * Checks one step's arguments against each other and against the first step's sizes.
 * @throws ShapeError "step: <what>: expected X, got Y"
 */
function checkStepArguments(weights: readonly Float64Array[], grads: readonly Float64Array[], sizes: readonly number[] | undefined): void {
  if (!Array.isArray(weights) || !Array.isArray(grads)) {
    throw new ShapeError(`step: expected arrays of Float64Array (weights, grads), got ${typeof weights} and ${typeof grads}`);
  }
  if (grads.length !== weights.length) throw new ShapeError(`step: expected ${weights.length} gradients (one per weight), got ${grads.length}`);
  if (sizes !== undefined && weights.length !== sizes.length) {
    throw new ShapeError(`step: expected ${sizes.length} weights (as on the first step), got ${weights.length}`);
  }
  weights.forEach((weight, i) => {
    const grad = grads[i];
    if (!(weight instanceof Float64Array)) throw new ShapeError(`step: weight ${i}: expected a Float64Array, got ${describeArray(weight)}`);
    if (!(grad instanceof Float64Array)) throw new ShapeError(`step: gradient ${i}: expected a Float64Array, got ${describeArray(grad)}`);
    if (sizes !== undefined && weight.length !== sizes[i]) {
      throw new ShapeError(`step: weight ${i}: expected ${sizes[i]} values (as on the first step), got ${weight.length}`);
    }
    if (grad.length !== weight.length) throw new ShapeError(`step: gradient ${i}: expected ${weight.length} values (its weight's), got ${grad.length}`);
  });
}

function describeArray(value: unknown): string {
  return value === null || typeof value !== 'object' ? String(value) : value.constructor.name;
}

/** Base of every optimizer in src/optimizers: checks, builds on the first step, counts steps. */
export abstract class SlotOptimizer<C extends ResolvedOptimizerConfig> implements PlainOptimizer {
  /** The precision's rounding, applied to every result and scalar constant (the identity in float64). */
  protected readonly round: Round;
  private sizes: number[] | undefined;
  private stepsTaken = 0;

  constructor(
    readonly form: OptimizerForm,
    readonly precision: OptimizerPrecision,
    readonly config: C,
  ) {
    this.round = roundingFor(precision);
  }

  get iterations(): number {
    return this.stepsTaken;
  }

  step(weights: Float64Array[], grads: Float64Array[]): void {
    checkStepArguments(weights, grads, this.sizes);
    if (this.sizes === undefined) {
      this.sizes = weights.map((w) => w.length);
      this.build(this.sizes);
    }
    this.update(weights, grads);
    this.stepsTaken++;
  }

  /** Allocates the state for weights of these sizes (called once, before the first update). */
  protected abstract build(sizes: readonly number[]): void;

  /** Updates every weight in place; `this.iterations` is the number of steps before this one. */
  protected abstract update(weights: Float64Array[], grads: readonly Float64Array[]): void;
}
