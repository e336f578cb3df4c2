/**
 * Save/load of models that use the custom pieces, through src/io/model-artifacts.ts (tfjs's model.json +
 * weights.bin, rebuilt by tf.loadLayersModel from the classes registered with tf.serialization):
 * the same weights bit for bit, the same outputs bit for bit, and the same spec read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { runCheck } from '../../src/check';
import { seededNormal } from '../../src/data/numpy-random';
import { loadModelArtifacts, MODEL_JSON, saveModelArtifacts } from '../../src/io/model-artifacts';
import { buildModel } from '../../src/model/build';
import { predictLayers } from '../../src/model/predict';
import { specFromModel } from '../../src/model/spec-from-model';
import { inputShape, type ModelSpec, validateSpec } from '../../src/spec';
import { expectNoLeakedTensors, float32Bits, LAYER_BACKENDS } from './helpers';

const SEED = 11;

const SPECS: readonly [string, ModelSpec][] = [
  [
    'GRU resetAfter x2, hard_sigmoid, goBackwards',
    validateSpec({
      cell: 'gru',
      resetAfter: true,
      recurrentActivation: 'hard_sigmoid',
      layers: 2,
      goBackwards: true,
      batch: 2,
      timeSteps: 5,
      inputDim: 3,
      units: 4,
    }),
  ],
  [
    // resetAfter false: specFromModel reports false for every cell but GRU.
    // unitForgetBias: the LSTM bias is then the output of a native concat, which under jest tfjs-node hands
    // back as a Float32Array of Node's main realm; tfjs's own encodeWeights (model.save) refuses that
    // ("Unsupported TypedArray subtype"), saveModelArtifacts gathers the bytes itself and must not.
    'LSTM, hard_sigmoid, returnSequences',
    validateSpec({
      cell: 'lstm',
      resetAfter: false,
      recurrentActivation: 'hard_sigmoid',
      unitForgetBias: true,
      returnSequences: true,
      batch: 2,
      timeSteps: 5,
      inputDim: 3,
      units: 4,
    }),
  ],
];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-model-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(LAYER_BACKENDS)('save and load on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test.each(SPECS)('%s: weights and outputs bit-exact, spec read back', async (_name, spec) => {
    await expectNoLeakedTensors(async () => {
      const input = seededNormal(SEED, inputShape(spec));
      const original = buildModel(spec, SEED);
      let loaded: tf.LayersModel | undefined;
      try {
        await saveModelArtifacts(original, dir, { generatedBy: 'rnn-parity test', seed: SEED });
        loaded = (await loadModelArtifacts(dir)).model;
        expect(loaded.layers.map((l) => l.getClassName())).toEqual(original.layers.map((l) => l.getClassName()));
        const before = original.getWeights();
        const after = loaded.getWeights();
        expect(after.map((w) => w.shape)).toEqual(before.map((w) => w.shape));
        after.forEach((w, i) => expect(float32Bits(w.dataSync())).toEqual(float32Bits(before[i].dataSync())));
        expect(float32Bits(predictLayers(loaded, input).data)).toEqual(float32Bits(predictLayers(original, input).data));
        expect(specFromModel(loaded, spec.batch)).toEqual(spec);
      } finally {
        original.dispose();
        loaded?.dispose();
      }
    });
  });
});

describe('the saved files', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test.each(SPECS)("%s: the same model.json and weights.bin bytes as tfjs's own model.save", async (_name, spec) => {
    const model = buildModel(spec, SEED);
    try {
      const metadata = { generatedBy: 'rnn-parity test', seed: SEED };
      await saveModelArtifacts(model, dir, metadata);
      let theirs: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          theirs = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const ours = JSON.parse(fs.readFileSync(path.join(dir, MODEL_JSON), 'utf8'));
      expect(ours.modelTopology).toEqual(theirs?.modelTopology);
      expect(ours.weightsManifest[0].weights).toEqual(theirs?.weightSpecs);
      expect(ours.generatedBy).toBe(theirs?.generatedBy);
      const theirBytes = Buffer.from(tf.io.CompositeArrayBuffer.join(theirs?.weightData as ArrayBuffer));
      expect(Buffer.compare(fs.readFileSync(path.join(dir, 'weights.bin')), theirBytes)).toBe(0);
    } finally {
      model.dispose();
    }
  });

  test("model.json names the custom layer and Keras 3's hard_sigmoid in tfjs's snake_case", async () => {
    const spec = SPECS[0][1];
    const model = buildModel(spec, SEED);
    try {
      await saveModelArtifacts(model, dir, { generatedBy: 'rnn-parity test' });
    } finally {
      model.dispose();
    }
    const json = JSON.parse(fs.readFileSync(path.join(dir, MODEL_JSON), 'utf8'));
    const layers = json.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
    expect(layers.map((l) => l.class_name)).toEqual(['GRUResetAfter', 'GRUResetAfter', 'Dense']);
    expect(layers[0].config).toMatchObject({ recurrent_activation: 'hard_sigmoid_keras3', reset_after: true, go_backwards: true });
    const shapes = (json.weightsManifest[0].weights as { shape: number[] }[]).map((w) => w.shape);
    expect(shapes.slice(0, 3)).toEqual([
      [3, 12],
      [4, 12],
      [2, 12],
    ]);
  });

  test('runCheck on the loaded model passes, with the spec it read back', async () => {
    const spec = SPECS[0][1];
    await runCheck({ spec, seed: SEED, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
    const result = await runCheck({ spec: validateSpec({ batch: 3 }), seed: SEED + 1, backend: 'cpu', precision: 'float64', weightsDir: dir });
    expect(result.spec).toEqual({ ...spec, batch: 3 });
    expect(result.report.pass).toBe(true);
  });
});
