/**
 * A tfjs optimizer for an optimizer spec, in either form: 'tfjs' gives tfjs's own (tf.train.adam, sgd, momentum,
 * rmsprop) with the spec's hyperparameters, 'keras' the Keras-form optimizers of this folder. What a training loop
 * calls to honour `--optimizer NAME --optimizer-form keras|tfjs` (see docs/optimizers.md, "Wiring").
 * tfjs computes in float32 whatever the spec's precision says.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveOptimizerSpec } from './read-options';
import { KerasAdamOptimizer } from './tfjs-keras-adam';
import { KerasRmspropOptimizer } from './tfjs-keras-rmsprop';
import { KerasSgdOptimizer } from './tfjs-keras-sgd';
import type { OptimizerSpec } from './types';

/**
 * The tf.Optimizer for `spec`; omitted hyperparameters take the form's defaults (docs/optimizers.md, "Defaults").
 * The caller owns it: dispose it when done (a model does not dispose an optimizer passed to compile as an object).
 * @throws ConfigError naming the bad field and value
 */
export function createTfjsOptimizer(spec: OptimizerSpec): tf.Optimizer {
  const { form, config } = resolveOptimizerSpec(spec);
  switch (config.name) {
    case 'adam':
      return form === 'keras' ? new KerasAdamOptimizer(config) : tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
    case 'sgd':
      if (form === 'keras') return new KerasSgdOptimizer(config);
      return config.momentum === 0 ? tf.train.sgd(config.learningRate) : tf.train.momentum(config.learningRate, config.momentum, config.nesterov);
    case 'rmsprop':
      return form === 'keras'
        ? new KerasRmspropOptimizer(config)
        : tf.train.rmsprop(config.learningRate, config.rho, config.momentum, config.epsilon, config.centered);
  }
}

/**
 * Disposes an optimizer createTfjsOptimizer made, all of it.
 * Parity note (a tfjs 4.22 leak): tf.train.momentum's MomentumOptimizer.dispose() frees its momentum and
 * accumulators but not the -learningRate scalar its base class SGDOptimizer keeps (`this.c`, freed only by
 * SGDOptimizer.dispose, which it overrides without calling): one tensor per optimizer. Freed here too.
 */
export function disposeTfjsOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  if (!(optimizer instanceof tf.MomentumOptimizer)) return;
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c !== undefined && !c.isDisposed) c.dispose();
}
