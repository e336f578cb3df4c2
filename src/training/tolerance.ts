/**
 * The tolerance of the training-step comparison: per weight tensor, max |layer - hand| / (the hand path's running
 * max |w|, ./compare-weights.ts), after every step s of K.
 *
 * 1. Default: TRAINING_TOLERANCE_BASE * sqrt(s). Measured with test/training/drift-measurement.test.ts (every
 *    Keras fixture but irnn-relu-784, each with its gradient goldens' loss, and 40 random small models of every
 *    kind; Adam, SGD momentum 0.9 and RMSprop in both forms; K = 50 on tensorflow, 78 models x 6 optimizers):
 *
 *      worst drift at step      1        2        5        10       20       50
 *      adam, keras form         1.9e-6   2.9e-6   3.2e-6   3.3e-6   3.2e-6   2.9e-6    (stack-mixed-widths)
 *      adam, tfjs form          7.3e-6   8.1e-6   8.7e-6   8.9e-6   8.9e-6   1.3e-5
 *      sgd, momentum 0.9        5.9e-8   9.6e-8   2.1e-7   3.2e-7   7.1e-7   2.3e-6
 *      rmsprop                  2.6e-7   3.2e-7   7.1e-7   5.5e-7   1.5e-6   4.2e-3    (unstable from step ~41: 2.)
 *
 *    (the cpu backend: the same sizes, 4.6e-6 the worst, at step 1; docs/training-parity.md has both). Where it comes
 *    from: each step rounds every weight to float32 (6e-8 of its size) and takes float32 gradients; SGD carries
 *    those errors forward (momentum) and grows about linearly from 6e-8; Adam divides the gradient by sqrt(v) + eps,
 *    which turns the float32 error of a gradient near eps into a step error: 30x more with tfjs's epsilon (1e-7)
 *    than with Keras's (epsilon / sqrt(1 - beta2^t), 3.2e-6 at step 1), and mostly at step 1 (flat afterwards).
 *    Over steps 1-40 the worst drift(s) / sqrt(s) is 7.3e-6, at step 1 (adam tfjs form, stack-mixed-widths): 1e-4
 *    leaves 13.7x. It still catches the Adam form mismatch (Keras's vs tf.train.adam: 3.8e-4 to 2.3e-3 apart after
 *    one step on the Keras trajectories, docs/training-parity.md) and any error of a learning-rate-sized step
 *    (1e-3 of a weight of size 1).
 * 2. Float32 floor: when a step fails at the default and the user set no tolerance, the hand path is trained again
 *    with every operation in float32 (forward, backward, optimizer), and each step is judged at
 *    max(default, TRAINING_FLOOR_FACTOR * floor(s)), floor(s) = the float32 hand path's drift from the float64 one.
 *    Training can turn unstable: RMSprop at lr 1e-3 on one repeated batch, from step ~40 on stack-mixed-widths (whose
 *    mse reaches 4e-17 there: the batch is fitted, the gradients vanish) and on a random SimpleRNN, where any two
 *    trajectories part by 2.7x per step (3e-3 to 7e-3 apart at step 50): no float32 path can follow the float64 one, and the
 *    float32 hand path shows it as well as tfjs does. TRAINING_FLOOR_FACTOR is measured below.
 * 3. A tolerance the user sets is flat (the same at every step) and never widened. NaN and Inf never pass.
 */

/** The default scaled weight difference allowed after step 1 (see 1. above). */
const TRAINING_TOLERANCE_BASE = 1e-4;

/**
 * How far above the float32 hand path's drift the layer path's may be, where the default is exceeded. Measured on
 * the two unstable RMSprop runs above (K = 50, both forms): layer drift / floor at most 1.68 over the steps it widened
 * (cpu, the random SimpleRNN, step 50; 44-50 and 45-50 widened, 0.06 to 1.68 on cpu and tensorflow). The forward
 * check's FLOOR_FACTOR (16, src/compare/tolerance.ts) leaves 9.5x over that.
 */
export const TRAINING_FLOOR_FACTOR = 16;

/** What the report shows of the tolerance. */
export interface TrainingTolerance {
  /** The scaled weight difference allowed after step 1. */
  readonly base: number;
  /** 'sqrt': base * sqrt(step), the default; 'flat': the user's, at every step. */
  readonly growth: 'sqrt' | 'flat';
  readonly userSet: boolean;
  /** Steps judged at TRAINING_FLOOR_FACTOR x the float32 floor (above the default there). */
  readonly widenedSteps: number;
  readonly floorFactor: number;
}

/** The tolerance at each step before any float32-floor widening, and its summary. */
export function trainingTolerance(user?: number): { at: (step: number) => number; summary: TrainingTolerance } {
  if (user !== undefined) {
    return { at: () => user, summary: { base: user, growth: 'flat', userSet: true, widenedSteps: 0, floorFactor: TRAINING_FLOOR_FACTOR } };
  }
  return {
    at: (step) => TRAINING_TOLERANCE_BASE * Math.sqrt(step),
    summary: { base: TRAINING_TOLERANCE_BASE, growth: 'sqrt', userSet: false, widenedSteps: 0, floorFactor: TRAINING_FLOOR_FACTOR },
  };
}
