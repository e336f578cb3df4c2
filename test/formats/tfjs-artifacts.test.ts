/**
 * tfjs layers-model artifacts from disk, read without tf.loadLayersModel: written by tfjs itself
 * (model.save through a save handler that writes what tfjs-node's file:// handler writes), by
 * saveModelArtifacts, split into several shards, and by tensorflowjs_converter (the golden folders).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { FileFormatError, ShapeError } from '../../src/errors';
import { readModelFile } from '../../src/formats/read-model';
import { readTfjsArtifacts } from '../../src/formats/tfjs-artifacts';
import { saveModelArtifacts } from '../../src/io/model-artifacts';
import type { NdArray } from '../../src/tensor';
import { expectForwardMatches, expectSameBits, fixtureExpected, fixtureInputs, GOLDEN_DIR, layerSummary, measured, printMeasured } from './helpers';

printMeasured('tfjs artifacts');

let tmp: string;
beforeAll(async () => {
  await selectBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-tfjs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// unitForgetBias is given: tfjs serializes an unset one as unit_forget_bias: null, which the LSTM kind
// refuses today (src/layers/lstm reads it as a boolean; tfjs itself treats null as false).
function stackModel(): tf.LayersModel {
  const model = tf.sequential({ name: 'stack' });
  model.add(tf.layers.lstm({ name: 'lstm_a', units: 5, returnSequences: true, unitForgetBias: true, inputShape: [6, 3] }));
  model.add(tf.layers.simpleRNN({ name: 'rnn_b', units: 4, returnSequences: true }));
  model.add(tf.layers.gru({ name: 'gru_c', units: 3 }));
  model.add(tf.layers.dense({ name: 'head', units: 2, activation: 'softmax' }));
  return model;
}

function twoOutputModel(): tf.LayersModel {
  const input = tf.input({ shape: [5, 3], name: 'seq_in' });
  const embed = tf.layers.dense({ name: 'embed', units: 4, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
  const cls = tf.layers
    .dense({ name: 'cls', units: 2, activation: 'softmax' })
    .apply(tf.layers.lstm({ name: 'lstm', units: 4, unitForgetBias: false }).apply(embed) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const seq = tf.layers
    .dense({ name: 'seq', units: 1 })
    .apply(tf.layers.gru({ name: 'gru', units: 3, returnSequences: true }).apply(embed) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ name: 'two_out', inputs: input, outputs: [cls, seq] });
}

/** tfjs's own serialization (model.save), written as tfjs-node's file:// handler writes it. */
async function saveWithTfjs(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData as ArrayBuffer | ArrayBuffer[];
      const bytes = Buffer.concat((Array.isArray(data) ? data : [data]).map((b) => Buffer.from(b)));
      fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

function input(shape: number[], seed: number): NdArray {
  let s = seed;
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
  return { shape, data };
}

function predict(model: tf.LayersModel, x: NdArray): NdArray[] {
  const out = model.predict(tf.tensor(x.data, x.shape as number[])) as tf.Tensor | tf.Tensor[];
  return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape.slice() as number[], data: Float32Array.from(t.dataSync()) }));
}

function expectWeightsOf(model: tf.LayersModel, read: ReturnType<typeof readModelFile>): void {
  for (const layer of read.model.layers) {
    const stored = model.getLayer(layer.name).getWeights();
    expect(layer.weights).toHaveLength(stored.length);
    layer.weights.forEach((w, k) => {
      expect(w.shape).toEqual(stored[k].shape);
      expectSameBits(w.data, stored[k].dataSync(), `${layer.name} ${w.name}`);
    });
  }
}

