/**
 * The checks every inference-identity kind shares (Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout,
 * AlphaDropout): a real Keras 3 config reads without blockers, bad options are all listed, the shape passes
 * through, the hand forward returns its input, and tfjs's layer is the identity at predict.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../src/errors';
import type { Shape } from '../../src/graph/model';
import type { AnyLayerKind } from '../../src/layers/kind';
import { type Blocker, ReadContext } from '../../src/layers/read-context';
import { kindForClass } from '../../src/layers/registry';
import { arithmeticFor } from '../../src/hand/precision';

interface IdentityCase {
  readonly kind: AnyLayerKind;
  /** A layer config exactly as Keras 3.15 wrote it (models/keras-models/<case>/model.keras config.json). */
  readonly kerasConfig: Record<string, unknown>;
  /** What readConfig returns for it. */
  readonly expected: Record<string, unknown>;
  /** The key of its fraction (rate or stddev). */
  readonly fractionKey: string;
  /** An input shape it accepts, batch first. */
  readonly shape: Shape;
}

export function readWith(kind: AnyLayerKind, raw: Record<string, unknown>, source: 'keras' | 'tfjs' = 'keras'): { config: unknown; blockers: Blocker[] } {
  const blockers: Blocker[] = [];
  const config: unknown = kind.readConfig(raw, new ReadContext(source, `layer 1 "x" (${kind.kerasClass})`, blockers));
  return { config, blockers };
}

export function describeInferenceIdentity(c: IdentityCase): void {
  const { kind } = c;

  describe(`${kind.kerasClass} (${kind.kind}): identity at inference`, () => {
    test('is registered under its Keras and tfjs class names', () => {
      expect(kindForClass(kind.kerasClass, 'keras')).toBe(kind);
      expect(kindForClass(kind.kerasClass, 'tfjs')).toBe(kind);
    });

    test('reads a real Keras 3 config without blockers', () => {
      const { config, blockers } = readWith(kind, c.kerasConfig);
      expect(blockers).toEqual([]);
      expect(config).toEqual(c.expected);
    });

    test('lists every bad option, not only the first', () => {
      const raw = { ...c.kerasConfig, [c.fractionKey]: 1.5, seed: 'abc', dtype: 'float64', colour: 'red' };
      const { blockers } = readWith(kind, raw);
      expect(blockers.map((b) => b.option).sort()).toEqual([c.fractionKey, 'colour', 'dtype', 'seed'].sort());
      expect(blockers.find((b) => b.option === c.fractionKey)?.reason).toBe('expected a number from 0 to 1');
      const missing = { ...c.kerasConfig };
      delete missing[c.fractionKey];
      expect(readWith(kind, missing).blockers.map((b) => b.option)).toEqual([c.fractionKey]);
    });

    test('outputShape is the input shape; two inputs are a ShapeError', () => {
      expect(kind.outputShape(c.expected, [c.shape])).toEqual(c.shape);
      expect(() => kind.outputShape(c.expected, [c.shape, c.shape])).toThrow(ShapeError);
      expect(kind.weightShapes(c.expected, [c.shape])).toEqual([]);
      expect(kind.reductionSize(c.expected, [c.shape])).toBe(0);
    });

    test('the hand forward returns its input unchanged', () => {
      // [1, 2, 3]: x = 1..6 -> y = 1..6, same shape
      const input = { shape: [1, 2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
      const y = kind.forward(c.expected, [], [input], arithmeticFor('float64'));
      expect(y.shape).toEqual([1, 2, 3]);
      expect(Array.from(y.data)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    test('its parity note says both paths skip it', () => {
      const notes = kind.parityNotes?.(c.expected) ?? [];
      expect(notes).toHaveLength(1);
      expect(notes[0].text).toMatch(/identity at inference in Keras and tfjs; both paths skip it/);
    });

    test("tfjs's layer (cpu) is the identity at predict", async () => {
      await tf.setBackend('cpu');
      const before = tf.memory().numTensors;
      const dims = c.shape.slice(1) as number[];
      const input = tf.input({ shape: dims });
      const layer = kind.tfjsLayer(c.expected, 'under_test');
      expect(layer.getClassName()).toBe(kind.tfjsClasses[0]);
      const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      const size = dims.reduce((a, b) => a * b, 2);
      const x = tf.tensor(
        Array.from({ length: size }, (_, i) => i / 7 - 1),
        [2, ...dims],
      );
      const y = model.predict(x) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
