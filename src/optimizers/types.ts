/**
 * The plain-TypeScript optimizers' shared vocabulary: names, forms, precisions, configs and the stepping interface.
 * No tfjs here (nor anywhere in src/optimizers but the tfjs-*.ts files, which nothing else in the folder imports).
 */

/** The optimizers implemented, in Keras's and tfjs's form each. */
export const OPTIMIZER_NAMES = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * Whose update rule: 'keras' is Keras 3's `update_step` (keras/src/optimizers/*.py), 'tfjs' is tfjs-core 4.22's
 * `applyGradients` (tfjs-core/dist/optimizers/*_optimizer.js). Same algorithm names, different arithmetic: see
 * docs/optimizers.md for the formulas and the measured gaps.
 */
export const OPTIMIZER_FORMS = ['keras', 'tfjs'] as const;
export type OptimizerForm = (typeof OPTIMIZER_FORMS)[number];

/**
 * 'float64' (the reference): plain doubles. 'float32': every operation's result (and every scalar constant, the
 * way a float32 framework makes a tensor of it) is rounded to float32 with Math.fround, in the framework's order,
 * so the result can be compared with a float32 framework run bit for bit.
 */
export const OPTIMIZER_PRECISIONS = ['float64', 'float32'] as const;
export type OptimizerPrecision = (typeof OPTIMIZER_PRECISIONS)[number];

/** Adam's hyperparameters, resolved (defaults filled in). */
export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** SGD's hyperparameters, resolved. momentum 0 is plain SGD; tfjs's form then is tf.train.sgd, else tf.train.momentum. */
export interface SgdConfig {
  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
}

/** RMSprop's hyperparameters, resolved. `rho` is Keras's name; tfjs calls it `decay`. */
export interface RmspropConfig {
  readonly learningRate: number;
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

/** Fields every spec has. */
interface SpecBase {
  readonly form: OptimizerForm;
  /** Default 'float64'. */
  readonly precision?: OptimizerPrecision;
}

/** What createOptimizer takes: a name, a form, and any hyperparameters (the rest take the form's defaults). */
export type OptimizerSpec =
  | (SpecBase & { readonly name: 'adam' } & Partial<AdamConfig> & { readonly amsgrad?: boolean })
  | (SpecBase & { readonly name: 'sgd' } & Partial<SgdConfig>)
  | (SpecBase & { readonly name: 'rmsprop' } & Partial<RmspropConfig>);

/** A resolved config, tagged with its optimizer's name. */
export type ResolvedOptimizerConfig =
  ({ readonly name: 'adam' } & AdamConfig) | ({ readonly name: 'sgd' } & SgdConfig) | ({ readonly name: 'rmsprop' } & RmspropConfig);

/**
 * A stateful optimizer over flat float64 weights. State (moments, velocities, the step count) lives inside and is
 * built on the first step for the weights' sizes, as Keras and tfjs build theirs on the first apply.
 */
export interface PlainOptimizer {
  readonly form: OptimizerForm;
  readonly precision: OptimizerPrecision;
  readonly config: ResolvedOptimizerConfig;
  /** Steps taken so far (Keras's `iterations`, tfjs's `iterations`). */
  readonly iterations: number;
  /**
   * One update of every weight, in place: weights[i] -= f(grads[i], state). The weights and their order must be the
   * same on every call. In 'float32' precision, weights and gradients are read as float32 (Math.fround) first.
   * @throws ShapeError when the counts or lengths do not match (each other, or the first step's)
   */
  step(weights: Float64Array[], grads: Float64Array[]): void;
}
