/**
 * Each form's default hyperparameters, as its source sets them.
 *
 * Keras 3.15.1: keras/src/optimizers/{adam,sgd,rmsprop}.py constructor defaults.
 * tfjs 4.22: tfjs-core/dist/optimizers/optimizer_constructors.js (tf.train.*) and the optimizer constructors; an
 * epsilon left null becomes ENGINE.backend.epsilon(), 1e-7 on float32 backends (cpu, tensorflow, wasm, webgl with
 * float32 textures) and 1e-4 on a float16-only webgl.
 *
 * Where they differ: tfjs has no default learning rate for sgd, momentum or rmsprop (it must be given; Keras: 0.01
 * for SGD, 0.001 for RMSprop), and tf.train.momentum has no default momentum. Every other default is the same value.
 */
import type { AdamConfig, OptimizerForm, OptimizerName, RmspropConfig, SgdConfig } from './types';

/** A config whose fields a form may leave without a default (undefined: the caller must give it). */
type DefaultsOf<T> = { readonly [K in keyof T]: T[K] | undefined };

interface FormDefaults {
  readonly adam: DefaultsOf<AdamConfig>;
  readonly sgd: DefaultsOf<SgdConfig>;
  readonly rmsprop: DefaultsOf<RmspropConfig>;
}

/** Keras 3's defaults (Adam(), SGD(), RMSprop()). */
export const KERAS_DEFAULTS: FormDefaults = {
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  sgd: { learningRate: 0.01, momentum: 0, nesterov: false },
  rmsprop: { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
};

/** tfjs's defaults (tf.train.adam(), tf.train.sgd(lr) / tf.train.momentum(lr, momentum), tf.train.rmsprop(lr)). */
export const TFJS_DEFAULTS: FormDefaults = {
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  // tf.train.sgd(learningRate) has no momentum; momentum > 0 means tf.train.momentum(learningRate, momentum, useNesterov).
  sgd: { learningRate: undefined, momentum: 0, nesterov: false },
  // tfjs's `decay` is Keras's `rho`.
  rmsprop: { learningRate: undefined, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
};

/** The defaults of one form. */
export function defaultsFor(form: OptimizerForm): FormDefaults {
  return form === 'keras' ? KERAS_DEFAULTS : TFJS_DEFAULTS;
}

/** The option names each optimizer takes, besides name, form and precision (adam also takes amsgrad: false). */
export const OPTION_NAMES: { readonly [N in OptimizerName]: readonly string[] } = {
  adam: Object.keys(KERAS_DEFAULTS.adam),
  sgd: Object.keys(KERAS_DEFAULTS.sgd),
  rmsprop: Object.keys(KERAS_DEFAULTS.rmsprop),
};
