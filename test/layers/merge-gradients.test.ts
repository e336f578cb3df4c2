/**
 * The hand backward of the merge kinds (Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum)
 * against central finite differences of their own hand forward (test/helpers/kind-gradients.ts), in float64,
 * with 2 and 3 inputs; the tie rules of Maximum and Minimum as measured in TF 2.21 and tfjs 4.22; the float32
 * mode against float64; masked inputs refused as the forward refuses them; and the checker catching a wrong
 * gradient. Loads no tfjs.
 */
import { ConfigError } from '../../src/errors';
import { add } from '../../src/layers/add';
import { average } from '../../src/layers/average';
import { concatenate, type ConcatenateConfig } from '../../src/layers/concatenate';
import type { AnyLayerKind, HandTensor } from '../../src/layers/kind';
import { maximum } from '../../src/layers/maximum';
import { minimum } from '../../src/layers/minimum';
import { multiply } from '../../src/layers/multiply';
import { subtract } from '../../src/layers/subtract';
import { kindGradientMismatches, type KindGradientCase } from '../helpers/kind-gradients';
import { float32Error, inputGradients, seededTensor } from './gradient-cases';

const ELEMENTWISE: readonly (readonly [string, AnyLayerKind, number])[] = [
  ['Add', add, 3],
  ['Subtract', subtract, 2],
  ['Multiply', multiply, 3],
  ['Average', average, 3],
  ['Maximum', maximum, 3],
  ['Minimum', minimum, 3],
];

/** Every elementwise kind with 2 inputs, and with 3 where it takes them. */
const ELEMENTWISE_CASES = ELEMENTWISE.flatMap(([name, kind, maxInputs]) =>
  [2, 3].filter((n) => n <= maxInputs).map((n) => [`${name}, ${n} inputs`, kind, n] as const),
);

function elementwiseCase(kind: AnyLayerKind, count: number, shape: readonly number[], seed: number): KindGradientCase {
  return { kind, config: {}, weights: [], inputs: Array.from({ length: count }, (_, i) => seededTensor(shape, seed + i)) };
}

/** [name, config, input shapes]: every axis but the batch, written negative and positive, 2 and 3 inputs. */
const CONCAT_CASES: readonly (readonly [string, ConcatenateConfig, readonly (readonly number[])[]])[] = [
  [
    'axis -1, 2 inputs',
    { axis: -1 },
    [
      [2, 3, 2],
      [2, 3, 4],
    ],
  ],
  [
    'axis -1, 3 inputs of rank 2',
    { axis: -1 },
    [
      [3, 1],
      [3, 2],
      [3, 3],
    ],
  ],
  [
    'axis 1 (time), 3 inputs',
    { axis: 1 },
    [
      [2, 1, 3],
      [2, 4, 3],
      [2, 2, 3],
    ],
  ],
  [
    'axis -2 (time)',
    { axis: -2 },
    [
      [2, 2, 3],
      [2, 3, 3],
    ],
  ],
  [
    'axis 2 of rank 4',
    { axis: 2 },
    [
      [2, 2, 1, 2],
      [2, 2, 3, 2],
    ],
  ],
];

