/**
 * A check run a chunk at a time reports exactly what one pass over everything reports: every comparison's
 * report field for field (worst element, counts, per-step errors), the float32-floor rule's widened tolerance
 * included. The reference is checkModel in one chunk; the golden models' inputs are tiled to 100 samples so that
 * chunks of 32 and 64 end in a partial one. Inputs and Keras's outputs read from .npy files in chunks give the
 * same report as the arrays in memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel, type ModelCheckResult } from '../../src/graph/check';
import type { GraphModel } from '../../src/graph/model';
import { npySource, PREDICT_BATCH } from '../../src/graph/samples';
import { writeNpyFile } from '../../src/io/npy';
import { openNpyFile } from '../../src/io/npy-stream';
import type { NdArray } from '../../src/tensor';
import { loadGoldenCase } from '../helpers/keras-models';

const SAMPLES = 100;

/** `array`'s samples repeated until there are `samples` of them. */
function tile(array: NdArray, samples: number): NdArray {
  const per = array.data.length / array.shape[0];
  const data = new (array.data.constructor as Float32ArrayConstructor)(samples * per);
  for (let s = 0; s < samples; s++) data.set(array.data.subarray((s % array.shape[0]) * per, ((s % array.shape[0]) + 1) * per), s * per);
  return { shape: [samples, ...array.shape.slice(1)], data };
}

function reportsOf(result: ModelCheckResult) {
  return { comparisons: result.comparisons, widened: result.tolerance.widened, samples: result.samples };
}

const CASES = ['functional-two-inputs', 'text-bidirectional-two-outputs', 'text-masked-prepad-stack', 'seq2seq-lstm', 'clf-lstm-softmax'];

describe.each(CASES)('%s, %i samples', (name) => {
  const golden = loadGoldenCase(name);
  const { model } = readModelFile(golden.modelPaths[0]);
  const inputs = golden.inputs.map((x) => tile(x, SAMPLES));
  const expected = golden.expected.map((y) => tile(y, SAMPLES));

  test('chunks of 32 and 64 report exactly what one chunk does', async () => {
    const run = (chunkSamples: number) => checkModel({ model, backend: 'tensorflow', precision: 'float64', seed: 0, inputs, expected, chunkSamples });
    const whole = await run(4 * PREDICT_BATCH);
    expect(whole.chunks).toEqual({ samples: SAMPLES, count: 1 });
    expect(whole.pass).toBe(true);
    for (const chunk of [32, 64]) {
      const chunked = await run(chunk);
      expect(chunked.chunks).toEqual({ samples: chunk, count: Math.ceil(SAMPLES / chunk) });
      expect(reportsOf(chunked)).toEqual(reportsOf(whole));
    }
  });
});

test('the float32-floor rule widens the same atol whether the floor is measured in one chunk or four', async () => {
  // Outputs far from unit scale (the last Dense scaled by 1e4): float32 is ~1e-4 off, far over the default atol.
  const golden = loadGoldenCase('stack-mixed-widths');
  const read = readModelFile(golden.modelPaths[0]).model;
  const last = read.layers[read.layers.length - 1];
  const scaled: GraphModel = {
    ...read,
    layers: [...read.layers.slice(0, -1), { ...last, weights: last.weights.map((w) => ({ ...w, data: w.data.map((v) => v * 1e4) })) }],
  };
  const inputs = golden.inputs.map((x) => tile(x, SAMPLES));
  const run = (chunkSamples: number) => checkModel({ model: scaled, backend: 'tensorflow', precision: 'float64', seed: 0, inputs, chunkSamples });
  const whole = await run(128);
  expect(whole.tolerance.widened).toHaveLength(1);
  expect(reportsOf(await run(32))).toEqual(reportsOf(whole));
});

test('inputs and expected outputs read from .npy files in chunks = the same arrays in memory', async () => {
  const golden = loadGoldenCase('functional-two-inputs');
  const { model } = readModelFile(golden.modelPaths[0]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-stream-'));
  try {
    const inputs = golden.inputs.map((x) => tile(x, SAMPLES));
    const expected = golden.expected.map((y) => tile(y, SAMPLES));
    const files = (prefix: string, arrays: NdArray[]) =>
      arrays.map((array, i) => {
        const file = path.join(dir, `${prefix}-${i}.npy`);
        writeNpyFile(file, array, 'float32');
        return npySource(openNpyFile(file));
      });
    const fromFiles = await checkModel({
      model,
      backend: 'cpu',
      precision: 'float64',
      seed: 0,
      inputSources: files('input', inputs),
      expectedSources: files('expected', expected),
      chunkSamples: 32,
    });
    const inMemory = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs, expected, chunkSamples: 128 });
    expect(reportsOf(fromFiles)).toEqual(reportsOf(inMemory));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('seeded inputs drawn chunk by chunk are the seeded arrays (same report at every chunk size)', async () => {
  const golden = loadGoldenCase('clf-lstm-softmax');
  const { model } = readModelFile(golden.modelPaths[0]);
  const run = (chunkSamples: number) => checkModel({ model, backend: 'cpu', precision: 'float64', seed: 5, batch: 70, chunkSamples });
  const whole = await run(96);
  expect(whole.inputs[0].shape).toEqual([70, 28, 28]);
  expect(reportsOf(await run(32))).toEqual(reportsOf(whole));
});

test('a chunk size that would change the layer path batches is refused, naming the value', async () => {
  const { model } = readModelFile(loadGoldenCase('clf-lstm-softmax').modelPaths[0]);
  await expect(checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, chunkSamples: 50 })).rejects.toThrow(
    "--chunk-size: expected a positive multiple of 32 (tfjs predict's batch, so that chunks change no batch of the layer path), got 50",
  );
});
