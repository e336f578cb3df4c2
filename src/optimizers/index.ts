/**
 * Optimizers in plain TypeScript, in Keras 3's form and in tfjs's form, for the hand path's training.
 *
 *   const adam = createOptimizer({ name: 'adam', form: 'keras' });   // Keras's defaults
 *   adam.step(weights, grads);                                       // Float64Array[] each, weights updated in place
 *
 * No tfjs import here or in anything this imports. The Keras-form optimizers for tfjs itself are
 * src/optimizers/tfjs-keras-adam.ts and tfjs-keras-rmsprop.ts (they import tfjs; import them directly).
 */
import { KerasFormAdam, TfjsFormAdam } from './adam';
import { resolveOptimizerSpec } from './read-options';
import { KerasFormRmsprop, TfjsFormRmsprop } from './rmsprop';
import { KerasFormSgd, TfjsFormSgd } from './sgd';
import type { OptimizerSpec, PlainOptimizer } from './types';

export { KERAS_DEFAULTS, TFJS_DEFAULTS } from './defaults';
export { resolveOptimizerSpec } from './read-options';
export type { AdamConfig, OptimizerForm, OptimizerSpec, PlainOptimizer } from './types';

/**
 * A fresh optimizer (state empty, iterations 0) for a spec; omitted hyperparameters take the form's defaults.
 * @throws ConfigError naming the bad field and value (unknown name, form, precision or option; a learning rate tfjs
 *   has no default for; a value out of range)
 */
export function createOptimizer(spec: OptimizerSpec): PlainOptimizer {
  const { form, precision, config } = resolveOptimizerSpec(spec);
  const keras = form === 'keras';
  switch (config.name) {
    case 'adam':
      return keras ? new KerasFormAdam(form, precision, config) : new TfjsFormAdam(form, precision, config);
    case 'sgd':
      return keras ? new KerasFormSgd(form, precision, config) : new TfjsFormSgd(form, precision, config);
    case 'rmsprop':
      return keras ? new KerasFormRmsprop(form, precision, config) : new TfjsFormRmsprop(form, precision, config);
  }
}
