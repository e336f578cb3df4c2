/** createOptimizer's spec checks (one-line ConfigErrors naming the value) and step's argument checks (ShapeErrors). */
import { ConfigError, ShapeError } from '../../src/errors';
import { createOptimizer, KERAS_DEFAULTS, TFJS_DEFAULTS, type OptimizerSpec } from '../../src/optimizers';

/** The spec as `any`: the checks are for specs that come from outside the type system (a CLI, JSON). */
function create(spec: Record<string, unknown>): unknown {
  return createOptimizer(spec as unknown as OptimizerSpec);
}

describe('createOptimizer', () => {
  test.each([
    [{ name: 'adagrad', form: 'keras' }, 'optimizer: name: expected one of adam, sgd, rmsprop, got "adagrad"'],
    [{ name: 'adam', form: 'torch' }, 'adam: form: expected one of keras, tfjs, got "torch"'],
    [{ name: 'adam' }, 'adam: form: expected one of keras, tfjs, got undefined'],
    [{ name: 'adam', form: 'keras', precision: 'float16' }, 'adam: precision: expected one of float64, float32, got "float16"'],
    [{ name: 'adam', form: 'keras', learningRate: 0 }, 'adam (keras form): learningRate: expected a finite number > 0, got 0'],
    [{ name: 'adam', form: 'keras', learningRate: NaN }, 'adam (keras form): learningRate: expected a finite number > 0, got NaN'],
    [{ name: 'adam', form: 'keras', learningRate: '0.1' }, 'adam (keras form): learningRate: expected a finite number > 0, got "0.1"'],
    [{ name: 'adam', form: 'tfjs', beta1: 1 }, 'adam (tfjs form): beta1: expected a number in [0, 1), got 1'],
    [{ name: 'adam', form: 'keras', beta2: -0.5 }, 'adam (keras form): beta2: expected a number in [0, 1), got -0.5'],
    [{ name: 'adam', form: 'keras', epsilon: Infinity }, 'adam (keras form): epsilon: expected a finite number >= 0, got Infinity'],
    [{ name: 'adam', form: 'keras', amsgrad: true }, 'adam (keras form): amsgrad: expected false (AMSGrad is not implemented), got true'],
    [
      { name: 'adam', form: 'keras', rho: 0.9 },
      'adam (keras form): expected options among name, form, precision, learningRate, beta1, beta2, epsilon, amsgrad, got unknown option "rho"',
    ],
    [{ name: 'sgd', form: 'keras', momentum: 1.5 }, 'sgd (keras form): momentum: expected a number in [0, 1], got 1.5'],
    [{ name: 'sgd', form: 'keras', nesterov: 'yes' }, 'sgd (keras form): nesterov: expected true or false, got "yes"'],
    [
      { name: 'sgd', form: 'tfjs' },
      'sgd (tfjs form): learningRate: expected a finite number > 0 (tf.train.sgd and tf.train.momentum have no default), got undefined',
    ],
    [{ name: 'rmsprop', form: 'tfjs' }, 'rmsprop (tfjs form): learningRate: expected a finite number > 0 (tf.train.rmsprop has no default), got undefined'],
    [
      { name: 'rmsprop', form: 'keras', decay: 0.9 },
      'rmsprop (keras form): expected options among name, form, precision, learningRate, rho, momentum, epsilon, centered, got unknown option "decay"',
    ],
    [{ name: 'rmsprop', form: 'keras', rho: 1 }, 'rmsprop (keras form): rho: expected a number in [0, 1), got 1'],
    [{ name: 'rmsprop', form: 'keras', centered: 1 }, 'rmsprop (keras form): centered: expected true or false, got 1'],
  ])('%j -> ConfigError', (spec, message) => {
    expect(() => create(spec)).toThrow(new ConfigError(message));
    expect(() => create(spec)).toThrow(ConfigError);
  });

  test('not an object', () => {
    expect(() => create(null as unknown as Record<string, unknown>)).toThrow(
      new ConfigError('optimizer: expected an object { name, form, ...options }, got null'),
    );
  });

  test('omitted options take the form defaults; amsgrad false is accepted', () => {
    expect(createOptimizer({ name: 'adam', form: 'keras', amsgrad: false }).config).toEqual({ name: 'adam', ...KERAS_DEFAULTS.adam });
    expect(createOptimizer({ name: 'rmsprop', form: 'tfjs', learningRate: 0.01 }).config).toEqual({
      name: 'rmsprop',
      ...TFJS_DEFAULTS.rmsprop,
      learningRate: 0.01,
    });
    expect(createOptimizer({ name: 'sgd', form: 'keras' }).config).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
    expect(createOptimizer({ name: 'sgd', form: 'keras' }).precision).toBe('float64');
  });

  test('the defaults differ only in the learning rates tfjs leaves to the caller', () => {
    expect(TFJS_DEFAULTS.adam).toEqual(KERAS_DEFAULTS.adam);
    expect({ ...TFJS_DEFAULTS.sgd, learningRate: 0.01 }).toEqual(KERAS_DEFAULTS.sgd);
    expect({ ...TFJS_DEFAULTS.rmsprop, learningRate: 0.001 }).toEqual(KERAS_DEFAULTS.rmsprop);
  });
});

describe('step', () => {
  const weights = () => [new Float64Array([1, 2, 3]), new Float64Array([4])];

  test.each([
    [[new Float64Array(3)], 'step: expected 2 gradients (one per weight), got 1'],
    [[new Float64Array(3), new Float64Array(2)], "step: gradient 1: expected 1 values (its weight's), got 2"],
    [[new Float64Array(3), new Float32Array(1)], 'step: gradient 1: expected a Float64Array, got Float32Array'],
  ])('bad gradients -> ShapeError %#', (grads, message) => {
    const optimizer = createOptimizer({ name: 'adam', form: 'keras' });
    expect(() => optimizer.step(weights(), grads as Float64Array[])).toThrow(new ShapeError(message));
    expect(optimizer.iterations).toBe(0);
  });

  test('the weights must keep the first step’s count and sizes', () => {
    const optimizer = createOptimizer({ name: 'sgd', form: 'tfjs', learningRate: 0.1, momentum: 0.5 });
    optimizer.step(weights(), [new Float64Array(3), new Float64Array(1)]);
    expect(() => optimizer.step([new Float64Array(3)], [new Float64Array(3)])).toThrow(
      new ShapeError('step: expected 2 weights (as on the first step), got 1'),
    );
    expect(() => optimizer.step([new Float64Array(4), new Float64Array(1)], [new Float64Array(4), new Float64Array(1)])).toThrow(
      new ShapeError('step: weight 0: expected 3 values (as on the first step), got 4'),
    );
    expect(optimizer.iterations).toBe(1);
  });

  test('updates in place: one SGD step is w - lr * g in both forms', () => {
    for (const form of ['keras', 'tfjs'] as const) {
      const w = weights();
      createOptimizer({ name: 'sgd', form, learningRate: 0.5 }).step(w, [new Float64Array([1, -1, 0.5]), new Float64Array([2])]);
      expect(w.map((x) => Array.from(x))).toEqual([[0.5, 2.5, 2.75], [3]]);
    }
  });

  test('float32 precision reads weights and gradients as float32 and keeps results float32', () => {
    const w = [new Float64Array([0.1])];
    createOptimizer({ name: 'sgd', form: 'keras', learningRate: 0.1, precision: 'float32' }).step(w, [new Float64Array([0.3])]);
    const lr = Math.fround(0.1);
    expect(w[0][0]).toBe(Math.fround(Math.fround(0.1) - Math.fround(Math.fround(0.3) * lr)));
  });
});