/** Rewrites model.json in `dir` through `edit`. */
function editJson(dir: string, edit: (json: any) => void): void {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

describe('a Sequential stack saved by tfjs', () => {
  const model = stackModel();
  const x = input([3, 6, 3], 7);
  let dir: string;
  beforeAll(async () => {
    dir = path.join(tmp, 'stack');
    await saveWithTfjs(model, dir);
  });

  test('reads as the model: layers, kinds, inbound, outputs; weights bit for bit; forward matches predict', () => {
    const read = readTfjsArtifacts(dir);
    expect(read.format).toBe('tfjs');
    expect(read.writer).toMatch(/^TensorFlow\.js tfjs-layers v4\.22\.0$/);
    expect(read.model.topology).toBe('Sequential');
    expect(read.model.inputs).toEqual([{ name: expect.any(String), shape: [null, 6, 3] }]);
    expect(layerSummary(read.model)).toEqual([
      ['lstm_a', 'lstm', [read.model.inputs[0].name]],
      ['rnn_b', 'simple-rnn', ['lstm_a']],
      ['gru_c', 'gru', ['rnn_b']],
      ['head', 'dense', ['gru_c']],
    ]);
    expect(read.model.outputs).toEqual(['head']);
    expectWeightsOf(model, read);
    measured['tfjs stack'] = expectForwardMatches(read.model, [x], predict(model, x));
  });

  test('the model.json path and readModelFile (folder or file) read the same', () => {
    const byFolder = readTfjsArtifacts(dir).model;
    expect(readTfjsArtifacts(path.join(dir, 'model.json')).model).toEqual(byFolder);
    expect(readModelFile(dir).model).toEqual(byFolder);
    expect(readModelFile(path.join(dir, 'model.json')).model).toEqual(byFolder);
  });

  test('several shards, split mid-weight, concatenated in manifest order', () => {
    const split = copyDir(dir, path.join(tmp, 'stack-shards'));
    const bytes = fs.readFileSync(path.join(split, 'weights.bin'));
    const cut = 4 * 37 + 2; // inside lstm_a's kernel, and not on a float boundary
    fs.writeFileSync(path.join(split, 'group1-shard1of3.bin'), bytes.subarray(0, cut));
    fs.writeFileSync(path.join(split, 'group1-shard2of3.bin'), bytes.subarray(cut, 1000));
    fs.writeFileSync(path.join(split, 'group1-shard3of3.bin'), bytes.subarray(1000));
    fs.rmSync(path.join(split, 'weights.bin'));
    editJson(split, (json) => {
      json.weightsManifest[0].paths = ['group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin'];
    });
    const read = readTfjsArtifacts(split);
    expect(read.model).toEqual(readTfjsArtifacts(dir).model);
    expectWeightsOf(model, read);
  });

  test('several manifest groups, each with its own shard', () => {
    const grouped = copyDir(dir, path.join(tmp, 'stack-groups'));
    const bytes = fs.readFileSync(path.join(grouped, 'weights.bin'));
    let offset = 0;
    editJson(grouped, (json) => {
      const weights = json.weightsManifest[0].weights as { name: string; shape: number[] }[];
      json.weightsManifest = weights.map((w, k) => {
        const size = 4 * w.shape.reduce((a, b) => a * b, 1);
        fs.writeFileSync(path.join(grouped, `g${k}.bin`), bytes.subarray(offset, offset + size));
        offset += size;
        return { paths: [`g${k}.bin`], weights: [w] };
      });
    });
    expectWeightsOf(model, readTfjsArtifacts(grouped));
  });
});

test('a Functional model with two outputs, saved by tfjs', async () => {
  const model = twoOutputModel();
  const dir = path.join(tmp, 'two-out');
  await saveWithTfjs(model, dir);
  const read = readModelFile(dir);
  expect(read.model.topology).toBe('Functional');
  expect(read.model.inputs).toEqual([{ name: 'seq_in', shape: [null, 5, 3] }]);
  expect(layerSummary(read.model)).toEqual([
    ['embed', 'dense', ['seq_in']],
    ['lstm', 'lstm', ['embed']],
    ['gru', 'gru', ['embed']],
    ['cls', 'dense', ['lstm']],
    ['seq', 'dense', ['gru']],
  ]);
  expect(read.model.outputs).toEqual(['cls', 'seq']);
  expectWeightsOf(model, read);
  const x = input([2, 5, 3], 11);
  measured['tfjs two outputs'] = expectForwardMatches(read.model, [x], predict(model, x));
});

test('saveModelArtifacts output reads the same as tfjs model.save output', async () => {
  const model = twoOutputModel();
  const a = path.join(tmp, 'by-tfjs');
  const b = path.join(tmp, 'by-save-artifacts');
  await saveWithTfjs(model, a);
  await saveModelArtifacts(model, b, { generatedBy: 'rnn-parity test' });
  expect(readTfjsArtifacts(b).model).toEqual(readTfjsArtifacts(a).model);
});

describe('bad artifacts: a typed one-line error naming the file and the weight', () => {
  let base: string;
  let n = 0;
  beforeAll(async () => {
    base = path.join(tmp, 'bad-base');
    await saveWithTfjs(stackModel(), base);
  });
  /** A fresh copy of the good folder, edited. */
  function variant(edit: (dir: string) => void): string {
    const dir = copyDir(base, path.join(tmp, `bad-${n++}`));
    edit(dir);
    return dir;
  }
  function errorOf(dir: string): Error {
    try {
      readTfjsArtifacts(dir);
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1);
      return error as Error;
    }
    throw new Error('expected an error');
  }
  const weights = (json: any) => json.weightsManifest[0].weights as { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
  const bin = (dir: string) => path.join(dir, 'weights.bin');

  test.each([
    [
      '../ in a path',
      '../weights.bin',
      /model\.json: weightsManifest\[0\]\.paths\[0\]: expected a weight file inside .* \(a relative path without '\.\.'\), got "\.\.\/weights\.bin"/,
    ],
    ['a nested ../', 'sub/../../x.bin', /expected a weight file inside .*got "sub\/\.\.\/\.\.\/x\.bin"/],
    ['an absolute path', '/etc/passwd', /expected a weight file inside .*got "\/etc\/passwd"/],
    ['a Windows absolute path', 'C:\\x.bin', /expected a weight file inside .*got "C:\\\\x\.bin"/],
  ])('path traversal: %s', (_what, p, message) => {
    const error = errorOf(variant((dir) => editJson(dir, (json) => (json.weightsManifest[0].paths = [p]))));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(message);
  });

  test('a shard too short: refused from its size, naming the first weight it cannot hold', () => {
    const dir = variant((d) => fs.writeFileSync(bin(d), fs.readFileSync(bin(d)).subarray(0, 500)));
    const error = errorOf(dir);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(
      /model\.json: weight "lstm_a\/recurrent_kernel" \[5,20\]: expected bytes 240\.\.640 .*got 500 bytes \(weights\.bin 500\): shard .*weights\.bin too short/,
    );
  });

  test('a shard too long', () => {
    const dir = variant((d) => fs.appendFileSync(bin(d), Buffer.alloc(8)));
    expect(errorOf(dir).message).toMatch(
      /weightsManifest\[0\]: expected \d+ bytes of weights in its files, got \d+ \(.*weights\.bin holds bytes no weight accounts for\)/,
    );
  });

  test('a missing shard', () => {
    const dir = variant((d) => fs.rmSync(bin(d)));
    expect(errorOf(dir).message).toMatch(/model\.json: expected the weight file .*weights\.bin the manifest names, got ENOENT/);
  });

  test.each([
    ['int32', (w: any) => (w.dtype = 'int32'), /weight "lstm_a\/kernel": expected dtype float32, got "int32"/],
    ['float16', (w: any) => (w.dtype = 'float16'), /weight "lstm_a\/kernel": expected dtype float32, got "float16"/],
    [
      'quantized uint8',
      (w: any) => (w.quantization = { dtype: 'uint8', min: -1, scale: 0.01 }),
      /weight "lstm_a\/kernel": expected unquantized float32 weights, got quantization/,
    ],
  ])('dtype: %s refused by name', (_what, edit, message) => {
    const error = errorOf(variant((dir) => editJson(dir, (json) => edit(weights(json)[0]))));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(message);
  });

  test('a wrong shape (same byte count): ShapeError naming the layer and weight', () => {
    const error = errorOf(variant((dir) => editJson(dir, (json) => (weights(json)[0].shape = [12, 5]))));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/model\.json: layer 0 "lstm_a" \(LSTM\) kernel: expected shape \[3,20\], got \[12,5\]/);
  });

  test('a missing weight (entry and bytes dropped)', () => {
    const dir = variant((d) => {
      editJson(d, (json) => weights(json).splice(2, 1)); // lstm_a/bias, bytes 640..720
      const bytes = fs.readFileSync(bin(d));
      fs.writeFileSync(bin(d), Buffer.concat([bytes.subarray(0, 640), bytes.subarray(720)]));
    });
    const error = errorOf(dir);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/layer 0 "lstm_a" \(LSTM\): expected 3 weights \(kernel \[3,20\], recurrent_kernel \[5,20\], bias \[20\]\), got 2/);
  });

  test('an extra weight for a layer', () => {
    const dir = variant((d) => {
      editJson(d, (json) => weights(json).push({ name: 'head/extra', shape: [2], dtype: 'float32' }));
      fs.appendFileSync(bin(d), Buffer.alloc(8));
    });
    const error = errorOf(dir);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/layer 3 "head" \(Dense\): expected 2 weights .*got 3/);
  });

  test('a weight no layer owns', () => {
    const dir = variant((d) => {
      editJson(d, (json) => weights(json).push({ name: 'ghost/kernel', shape: [2], dtype: 'float32' }));
      fs.appendFileSync(bin(d), Buffer.alloc(8));
    });
    expect(errorOf(dir).message).toMatch(
      /model\.json: weight "ghost\/kernel": expected a name starting with a layer's name \(lstm_a, rnn_b, gru_c, head\), got "ghost"/,
    );
  });

  test('a NaN weight', () => {
    const dir = variant((d) => {
      const bytes = fs.readFileSync(bin(d));
      bytes.writeFloatLE(NaN, 4 * 7); // lstm_a kernel element 7 = [0, 7]
      fs.writeFileSync(bin(d), bytes);
    });
    const error = errorOf(dir);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(/model\.json: layer 0 "lstm_a" \(LSTM\) kernel: expected finite values .*got NaN at \[0,7\]/);
  });

  test('a graph model, a model.json without a manifest, and bad JSON', () => {
    expect(errorOf(variant((d) => editJson(d, (json) => (json.format = 'graph-model')))).message).toMatch(/expected format "layers-model".*got "graph-model"/);
    expect(errorOf(variant((d) => editJson(d, (json) => delete json.weightsManifest))).message).toMatch(
      /expected a tfjs model\.json with modelTopology and weightsManifest, got keys/,
    );
    expect(errorOf(variant((d) => fs.writeFileSync(path.join(d, 'model.json'), '{"modelTopology": '))).message).toMatch(
      /model\.json: expected JSON, got a parse error/,
    );
  });
});

// tensorflowjs_converter output from the other helper's golden cases, when present.
const CONVERTED = fs.existsSync(GOLDEN_DIR)
  ? fs
      .readdirSync(GOLDEN_DIR)
      .filter((c) => fs.existsSync(path.join(GOLDEN_DIR, c, 'tfjs', 'model.json')))
      .sort()
  : [];
describe.each(CONVERTED.length ? CONVERTED : ['(none)'])('converted golden %s', (name) => {
  (CONVERTED.length ? test : test.skip)('reads (weights matched by layer name, any manifest order) and runs like Keras', () => {
    const dir = path.join(GOLDEN_DIR, name);
    const read = readModelFile(path.join(dir, 'tfjs'));
    expect(read.format).toBe('tfjs');
    expect(read.writer).toMatch(/converted by TensorFlow\.js Converter/);
    measured[`converted ${name}`] = expectForwardMatches(read.model, fixtureInputs(dir), fixtureExpected(dir));
  });
});
