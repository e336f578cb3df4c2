/**
 * The fused layers inside the golden models (models/keras-models, made by real Keras 3): every case with a
 * SimpleRNN, LSTM or GRU (also inside Bidirectional), built with buildTfjsModel(model, { layerImpl: 'fused' }).
 * Forward: against the hand path (forwardGraph, float64) at the model's default tolerance (graphTolerance,
 * the tolerance every layer-path comparison in the project uses) and against the stock tfjs layers' model.
 * Gradients: against the hand backward (handLossGradients, float64) and Keras's own float32 GradientTape
 * gradients, at the gradient check's default float32 tolerance (defaultGradientTolerances), on tensorflow,
 * cpu and wasm. Expected values never come from the fused layers.
 *
 * On tensorflow, FusedLSTM runs as TensorFlow's BlockLSTMV2 / BlockLSTMGradV2 kernels (src/fused/block-lstm.ts)
 * wherever it can: the usage counters show that every LSTM case's calls either took the kernel (forward, and
 * backward in the gradient tests) or fell back only for what the kernel cannot compute (a mask, other activations).
 */
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend, type BackendName } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { blockLstmUsage } from '../../src/fused/block-lstm';
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

const innerKind = (l: { kind: string; config: unknown }) =>
  l.kind === 'bidirectional' ? (l.config as { forward: { kind: { kind: string } } }).forward.kind.kind : l.kind;

const CASES = goldenCaseNames().filter((name) => {
  const { model } = readModelFile(loadGoldenCase(name).modelPaths[0]);
  return model.layers.some((l) => RECURRENT.has(innerKind(l)));
});

/** The cases holding an LSTM (also inside Bidirectional): on tensorflow these must use the BlockLSTM kernel. */
const LSTM_CASES = new Set(CASES.filter((name) => readModelFile(loadGoldenCase(name).modelPaths[0]).model.layers.some((l) => innerKind(l) === 'lstm')));

/** Why the kernel may legitimately not run (block-lstm.ts's reasons): a mask, or activations other than tanh/sigmoid. */
const ALLOWED_FALLBACK = /^(mask|activations .*)$/;

/** Runs `fn`; returns its result and what FusedLSTM's calls did during it: kernel forwards, kernel backwards, fallback reasons. */
function lstmPaths<T>(fn: () => T): { result: T; forward: number; backward: number; fallbacks: string[] } {
  const before = blockLstmUsage();
  const result = fn();
  const after = blockLstmUsage();
  return {
    result,
    forward: after.forward - before.forward,
    backward: after.backward - before.backward,
    fallbacks: Object.keys(after.fallbacks).filter((k) => after.fallbacks[k] !== (before.fallbacks[k] ?? 0)),
  };
}

/** On tensorflow, the LSTM cases whose forward ran the kernel (checked to be most of them at the end). */
const KERNEL_CASES = new Set<string>();

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
      const paths = lstmPaths(() => predictGraph(fused, golden.inputs, model.inputs));
      const outFused = paths.result;
      if (backend === 'tensorflow' && LSTM_CASES.has(name)) {
        expect(paths.fallbacks.filter((r) => !ALLOWED_FALLBACK.test(r))).toEqual([]);
        expect(paths.forward + paths.fallbacks.length).toBeGreaterThan(0);
        if (paths.fallbacks.length === 0) expect(paths.forward).toBeGreaterThan(0);
        if (paths.forward > 0) KERNEL_CASES.add(name);
      }
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
      const paths = lstmPaths(() => layerPathGradients(fused, model, golden.inputs, keras.loss, targets));
      const layer = paths.result;
      if (backend === 'tensorflow' && LSTM_CASES.has(name)) {
        expect(paths.fallbacks.filter((r) => !ALLOWED_FALLBACK.test(r))).toEqual([]);
        // every kernel forward under the tape is backpropagated through BlockLSTMGradV2
        if (paths.fallbacks.length === 0) expect(paths.backward).toBeGreaterThan(0);
      }
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

test('on tensorflow, the BlockLSTM kernel ran in most LSTM cases (the assertions above are not vacuous)', () => {
  // 20 of the 26 LSTM cases (measured; the other 6 have masks or relu/hardSigmoidKeras3 LSTMs).
  expect(KERNEL_CASES.size).toBeGreaterThanOrEqual(20);
});

test('every case has its Keras gradient golden', () => {
  expect(CASES.every((name) => fs.existsSync(path.join(KERAS_MODELS_DIR, name, 'gradients', 'manifest.json')))).toBe(true);
});
