/**
 * The checks every elementwise merge kind shares (Add, Subtract, Multiply, Average, Maximum, Minimum): a real
 * Keras 3 config reads without blockers, unknown keys are blockers, the shape rule (one shape for all inputs,
 * unknown sizes match), the hand forward on hand-worked numbers in both precisions, and tfjs's layer against
 * the hand path on the cpu backend, bit for bit against the float32 hand path (one rounding per operation).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../../src/errors';
import { arithmeticFor } from '../../src/hand/precision';
import type { AnyLayerKind } from '../../src/layers/kind';
import { kindForClass } from '../../src/layers/registry';
import { ndArray } from '../helpers/nd-array';
import { readWith } from './inference-identity-cases';
import { handForward, KERAS_DTYPE, seeded, tfjsForward } from './layer-kind-cases';

/** a, b, c of every merge test: [1, 3] each. */
export const A = ndArray([1, 3], [1, -2, 3]);
export const B = ndArray([1, 3], [4, 5, -6]);
export const C = ndArray([1, 3], [0.5, 0.5, 0.5]);

interface MergeCase {
  readonly kind: AnyLayerKind;
  /** Keras's default layer name (models/keras-models/functional-merges names them so). */
  readonly name: string;
  /** How many inputs it takes at most (Subtract: 2). */
  readonly maxInputs: number;
  /** [inputs, float64 result, float32 result] on A, B, C. */
  readonly worked: readonly (readonly [string, readonly (typeof A)[], readonly number[], readonly number[]])[];
}

export function describeMerge(c: MergeCase): void {
  const { kind } = c;
  // models/keras-models/functional-merges/model.keras, config.json (Keras 3.15.1): merge layers carry only
  // name, trainable and dtype
  const kerasConfig = { name: c.name, trainable: true, dtype: KERAS_DTYPE };

  describe(`${kind.kerasClass} (${kind.kind})`, () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    test('is registered under its class name for both sources', () => {
      expect(kindForClass(kind.kerasClass, 'keras')).toBe(kind);
      expect(kindForClass(kind.kerasClass, 'tfjs')).toBe(kind);
    });

    test('reads a real Keras 3 config (no options of its own); anything else is a blocker', () => {
      expect(readWith(kind, kerasConfig)).toEqual({ config: {}, blockers: [] });
      expect(readWith(kind, { ...kerasConfig, axis: -1, dtype: 'float16' }).blockers.map((b) => b.option)).toEqual(['dtype', 'axis']);
    });

    test('outputShape: every input one shape (unknown sizes match); others are ShapeErrors', () => {
      expect(
        kind.outputShape({}, [
          [null, 10, 4],
          [null, null, 4],
        ]),
      ).toEqual([null, 10, 4]);
      expect(
        kind.weightShapes({}, [
          [null, 4],
          [null, 4],
        ]),
      ).toEqual([]);
      expect(() =>
        kind.outputShape({}, [
          [null, 10, 4],
          [null, 10, 3],
        ]),
      ).toThrow(new ShapeError(`${kind.kerasClass}: expected inputs of one shape (broadcasting is not checked), got [None, 10, 4] and [None, 10, 3]`));
      expect(() =>
        kind.outputShape({}, [
          [null, 10, 4],
          [null, 10, 1],
        ]),
      ).toThrow(ShapeError);
      expect(() => kind.outputShape({}, [[null, 4]])).toThrow(ShapeError);
      if (c.maxInputs === 2)
        expect(() =>
          kind.outputShape({}, [
            [null, 4],
            [null, 4],
            [null, 4],
          ]),
        ).toThrow(/expected 2 inputs, got 3/);
      else
        expect(
          kind.outputShape({}, [
            [null, 4],
            [null, 4],
            [null, 4],
          ]),
        ).toEqual([null, 4]);
    });

    test.each(c.worked)('hand forward of %s on a = [1, -2, 3], b = [4, 5, -6], c = [0.5, 0.5, 0.5]', (_what, inputs, float64, float32) => {
      expect(Array.from(handForward(kind, {}, [], inputs, 'float64').data)).toEqual(float64);
      const y32 = handForward(kind, {}, [], inputs, 'float32');
      expect(y32.shape).toEqual([1, 3]);
      expect(Array.from(y32.data)).toEqual(float32);
    });

    test('a masked input is refused (Keras merges masks; not checked yet)', () => {
      const arith = arithmeticFor('float64');
      const masked = { shape: [1, 1, 3], data: Float64Array.of(1, 2, 3), mask: Uint8Array.of(1) };
      const plain = { shape: [1, 1, 3], data: Float64Array.of(4, 5, 6) };
      expect(() => kind.forward({}, [], [plain, masked], arith)).toThrow(ConfigError);
      expect(() => kind.forward({}, [], [plain, masked], arith)).toThrow(`${kind.kerasClass}: expected inputs without a padding mask`);
    });

    test.each(c.maxInputs === 2 ? [2] : [2, 3])("tfjs's layer (cpu) on %i inputs [2, 5, 4] equals the float32 hand path bit for bit", (count) => {
      const inputs = Array.from({ length: count }, (_, i) => ndArray([2, 5, 4], seeded(40, 20 + i)));
      const layer = tfjsForward(kind, {}, [], inputs);
      const hand = handForward(kind, {}, [], inputs, 'float32');
      expect(layer).toEqual({ shape: hand.shape, data: Float32Array.from(hand.data) });
    });
  });
}
