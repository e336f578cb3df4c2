/**
 * Helpers the layer-kind tests share (conv1d, the poolings, the normalizations, repeat-vector, the merges):
 * a Keras 3.15 layer config as models/keras-models/ holds it, seeded inputs and weights, the hand forward in
 * either precision, and the kind's tfjs layer run in a one-layer tf.model on the active backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../../src/graph/model';
import type { AnyLayerKind } from '../../src/layers/kind';
import { arithmeticFor, type Precision } from '../../src/hand/precision';
import { NumpyRandomState } from '../../src/data/numpy-random';
import type { NdArray } from '../../src/tensor';

/** Keras 3's dtype entry, as every layer config of the goldens carries it. */
export const KERAS_DTYPE = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** A Keras initializer entry (training only: the readers ignore it). */
export function kerasInitializer(className: string): Record<string, unknown> {
  return { module: 'keras.initializers', class_name: className, config: {}, registered_name: null };
}

/** `count` float32 values uniform in [-1, 1) + offset, from NumPy's seeded stream. */
export function seeded(count: number, seed: number, offset = 0): Float32Array {
  const random = new NumpyRandomState(seed);
  return Float32Array.from({ length: count }, () => 2 * random.randomSample() - 1 + offset);
}

/** The hand forward: `weights` and `inputs` as float32 (as files hold them), in the given precision. */
export function handForward(
  kind: AnyLayerKind,
  config: unknown,
  weights: readonly Float32Array[],
  inputs: readonly NdArray[],
  precision: Precision = 'float64',
): NdArray {
  const arith = arithmeticFor(precision);
  const out = kind.forward(
    config,
    weights,
    inputs.map((x) => ({ shape: x.shape, data: arith.load(x.data) })),
    arith,
  );
  return { shape: out.shape, data: out.data };
}

/**
 * The kind's tfjs layer alone in a tf.model (inputs [null, ...shape.slice(1)]), holding `weights`, predicting
 * on `inputs` with the active backend. Checks that the symbolic output shape is the kind's outputShape and
 * that nothing leaks.
 */
export function tfjsForward(
  kind: AnyLayerKind,
  config: unknown,
  weights: readonly { shape: readonly number[]; data: Float32Array }[],
  inputs: readonly NdArray[],
): NdArray {
  const before = tf.memory().numTensors;
  const symbolic = inputs.map((x) => tf.input({ batchShape: [null, ...x.shape.slice(1)] }));
  const layer = kind.tfjsLayer(config, 'under_test');
  const output = layer.apply(symbolic.length === 1 ? symbolic[0] : symbolic) as tf.SymbolicTensor;
  const expectedShape: Shape = kind.outputShape(
    config,
    symbolic.map((s) => s.shape),
  );
  expect(output.shape).toEqual(expectedShape);
  const model = tf.model({ inputs: symbolic, outputs: output });
  // What the layer path holds, as buildTfjsModel gives it (tfjsWeights, where tfjs holds more than Keras).
  const named = weights.map((w, k) => ({ name: `weight_${k}`, shape: w.shape, data: w.data }));
  const held = kind.tfjsWeights
    ? kind.tfjsWeights(
        config,
        named,
        symbolic.map((s) => s.shape),
      )
    : named;
  const values = held.map((w: { shape: readonly number[]; data: Float32Array }) => tf.tensor(w.data, w.shape.slice()));
  layer.setWeights(values);
  values.forEach((v) => v.dispose());
  const result = tf.tidy(() => {
    const xs = inputs.map((x) => tf.tensor(Float32Array.from(x.data), x.shape.slice()));
    const y = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
    return { shape: y.shape.slice(), data: Float32Array.from(y.dataSync()) };
  });
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** max |a - b| over two arrays of one length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
