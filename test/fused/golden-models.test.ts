/**
 * The fused layers inside the golden models (models/keras-models, made by real Keras 3): every case with a
 * SimpleRNN, LSTM or GRU (also inside Bidirectional), built with buildTfjsModel(model, { layerImpl: 'fused' }).
 * Forward: against the hand path (forwardGraph, float64) at the model's default tolerance (graphTolerance,
 * the tolerance every layer-path comparison in the project uses) and against the stock tfjs layers' model.
 * Gradients: against the hand backward (handLossGradients, float64) and Keras's own float32 GradientTape
 * gradients, at the gradient check's default float32 tolerance (defaultGradientTolerances), on tensorflow,
 * cpu and wasm. Expected values never come from the fused layers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend, type BackendName } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { compareGradients } from '../../src/gradients/compare-gradients';
import { lossTargets } from '../../src/gradients/losses';
import { defaultGradientTolerances } from '../../src/graph/gradient-check';
import { handLossGradients } from '../../src/graph/hand-backward';
import { forwardGraph } from '../../src/graph/hand-forward';
import { layerPathGradients } from '../../src/graph/tfjs-gradients';
import { buildTfjsModel, predictGraph, type TfjsModelOptions } from '../../src/graph/tfjs-model';
import { graphTolerance } from '../../src/graph/tolerance';
import { readKerasGradients } from '../../src/io/keras-gradients';
import { expectClose } from '../helpers/expect-close';
import { goldenCaseNames, KERAS_MODELS_DIR, loadGoldenCase } from '../helpers/keras-models';

const RECURRENT = new Set(['simple-rnn', 'lstm', 'gru']);
const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];
/** 784 relu steps over 512 samples: minutes of hand BPTT and cpu/wasm; its forward is checked on tensorflow only. */
const SLOW = new Set(['irnn-relu-784']);
const FUSED: TfjsModelOptions = { layerImpl: 'fused' };

const CASES = goldenCaseNames().filter((name) => {
  const { model } = readModelFile(loadGoldenCase(name).modelPaths[0]);
  return model.layers.some(
    (l) => RECURRENT.has(l.kind) || (l.kind === 'bidirectional' && RECURRENT.has((l.config as { forward: { kind: { kind: string } } }).forward.kind.kind)),
  );
});

test('the golden models hold recurrent layers to fuse (the suite is not vacuous)', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(15);
});

describe.each(BACKENDS)('on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test.each(CASES.filter((name) => backend === 'tensorflow' || !SLOW.has(name)))('%s: fused forward = hand path = stock tfjs layers', (name) => {
    const golden = loadGoldenCase(name);
    const { model } = readModelFile(golden.modelPaths[0]);
    const fused = buildTfjsModel(model, FUSED);
    const stock = buildTfjsModel(model);
    try {
      expect(fused.layers.some((l) => l.getClassName().startsWith('Fused') || JSON.stringify(l.getConfig()).includes('"Fused'))).toBe(true);
      const outFused = predictGraph(fused, golden.inputs, model.inputs);
      const outStock = predictGraph(stock, golden.inputs, model.inputs);
      const hand = forwardGraph(model, golden.inputs);
      outFused.forEach((y, k) => {
        expectClose(y, hand[k], graphTolerance(model));
        expectClose(y, outStock[k], graphTolerance(model));
      });
    } finally {
      fused.dispose();
      stock.dispose();
    }
  });

  test.each(CASES.filter((name) => !SLOW.has(name)))('%s: fused gradients = hand backward = Keras float32', (name) => {
    const golden = loadGoldenCase(name);
    const { model } = readModelFile(golden.modelPaths[0]);
    const keras = readKerasGradients(path.join(KERAS_MODELS_DIR, name, 'gradients'), model);
    const outputs = model.outputs.map((ref, k) => ({ name: ref, shape: golden.expected[k].shape }));
    const targets = lossTargets(keras.loss, outputs, keras.seed);
    const fused = buildTfjsModel(model, FUSED);
    try {
      const layer = layerPathGradients(fused, model, golden.inputs, keras.loss, targets);
      const hand = handLossGradients(model, golden.inputs, keras.loss, targets);
      const tolerance = defaultGradientTolerances(model).float32;
      const failed: string[] = [];
      const check = (what: string, actual: ArrayLike<number> | null, expected: ArrayLike<number> | null | undefined) => {
        if (actual === null || expected === null || expected === undefined) return;
        const d = compareGradients(actual, expected, tolerance);
        if (!d.pass) failed.push(`${what}: scaled ${d.scaledMaxError.toExponential(2)} > ${tolerance.toExponential(2)}`);
      };
      model.layers.forEach((l, i) =>
        l.weights.forEach((w, j) => {
          check(`${l.name}/${w.name} vs hand`, layer.gradients.weights[i][j], hand.gradients.weights[i][j]);
          check(`${l.name}/${w.name} vs Keras`, layer.gradients.weights[i][j], keras.gradients.float32?.get(`${l.name}/${w.name}`)?.data);
        }),
      );
      model.inputs.forEach((input, i) => {
        check(`input ${input.name} vs hand`, layer.gradients.inputs[i], hand.gradients.inputs[i]);
        check(`input ${input.name} vs Keras`, layer.gradients.inputs[i], keras.gradients.float32?.get(`input "${input.name}"`)?.data);
      });
      expect({ failed, inputsError: layer.inputsError }).toEqual({ failed: [] });
    } finally {
      fused.dispose();
    }
  });
});

test('every case has its Keras gradient golden', () => {
  expect(CASES.every((name) => fs.existsSync(path.join(KERAS_MODELS_DIR, name, 'gradients', 'manifest.json')))).toBe(true);
});
