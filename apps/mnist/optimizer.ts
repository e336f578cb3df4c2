/**
 * train-mnist's optimizer: a name (adam, sgd, rmsprop), a form ('keras': Keras 3's update as a tfjs optimizer;
 * 'tfjs': tf.train.*) and a learning rate, resolved once (src/optimizers/read-options.ts) so that the run, its
 * record and its pictures all name the same thing. No tfjs here.
 */
import { KERAS_DEFAULTS } from '../../src/optimizers/defaults';
import { resolveOptimizerSpec } from '../../src/optimizers/read-options';
import type { OptimizerForm, OptimizerName, OptimizerSpec, ResolvedOptimizerConfig } from '../../src/optimizers/types';

/** An optimizer as train-mnist runs it: every hyperparameter known. */
export interface TrainOptimizer {
  readonly name: OptimizerName;
  readonly form: OptimizerForm;
  readonly config: ResolvedOptimizerConfig;
  /** What createTfjsOptimizer takes to build it. */
  readonly spec: OptimizerSpec;
}

/** What each form's optimizer is, in tfjs, for the record. */
const IMPLEMENTATIONS: { readonly [N in OptimizerName]: { readonly [F in OptimizerForm]: string } } = {
  adam: {
    keras: "Keras 3's keras.optimizers.Adam update (KerasAdamOptimizer): w -= m * alpha / (sqrt(v) + epsilon), epsilon before the bias correction",
    tfjs: "tfjs's tf.train.adam: w -= lr * mHat / (sqrt(vHat) + epsilon), epsilon after the bias correction",
  },
  sgd: {
    keras: "Keras 3's keras.optimizers.SGD update (KerasSgdOptimizer)",
    tfjs: "tfjs's tf.train.sgd (tf.train.momentum when momentum > 0)",
  },
  rmsprop: {
    keras: "Keras 3's keras.optimizers.RMSprop update (KerasRmspropOptimizer)",
    tfjs: "tfjs's tf.train.rmsprop",
  },
};

/**
 * The optimizer of a run. The learning rate defaults to Keras's for the optimizer (adam 0.001, seed 002's; sgd 0.01;
 * rmsprop 0.001) in either form, since tfjs has none for sgd and rmsprop; every other hyperparameter takes the form's
 * default (the same values in both forms, docs/optimizers.md).
 * @throws ConfigError naming the bad field and value (an unknown name or form, a learning rate that is not > 0)
 */
export function resolveTrainOptimizer(name: OptimizerName, form: OptimizerForm, learningRate?: number): TrainOptimizer {
  const rate = learningRate ?? KERAS_DEFAULTS[name]?.learningRate;
  const resolved = resolveOptimizerSpec({ name, form, learningRate: rate });
  const config = resolved.config;
  return { name: config.name, form: resolved.form, config, spec: { ...config, form: resolved.form } as OptimizerSpec };
}

/** `adam (keras form)`: for titles and summaries. */
export function optimizerLabel(optimizer: Pick<TrainOptimizer, 'name' | 'form'>): string {
  return `${optimizer.name} (${optimizer.form} form)`;
}

/** The record's description of the optimizer: name, form, every hyperparameter, and which update rule ran. */
export function optimizerRecord(optimizer: TrainOptimizer): object {
  const { name, ...hyperparameters } = optimizer.config;
  return { name, form: optimizer.form, ...hyperparameters, implementation: IMPLEMENTATIONS[name][optimizer.form] };
}
