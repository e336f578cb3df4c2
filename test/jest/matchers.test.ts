/**
 * The jest matchers as a user would use them (expect.extend), on tfjs models of golden Keras models: the model's
 * own predict against the hand path and against Keras's output (the golden .npy, made by real Keras 3). A model
 * whose predict is off at one element fails, and the message names that element's output, sample, step and unit.
 */
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import type * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { buildTfjsModel } from '../../src/graph/tfjs-model';
import { parityMatchers } from '../../src/jest';
import { loadGoldenCase } from '../helpers/keras-models';

expect.extend(parityMatchers);

beforeAll(async () => {
  await selectBackend('cpu');
});

function goldenModel(name: string) {
  const golden = loadGoldenCase(name);
  return { golden, model: buildTfjsModel(readModelFile(golden.modelPaths[0]).model) };
}

/** `model` with its predict moved by `delta` at flat element `at` of output 0. */
function offByOne(model: tf.LayersModel, at: number, delta: number): tf.LayersModel {
  return new Proxy(model, {
    get(target, key, receiver) {
      if (key !== 'predict') return Reflect.get(target, key, receiver);
      return (x: tf.Tensor) => {
        const y = target.predict(x) as tf.Tensor;
        const values = Float32Array.from(y.dataSync());
        values[at] += delta;
        const shape = y.shape;
        y.dispose();
        return tfjs.tensor(values, shape);
      };
    },
  });
}

test('a classifier: its predict matches the hand path and Keras', async () => {
  const { golden, model } = goldenModel('clf-lstm-softmax');
  try {
    await expect(model).toMatchHandPath({ input: golden.inputs[0] });
    await expect(model).toMatchKeras(path.join(golden.dir, 'expected.npy'), { input: golden.inputs[0] });
  } finally {
    model.dispose();
  }
});

test('a sequence output off by 1e-3 at one element fails, naming sample, step and unit', async () => {
  const { golden, model } = goldenModel('lstm-autoencoder');
  try {
    // Output [4, 8, 3]: flat element 1*24 + 5*3 + 2 is (sample 1, step 5, unit 2).
    const broken = offByOne(model, 1 * 24 + 5 * 3 + 2, 1e-3);
    const result = await parityMatchers.toMatchHandPath(broken, { input: golden.inputs[0] });
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(
      /^expect\(model\)\.toMatchHandPath: 1 of 1 comparisons over tolerance \(\d+ layers\):\n {2}output "[^"]+" \(sample 1, step 5, unit 2\): tfjs /,
    );
    expect(result.message()).toMatch(/\|diff\| 1\.00e-3; 1 of 96 over atol/);
    await expect(broken).not.toMatchHandPath({ input: golden.inputs[0] });
    await expect(model).toMatchKeras(golden.expected[0], { input: golden.inputs[0] });
    const keras = await parityMatchers.toMatchKeras(broken, golden.expected[0], { input: golden.inputs[0] });
    expect(keras.pass).toBe(false);
    expect(keras.message()).toContain('(sample 1, step 5, unit 2): tfjs');
  } finally {
    model.dispose();
  }
});

test('a value that is not a model, or no input, is a clear error', async () => {
  await expect(parityMatchers.toMatchHandPath({}, { input: { shape: [1], data: new Float32Array(1) } })).rejects.toThrow(
    'toMatchHandPath: expected a tfjs LayersModel, got object',
  );
  const { model } = goldenModel('clf-lstm-softmax');
  try {
    await expect(parityMatchers.toMatchHandPath(model, undefined as never)).rejects.toThrow('toMatchHandPath: expected { input }, got no input');
    await expect(parityMatchers.toMatchKeras(model, [], { input: loadGoldenCase('clf-lstm-softmax').inputs[0] })).rejects.toThrow(
      'toMatchKeras: expected 1 Keras outputs (dense), got 0',
    );
  } finally {
    model.dispose();
  }
});
