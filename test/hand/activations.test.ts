/**
 * The scalar activations at hand-checked points. The two hard sigmoids are told apart where they differ.
 */
import { ConfigError } from '../../src/errors';
import { activationFunction, hardSigmoidKeras, hardSigmoidTfjs, linear, recurrentActivationFunction, relu, sigmoid, tanh } from '../../src/hand/activations';
import type { RecurrentActivation } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';

describe('activations', () => {
  test('sigmoid = 1 / (1 + exp(-x))', () => {
    // sigmoid(0) = 1 / (1 + 1) = 0.5
    expect(sigmoid(0)).toBe(0.5);
    // sigmoid(2) = 1 / (1 + exp(-2)) = 1 / 1.1353352832366128 = 0.8807970779778823
    expect(sigmoid(2)).toBe(0.8807970779778823);
    // sigmoid(-2) = 1 - sigmoid(2) = 0.11920292202211755 (to the last bit here)
    expect(sigmoid(-2)).toBe(0.11920292202211755);
    // saturates without NaN: exp(1000) = Infinity, 1 / Infinity = 0
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });

  test('tanh, relu, linear', () => {
    // tanh(0.5) = 0.46211715726000974
    expect(tanh(0.5)).toBe(0.46211715726000974);
    expect(relu(-0.25)).toBe(0);
    expect(relu(0.25)).toBe(0.25);
    expect(relu(NaN)).toBeNaN();
    expect(linear(-3.5)).toBe(-3.5);
  });

  test('Keras 3 hard_sigmoid = relu6(x + 3) / 6', () => {
    expect(hardSigmoidKeras(0)).toBe(0.5); // 3/6
    expect(hardSigmoidKeras(-0.5)).toBe(2.5 / 6); // (−0.5 + 3)/6 = 0.4166666666666667
    expect(hardSigmoidKeras(-1)).toBe(2 / 6);
    expect(hardSigmoidKeras(2.5)).toBe(5.5 / 6); // not yet saturated (tfjs's is)
    expect(hardSigmoidKeras(3)).toBe(1);
    expect(hardSigmoidKeras(-3)).toBe(0);
    expect(hardSigmoidKeras(-10)).toBe(0);
    expect(hardSigmoidKeras(NaN)).toBeNaN();
  });

  test('tfjs hardSigmoid = clip(0.2x + 0.5, 0, 1)', () => {
    expect(hardSigmoidTfjs(0)).toBe(0.5);
    // 0.2*0.5 + 0.5 = 0.6
    expect(hardSigmoidTfjs(0.5)).toBe(0.6);
    // 0.2*(-1) + 0.5 = 0.3
    expect(hardSigmoidTfjs(-1)).toBe(0.3);
    // 0.2*2.5 + 0.5 = 1: saturated at 2.5, where Keras 3's gives 5.5/6
    expect(hardSigmoidTfjs(2.5)).toBe(1);
    expect(hardSigmoidTfjs(-2.5)).toBe(0);
    expect(hardSigmoidTfjs(NaN)).toBeNaN();
  });

  test('the two hard sigmoids differ by 1/12 = 0.0833 at x = 2.5', () => {
    // 1 - 5.5/6 = 0.5/6 = 1/12
    expectClose([hardSigmoidTfjs(2.5) - hardSigmoidKeras(2.5)], [1 / 12], { atol: 1e-15, rtol: 0 });
  });

  test('names map to functions', () => {
    expect(activationFunction('tanh')).toBe(tanh);
    expect(activationFunction('relu')).toBe(relu);
    expect(activationFunction('sigmoid')).toBe(sigmoid);
    expect(activationFunction('linear')).toBe(linear);
    expect(recurrentActivationFunction('sigmoid')).toBe(sigmoid);
    expect(recurrentActivationFunction('hard_sigmoid')).toBe(hardSigmoidKeras);
    expect(recurrentActivationFunction('hard_sigmoid_tfjs')).toBe(hardSigmoidTfjs);
  });

  test('an unknown recurrentActivation is a ConfigError naming it', () => {
    const call = () => recurrentActivationFunction('hardSigmoid' as RecurrentActivation);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow('recurrentActivation: expected one of sigmoid, hard_sigmoid, hard_sigmoid_tfjs, got "hardSigmoid"');
  });
});