describe('elementwise merges backward', () => {
  test.each(ELEMENTWISE_CASES)('%s: matches finite differences', (_name, kind, count) => {
    expect(kindGradientMismatches(elementwiseCase(kind, count, [2, 3, 4], 11))).toEqual([]);
    expect(kindGradientMismatches(elementwiseCase(kind, count, [3, 5], 21))).toEqual([]);
  });

  test('Maximum and Minimum: a tie goes to the earliest tied input (measured: TF 2.21 and tfjs 4.22 agree)', () => {
    // Keras 3.15.1's Maximum()([a, b, c]) folds tf.maximum left to right; TF's Maximum gradient passes dy to the
    // left operand where left >= right (Minimum: <=), so the earliest of tied inputs takes the whole gradient.
    // Measured under tf.GradientTape (float32 and float64) and with tfjs 4.22's tf.layers.maximum on the cpu
    // backend, dL/dy = [1, 2, 3]: the same gradients as below.
    const tensor = (values: readonly number[]): HandTensor => ({ shape: [1, 3], data: Float64Array.from(values) });
    const [a, b, c] = [tensor([1, 2, 3]), tensor([1, 5, 3]), tensor([1, 2, 3])];
    expect(inputGradients(maximum, {}, [a, b], [1, 2, 3])).toEqual([
      [1, 0, 3],
      [0, 2, 0],
    ]);
    expect(inputGradients(maximum, {}, [a, b, c], [1, 2, 3])).toEqual([
      [1, 0, 3],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    expect(inputGradients(maximum, {}, [b, a, c], [1, 2, 3], 'float32')).toEqual([
      [1, 2, 3],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(inputGradients(minimum, {}, [a, b], [1, 2, 3])).toEqual([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    expect(inputGradients(minimum, {}, [a, tensor([1, 0, 3]), c], [1, 2, 3])).toEqual([
      [1, 0, 3],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    // the later input ties with the fold of the earlier ones: the fold's winner keeps it
    expect(inputGradients(maximum, {}, [tensor([0, 0, 0]), tensor([2, 2, 2]), tensor([2, 1, 3])], [1, 2, 3])).toEqual([
      [0, 0, 0],
      [1, 2, 0],
      [0, 0, 3],
    ]);
  });

  test('Multiply with a zero input: the other inputs get zero, the zero input gets the product of the rest', () => {
    const tensor = (values: readonly number[]): HandTensor => ({ shape: [1, 2], data: Float64Array.from(values) });
    expect(inputGradients(multiply, {}, [tensor([2, 0]), tensor([0, 3]), tensor([5, 7])], [1, 1])).toEqual([
      [0, 21],
      [10, 0],
      [0, 0],
    ]);
  });

  test.each(ELEMENTWISE)('%s refuses a masked input, as its forward', (_name, kind) => {
    const inputs = [seededTensor([1, 2, 3], 31, Uint8Array.of(1, 0)), seededTensor([1, 2, 3], 32)];
    expect(() => inputGradients(kind, {}, inputs, [1, 1, 1, 1, 1, 1])).toThrow(ConfigError);
  });

  test('float32 mode stays within 1e-6 of float64 (relative to the largest gradient)', () => {
    // Measured: Add, Subtract, Minimum 3.2e-8 (dL/dy rounded to float32, then copied: half an ulp of 2^-24);
    // Maximum 3.2e-8 to 3.6e-8; Average 3.2e-8 to 6.1e-8 (one division); Multiply 4.3e-8 to 7.2e-8 (up to two
    // rounded products back through the fold). 1e-6 is 16 ulps and still fails a float32 path that drops a
    // factor (an error of order 1).
    for (const [, kind, count] of ELEMENTWISE_CASES) expect(float32Error(elementwiseCase(kind, count, [2, 3, 4], 41))).toBeLessThan(1e-6);
  });

  test('the checker catches a deliberately wrong gradient (Multiply of 3 without the third factor)', () => {
    const c = elementwiseCase(multiply, 3, [1, 2], 51);
    const wrong: AnyLayerKind = {
      ...multiply,
      backward: (_config, _weights, inputs, [dy]) => {
        const [x0, x1] = inputs.map((x) => x.data);
        return { inputs: [dy.map((g, i) => g * x1[i]), dy.map((g, i) => g * x0[i]), dy.map((g, i) => g * x0[i] * x1[i])], weights: [] };
      },
    };
    expect(
      kindGradientMismatches({ ...c, kind: wrong })
        .map((m) => m.what)
        .sort(),
    ).toEqual(['input 0', 'input 0', 'input 1', 'input 1']);
  });
});

describe('Concatenate backward', () => {
  test.each(CONCAT_CASES)('%s: matches finite differences', (_name, config, shapes) => {
    const c: KindGradientCase = { kind: concatenate, config, weights: [], inputs: shapes.map((shape, i) => seededTensor(shape, 61 + i)) };
    expect(kindGradientMismatches(c)).toEqual([]);
  });

  test('float32 mode: dL/dy rounded to float32 and cut into chunks, nothing else (within 1e-6)', () => {
    // Measured: 3.2e-8 (half an ulp of 2^-24: the rounding of dL/dy).
    const c: KindGradientCase = {
      kind: concatenate,
      config: { axis: 1 },
      weights: [],
      inputs: CONCAT_CASES[2][2].map((shape, i) => seededTensor(shape, 71 + i)),
    };
    expect(float32Error(c)).toBeLessThan(1e-6);
  });

  test('refuses a masked input, as its forward', () => {
    const inputs = [seededTensor([1, 2, 3], 81, Uint8Array.of(1, 0)), seededTensor([1, 2, 1], 82)];
    expect(() => inputGradients(concatenate, { axis: -1 }, inputs, [1, 1, 1, 1, 1, 1, 1, 1])).toThrow(ConfigError);
  });
});
