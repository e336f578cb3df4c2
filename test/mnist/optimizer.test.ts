/** train-mnist's optimizer choice: resolved once, named in the record, refused with one line when bad. No tfjs. */
import { ConfigError } from '../../src/errors';
import { optimizerLabel, optimizerRecord, resolveTrainOptimizer } from '../../apps/mnist/optimizer';
import { DEFAULT_LOOP_OPTIMIZER, loopOptimizerSpec } from '../../apps/mnist/train';
import type { OptimizerForm, OptimizerName } from '../../src/optimizers/types';

test("the learning rate defaults to Keras's for the optimizer, in either form; the rest to the form's defaults", () => {
  expect(resolveTrainOptimizer('adam', 'keras').config).toEqual({ name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  // tfjs has no default learning rate for sgd and rmsprop: Keras's stands in.
  expect(resolveTrainOptimizer('sgd', 'tfjs').config).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
  expect(resolveTrainOptimizer('rmsprop', 'tfjs').config.learningRate).toBe(0.001);
  expect(resolveTrainOptimizer('adam', 'tfjs', 0.01).spec).toEqual({ name: 'adam', form: 'tfjs', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
});

test('the record and the label name the optimizer, its form and which update rule ran', () => {
  const keras = resolveTrainOptimizer('adam', 'keras');
  expect(optimizerLabel(keras)).toBe('adam (keras form)');
  expect(optimizerRecord(keras)).toMatchObject({ name: 'adam', form: 'keras', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  expect((optimizerRecord(keras) as { implementation: string }).implementation).toMatch(/KerasAdamOptimizer.*before the bias correction/);
  expect((optimizerRecord(resolveTrainOptimizer('adam', 'tfjs')) as { implementation: string }).implementation).toMatch(/tf\.train\.adam.*after/);
});

test('bad values are one-line ConfigErrors naming what was given', () => {
  const bad: [OptimizerName, OptimizerForm, number | undefined, RegExp][] = [
    ['nadam' as OptimizerName, 'keras', undefined, /name: expected one of adam, sgd, rmsprop, got "nadam"/],
    ['adam', 'torch' as OptimizerForm, undefined, /form: expected one of keras, tfjs, got "torch"/],
    ['sgd', 'keras', -1, /learningRate: expected a finite number > 0, got -1/],
  ];
  for (const [name, form, rate, message] of bad) {
    expect(() => resolveTrainOptimizer(name, form, rate)).toThrow(ConfigError);
    expect(() => resolveTrainOptimizer(name, form, rate)).toThrow(message);
    try {
      resolveTrainOptimizer(name, form, rate);
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  }
});

test("the training loop's optimizer: Keras-form Adam unless told, a bare learning rate goes to it, both at once is refused", () => {
  expect(loopOptimizerSpec({})).toEqual(DEFAULT_LOOP_OPTIMIZER);
  expect(loopOptimizerSpec({ learningRate: 0.01 })).toEqual({ name: 'adam', form: 'keras', learningRate: 0.01 });
  expect(loopOptimizerSpec({ optimizer: { name: 'sgd', form: 'tfjs', learningRate: 0.1 } })).toEqual({ name: 'sgd', form: 'tfjs', learningRate: 0.1 });
  expect(() => loopOptimizerSpec({ optimizer: { name: 'sgd', form: 'tfjs' }, learningRate: 0.1 })).toThrow(/learningRate: expected it inside optimizer/);
});
