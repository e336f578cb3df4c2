/**
 * What readModelFile refuses, each with its typed error naming the thing, and what it used to refuse but
 * now checks:
 *   - a model outside what both paths check: UnsupportedModelError (a ConfigError) listing EVERY blocker
 *     at once, each naming the layer, the option and its value;
 *   - weights whose shape the config does not imply: ShapeError; weights of another architecture:
 *     FileFormatError naming the groups;
 *   - files that are not what they claim: one-line FileFormatError, quickly;
 *   - Dropout layers, dropout options, use_bias=False, activations on Dense heads, mixed widths and
 *     kinds, Functional models: ACCEPTED now, and checked against Keras where a committed golden exists.
 * Every hostile file is built here from a committed case (config.json edited, a member dropped, bytes
 * cut or replaced); none is committed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { ConfigError, FileFormatError, ShapeError } from '../../src/errors';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import { readArchitecture } from '../../src/graph/read-config';
import { UnsupportedModelError } from '../../src/graph/unsupported';
import type { Blocker } from '../../src/layers/read-context';
import { presetKerasConfig } from '../../src/presets/flags';
import { validateSpec } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';
import { loadGoldenCase } from '../helpers/keras-models';
import { editedKeras, KERAS_DIR, layerConfig, loadCase, pseudoRandomBytes, readMembers, type KerasMembers } from './helpers';
import { architectureOf, casePath, errorOf, expectRefusalMessage, readKerasBytes, temporaryDirectory, weightBits, type TypedErrorClass } from './model-helpers';

/**
 * Asserts that reading `bytes` throws `type` within seconds, its message naming the file (one line, or
 * an UnsupportedModelError's summary and blocker lines) and matching `message`. Returns the error.
 */
function expectRefused(bytes: Uint8Array, type: TypedErrorClass, message: string | RegExp): Error {
  const start = performance.now();
  const caught = errorOf(() => readKerasBytes(bytes, 'hostile.keras'));
  // Generous for a loaded machine: a read of these files takes 2-50 ms; a hang or a 4 GiB allocation would not.
  expect(performance.now() - start).toBeLessThan(5000);
  expect(caught).toBeInstanceOf(type);
  expectRefusalMessage(caught, 'hostile.keras');
  if (typeof message === 'string') expect(caught.message).toContain(message);
  else expect(caught.message).toMatch(message);
  return caught;
}

/** The blockers of an UnsupportedModelError thrown by reading `bytes`. */
function blockersOf(bytes: Uint8Array): readonly Blocker[] {
  const error = expectRefused(bytes, UnsupportedModelError, 'expected a model rnn-parity can check');
  expect(error).toBeInstanceOf(ConfigError); // exit code 2, as every config refusal
  return (error as UnsupportedModelError).blockers;
}

const lstmBytes = () => new Uint8Array(fs.readFileSync(casePath('lstm')));
/** A Lambda layer (arbitrary Python code: no hand path can exist), as Keras 3 serializes one. */
const LAMBDA = {
  module: 'keras.layers',
  class_name: 'Lambda',
  config: { name: 'lambda', function: { class_name: '__lambda__', config: { code: 'x * 2' } }, arguments: {} },
  registered_name: null,
};

describe('unsupported models: UnsupportedModelError listing every blocker, each naming layer, option and value', () => {
  test('three problems in one model (stateful, a custom registered layer, a Lambda): all three at once', () => {
    const bytes = editedKeras('stack-lstm', ({ config }) => {
      layerConfig(config, 1).stateful = true;
      config.config.layers[2].registered_name = 'my_package>LSTM';
      config.config.layers.splice(3, 0, LAMBDA);
    });
    const error = expectRefused(bytes, UnsupportedModelError, 'hostile.keras: expected a model rnn-parity can check, got 3 blockers:') as UnsupportedModelError;
    expect(error.source).toBe('hostile.keras');
    expect(error.blockers).toEqual([
      {
        layer: 'layer 1 "lstm" (LSTM)',
        option: 'stateful',
        value: true,
        reason: 'expected false, the only value rnn-parity checks',
        hint: 'a stateful layer carries state between batches; check it with stateful=False',
      },
      {
        layer: 'layer 2 "lstm_1" (LSTM)',
        option: 'registered_name',
        value: 'my_package>LSTM',
        reason: 'expected a built-in layer',
        hint: 'custom layers have no hand path; replace it by built-in layers',
      },
      {
        layer: 'layer 3 "lambda" (Lambda)',
        option: 'class_name',
        value: 'Lambda',
        reason: expect.stringContaining('not a supported layer kind (supported: SimpleRNN, LSTM, GRU, Dense'),
      },
    ]);
    // One line per blocker, each naming the layer, the option and the value.
    expect(error.message.split('\n').slice(1)).toEqual([
      '  - layer 1 "lstm" (LSTM) stateful = true: expected false, the only value rnn-parity checks (a stateful layer carries state between batches; check it with stateful=False)',
      '  - layer 2 "lstm_1" (LSTM) registered_name = "my_package>LSTM": expected a built-in layer (custom layers have no hand path; replace it by built-in layers)',
      expect.stringMatching(/^ {2}- layer 3 "lambda" \(Lambda\) class_name = "Lambda": not a supported layer kind \(supported: .*\)$/),
    ]);
  });

  test('blockers in several layers and options of the same layer are all reported, in config order', () => {
    const bytes = editedKeras('stack-simple-rnn', ({ config }) => {
      Object.assign(layerConfig(config, 1), { stateful: true, return_state: true, units: 5000 });
      layerConfig(config, 2).dtype = 'float64';
      layerConfig(config, 3).frobnicate = 2;
    });
    expect(blockersOf(bytes).map((b) => [b.layer, b.option, b.value])).toEqual([
      ['layer 1 "simple_rnn" (SimpleRNN)', 'stateful', true],
      ['layer 1 "simple_rnn" (SimpleRNN)', 'units', 5000],
      // return_state is checked, but not in a Sequential model, where the states have nowhere to go.
      ['layer 1 "simple_rnn" (SimpleRNN)', 'return_state', true],
      ['layer 2 "simple_rnn_1" (SimpleRNN)', 'dtype', 'float64'],
      ['layer 3 "dense" (Dense)', 'frobnicate', 2],
    ]);
  });

  test.each<[string, string, (k: KerasMembers) => void, Partial<Blocker>]>([
    [
      'a Lambda layer',
      'lstm',
      ({ config }) => {
        config.config.layers.splice(2, 0, LAMBDA);
      },
      { layer: 'layer 2 "lambda" (Lambda)', option: 'class_name', value: 'Lambda' },
    ],
    [
      'a class Keras does not have',
      'lstm',
      ({ config }) => {
        config.config.layers[1].class_name = 'NotAKerasLayer';
      },
      { layer: 'layer 1 "lstm" (NotAKerasLayer)', option: 'class_name', value: 'NotAKerasLayer' },
    ],
    [
      'a class name that is an Object.prototype key',
      'lstm',
      ({ config }) => {
        config.config.layers[1].class_name = 'constructor';
      },
      { layer: 'layer 1 "lstm" (constructor)', option: 'class_name', value: 'constructor' },
    ],
    [
      'a recurrent_activation that is an Object.prototype key',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).recurrent_activation = 'toString';
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'recurrent_activation', value: 'toString' },
    ],
    [
      'stateful',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).stateful = true;
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'stateful', value: true, reason: 'expected false, the only value rnn-parity checks' },
    ],
    [
      'return_state',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).return_state = true;
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'return_state', value: true },
    ],
    [
      'an option rnn-parity does not know',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).frobnicate = 2;
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'frobnicate', value: 2, reason: 'an option rnn-parity does not know' },
    ],
    [
      'a GRU option on an LSTM',
      'stack-lstm',
      ({ config }) => {
        config.config.layers[2].class_name = 'GRU';
      },
      { layer: 'layer 2 "lstm_1" (GRU)', option: 'unit_forget_bias', value: true },
    ],
    [
      'a float16 dtype policy',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } };
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'dtype', value: 'mixed_float16' },
    ],
    [
      'a float64 Dense',
      'lstm',
      ({ config }) => {
        layerConfig(config, 2).dtype = 'float64';
      },
      { layer: 'layer 2 "dense" (Dense)', option: 'dtype', value: 'float64' },
    ],
    [
      'a custom (registered) layer',
      'lstm',
      ({ config }) => {
        config.config.layers[1].registered_name = 'my_package>LSTM';
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'registered_name', value: 'my_package>LSTM' },
    ],
    [
      'a subclassed model',
      'lstm',
      ({ config }) => {
        config.class_name = 'MyModel';
      },
      { layer: 'model', option: 'class_name', value: 'MyModel', hint: 'subclassed models have no architecture in the file' },
    ],
    [
      'a model nested as a layer',
      'lstm',
      ({ config }) => {
        config.config.layers[1].class_name = 'Sequential';
      },
      { layer: 'layer 1 "lstm" (Sequential)', value: 'Sequential', reason: 'a model nested as a layer is not supported yet' },
    ],
    [
      'units past the limit',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).units = 5000;
      },
      { layer: 'layer 1 "lstm" (LSTM)', option: 'units', value: 5000, reason: 'expected an integer from 1 to 4096' },
    ],
    [
      'a sparse input',
      'lstm',
      ({ config }) => {
        layerConfig(config, 0).sparse = true;
      },
      { layer: 'layer 0 "input_layer" (InputLayer)', option: 'sparse', value: true },
    ],
    [
      'a saved sequence length past 2^24',
      'lstm',
      ({ config }) => {
        layerConfig(config, 0).batch_shape = [null, 2 ** 25, 4];
      },
      { layer: 'layer 0 "input_layer" (InputLayer)', option: 'batch_shape', value: [null, 2 ** 25, 4] },
    ],
  ])('%s', (_what, caseName, edit, blocker) => {
    const blockers = blockersOf(editedKeras(caseName, edit));
    expect(blockers).toHaveLength(1);
    expect(blockers[0]).toMatchObject(blocker);
  });

  test('a Functional config without its wiring: every layer and the model-level keys reported', () => {
    const blockers = blockersOf(
      editedKeras('lstm', ({ config }) => {
        config.class_name = 'Functional';
      }),
    );
    expect(blockers.map((b) => [b.layer, b.option])).toEqual([
      ['layer 1 "lstm" (LSTM)', 'inbound_nodes'],
      ['layer 2 "dense" (Dense)', 'inbound_nodes'],
      ['model', 'input_layers'],
      ['model', 'output_layers'],
    ]);
  });

  test('a 1 MB value quoted in a blocker is cut to a short preview', () => {
    const error = expectRefused(
      editedKeras('lstm', ({ config }) => {
        layerConfig(config, 1).frobnicate = 'x'.repeat(2 ** 20);
      }),
      UnsupportedModelError,
      'frobnicate = "xxx',
    );
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('weights that do not fit the config: ShapeError naming the dataset, FileFormatError naming the groups', () => {
  test.each<[string, string, (k: KerasMembers) => void, string]>([
    [
      'LSTM units 8 -> 7',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).units = 7;
      },
      'hostile.keras: model.weights.h5: layers/lstm/cell/vars/0: expected shape [4,28], got [4,32]',
    ],
    [
      'input dimension 4 -> 5',
      'lstm',
      ({ config }) => {
        layerConfig(config, 0).batch_shape = [null, 10, 5];
      },
      'layers/lstm/cell/vars/0: expected shape [5,32], got [4,32]',
    ],
    [
      'Dense units 3 -> 4',
      'lstm',
      ({ config }) => {
        layerConfig(config, 2).units = 4;
      },
      'layers/dense/vars/0: expected shape [8,4], got [8,3]',
    ],
    [
      'GRU reset_after true -> false',
      'gru-reset-after',
      ({ config }) => {
        layerConfig(config, 1).reset_after = false;
      },
      'layers/gru/cell/vars/2: expected shape [18], got [2,18]',
    ],
    [
      'GRU reset_after false -> true',
      'gru-reset-before',
      ({ config }) => {
        layerConfig(config, 1).reset_after = true;
      },
      'layers/gru/cell/vars/2: expected shape [2,18], got [18]',
    ],
    [
      'the second LSTM widened 6 -> 7',
      'stack-lstm',
      ({ config }) => {
        layerConfig(config, 2).units = 7;
      },
      'layers/lstm_1/cell/vars/0: expected shape [6,28], got [6,24]',
    ],
    [
      'a lower layer not returning sequences',
      'stack-simple-rnn',
      ({ config }) => {
        layerConfig(config, 1).return_sequences = false;
      },
      'layer "simple_rnn_1": SimpleRNN: expected an input [batch, timeSteps, features]',
    ],
  ])('%s', (_what, caseName, edit, message) => {
    expectRefused(editedKeras(caseName, edit), ShapeError, message);
  });

  test.each<[string, string, (k: KerasMembers) => void, string]>([
    [
      'use_bias false on weights that hold a bias',
      'simple-rnn-relu',
      ({ config }) => {
        layerConfig(config, 1).use_bias = false;
      },
      'hostile.keras: model.weights.h5: layers/simple_rnn (layer 1 "simple_rnn" (SimpleRNN)): expected 2 weights (kernel, recurrent_kernel), got 3',
    ],
    [
      'a SimpleRNN retyped LSTM (its group is simple_rnn_1, not lstm)',
      'stack-simple-rnn',
      ({ config }) => {
        config.config.layers[2].class_name = 'LSTM';
      },
      'expected a group layers/lstm for layer 2 "simple_rnn_1" (LSTM), got only dense, simple_rnn, simple_rnn_1',
    ],
    [
      'a second Dense the file has no weights for',
      'lstm',
      ({ config }) => {
        config.config.layers.push(config.config.layers[2]);
      },
      'expected a group layers/dense_1 for layer 2 "dense" (Dense)',
    ],
  ])('%s: FileFormatError', (_what, caseName, edit, message) => {
    expectRefused(editedKeras(caseName, edit), FileFormatError, message);
  });

  test("another model's weights (an LSTM config with a GRU's model.weights.h5): FileFormatError naming the groups", () => {
    const gru = readMembers(casePath('gru-reset-after'));
    const bytes = editedKeras('lstm', ({ members }) => {
      members['model.weights.h5'] = gru.members['model.weights.h5'];
    });
    expectRefused(bytes, FileFormatError, 'hostile.keras: model.weights.h5: expected a group layers/lstm for layer 1 "lstm" (LSTM), got only dense, gru');
  });

  describe('a bare .weights.h5 read with the wrong architecture is refused, not reinterpreted', () => {
    let tmp: ReturnType<typeof temporaryDirectory>;
    let file: string;
    beforeAll(() => {
      tmp = temporaryDirectory('keras-refusals');
      file = path.join(tmp.dir, 'x.weights.h5');
      fs.writeFileSync(file, readMembers(casePath('stack-lstm')).members['model.weights.h5']);
    });
    afterAll(() => tmp.remove());

    const architecture = (spec: object) => {
      const blockers: Blocker[] = [];
      const read = readArchitecture(presetKerasConfig(validateSpec(spec)), 'keras', blockers);
      expect(blockers).toEqual([]);
      return read;
    };

    test('one layer where the file holds two: the unused group named', () => {
      const error = errorOf(() => readModelFile(file, { architecture: architecture({ cell: 'lstm', inputDim: 4, units: 6, denseUnits: 3 }) }));
      expect(error).toBeInstanceOf(FileFormatError);
      expect(error.message).toBe(
        `${file}: layers/lstm_1: expected no weights the architecture does not use, got layers/lstm_1/cell/vars/0, layers/lstm_1/cell/vars/1, layers/lstm_1/cell/vars/2`,
      );
    });

    test('other units: ShapeError naming the dataset', () => {
      const error = errorOf(() => readModelFile(file, { architecture: architecture({ cell: 'lstm', inputDim: 4, units: 7, denseUnits: 3, layers: 2 }) }));
      expect(error).toBeInstanceOf(ShapeError);
      expect(error.message).toBe(`${file}: layers/lstm/cell/vars/0: expected shape [4,28], got [4,24]`);
    });

    test('another cell: FileFormatError naming the groups', () => {
      const error = errorOf(() => readModelFile(file, { architecture: architecture({ cell: 'gru', inputDim: 4, units: 6, denseUnits: 3, layers: 2 }) }));
      expect(error).toBeInstanceOf(FileFormatError);
      expect(error.message).toMatch(/: expected a group layers\/gru for layer 1 "gru" \(GRU\), got only /);
    });
  });
});

describe('once refused, now supported: accepted and checked', () => {
  /** Hand path on the committed lstm input = NumPy float64 (the edit must not change what is computed). */
  const expectSameAsKeras = (bytes: Uint8Array) => {
    const golden = loadCase('lstm');
    const { model } = readKerasBytes(bytes, 'edited.keras');
    expectClose(forwardGraph(model, [golden.input])[0], golden.expected64, { atol: 1e-12, rtol: 0 });
    return model;
  };

  test('a Dropout layer between LSTM and Dense (an identity at inference, no weights)', () => {
    const model = expectSameAsKeras(
      editedKeras('lstm', ({ config }) => {
        config.config.layers.splice(2, 0, {
          module: 'keras.layers',
          class_name: 'Dropout',
          config: { name: 'dropout', rate: 0.5, seed: null, noise_shape: null, trainable: true, dtype: 'float32' },
          registered_name: null,
        });
      }),
    );
    expect(model.layers.map((l) => [l.name, l.kind, l.inbound])).toEqual([
      ['lstm', 'lstm', ['input_layer']],
      ['dropout', 'dropout', ['lstm']],
      ['dense', 'dense', ['dropout']],
    ]);
    expect(model.layers[1].weights).toEqual([]);
  });

  test.each<[string, (k: KerasMembers) => void, Record<string, unknown>]>([
    [
      'dropout 0.2',
      ({ config }) => {
        layerConfig(config, 1).dropout = 0.2;
      },
      { dropout: 0.2 },
    ],
    [
      'recurrent_dropout 0.1',
      ({ config }) => {
        layerConfig(config, 1).recurrent_dropout = 0.1;
      },
      { recurrentDropout: 0.1 },
    ],
    [
      'unroll',
      ({ config }) => {
        layerConfig(config, 1).unroll = true;
      },
      { unroll: true },
    ],
    [
      'implementation 2 (a kernel choice, the same arithmetic)',
      ({ config }) => {
        layerConfig(config, 1).implementation = 2;
      },
      {},
    ],
  ])('LSTM %s: accepted, the same outputs as Keras', (_what, edit, config) => {
    expect(expectSameAsKeras(editedKeras('lstm', edit)).layers[0].config).toMatchObject(config);
  });

  test.each<[string, string, (k: KerasMembers) => void, number, Record<string, unknown>]>([
    [
      'a Dense activation (relu)',
      'lstm',
      ({ config }) => {
        layerConfig(config, 2).activation = 'relu';
      },
      1,
      { activation: 'relu' },
    ],
    [
      'a softmax head',
      'lstm',
      ({ config }) => {
        layerConfig(config, 2).activation = 'softmax';
      },
      1,
      { activation: 'softmax' },
    ],
    [
      'a cell activation outside tanh/relu/sigmoid/linear (gelu)',
      'simple-rnn-relu',
      ({ config }) => {
        layerConfig(config, 1).activation = 'gelu';
      },
      0,
      { activation: 'gelu' },
    ],
    [
      'a recurrent_activation outside sigmoid/hard_sigmoid (tanh)',
      'lstm',
      ({ config }) => {
        layerConfig(config, 1).recurrent_activation = 'tanh';
      },
      0,
      { recurrentActivation: 'tanh' },
    ],
    [
      'go_backwards on one layer of a stack',
      'stack-simple-rnn',
      ({ config }) => {
        layerConfig(config, 2).go_backwards = true;
      },
      1,
      { goBackwards: true },
    ],
  ])('%s: accepted, both paths agree on cpu', async (_what, caseName, edit, layer, config) => {
    const { model } = readKerasBytes(editedKeras(caseName, edit), 'edited.keras');
    expect(model.layers[layer].config).toMatchObject(config);
    const result = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs: [loadCase(caseName).input] });
    expect(result.comparisons.map((c) => [c.name, c.report.pass])).toEqual([['layer vs hand', true]]);
  });

  test('the lstm case rewritten as a Keras 3 Functional model: the same layers and weights as the Sequential', () => {
    const tensor = (from: string, shape: (number | null)[]) => ({
      class_name: '__keras_tensor__',
      config: { shape, dtype: 'float32', keras_history: [from, 0, 0] },
    });
    const bytes = editedKeras('lstm', ({ config }) => {
      const [input, lstm, dense] = config.config.layers;
      config.class_name = 'Functional';
      config.config = {
        name: 'functional',
        trainable: true,
        layers: [
          { ...input, name: 'input_layer', inbound_nodes: [] },
          { ...lstm, name: 'lstm', inbound_nodes: [{ args: [tensor('input_layer', [null, 10, 4])], kwargs: { training: false, mask: null } }] },
          { ...dense, name: 'dense', inbound_nodes: [{ args: [tensor('lstm', [null, 8])], kwargs: {} }] },
        ],
        input_layers: [['input_layer', 0, 0]],
        output_layers: [['dense', 0, 0]],
      };
    });
    const functional = expectSameAsKeras(bytes);
    const sequential = readModelFile(casePath('lstm')).model;
    expect(functional.topology).toBe('Functional');
    expect({ ...functional, topology: 'Sequential' }).toEqual(sequential);
  });

  // Models Keras 3.15.1 made (models/keras-models/) of what used to be refused: all three comparisons pass.
  test.each<[string, string, (kinds: string[], layers: ReturnType<typeof readModelFile>['model']['layers']) => void]>([
    [
      'use_bias=False everywhere',
      'no-bias',
      (_kinds, layers) => {
        expect(layers.map((l) => l.weights.map((w) => w.name))).toEqual([
          ['kernel', 'recurrent_kernel'],
          ['kernel', 'recurrent_kernel'],
          ['kernel', 'recurrent_kernel'],
          ['kernel'],
        ]);
      },
    ],
    [
      'a softmax head',
      'clf-lstm-softmax',
      (kinds, layers) => {
        expect(kinds).toEqual(['lstm', 'dense']);
        expect(layers[1].config).toMatchObject({ activation: 'softmax' });
      },
    ],
    [
      'a hidden Dense and Dropout',
      'hidden-dense-dropout',
      (kinds) => {
        expect(kinds).toContain('dropout');
        expect(kinds.filter((k) => k === 'dense').length).toBeGreaterThanOrEqual(2);
      },
    ],
    [
      'mixed widths',
      'stack-mixed-widths',
      (_kinds, layers) => {
        expect(layers.filter((l) => l.kind === 'lstm').map((l) => (l.config as { units: number }).units)).toEqual([64, 32]);
      },
    ],
    [
      'mixed cell kinds',
      'stack-mixed-kinds',
      (kinds) => {
        expect(kinds).toEqual(['lstm', 'gru', 'simple-rnn', 'dense']);
      },
    ],
    [
      'a Functional model',
      'functional-chain',
      (kinds) => {
        expect(kinds).toEqual(['lstm', 'dense']);
      },
    ],
    ['a saved batch size of 32, predicted on 4', 'fixed-batch-32', () => {}],
  ])('%s (%s): accepted, layer, hand and Keras agree on cpu', async (_what, name, expectLayers) => {
    const golden = loadGoldenCase(name);
    const { model } = readModelFile(path.join(golden.dir, 'model.keras'));
    expectLayers(
      model.layers.map((l) => l.kind),
      model.layers,
    );
    if (name === 'functional-chain') expect(model.topology).toBe('Functional');
    if (name === 'fixed-batch-32') expect(model.inputs[0].shape[0]).toBeNull();
    const result = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs: golden.inputs, expected: golden.expected });
    expect(result.comparisons.filter((c) => !c.report.pass)).toEqual([]);
    expect(result.comparisons).toHaveLength(3);
  });
});

describe('files that are not what they claim: one-line FileFormatError, quickly', () => {
  test('a .keras without model.weights.h5', () => {
    const bytes = editedKeras('lstm', ({ members }) => {
      delete members['model.weights.h5'];
    });
    expectRefused(bytes, FileFormatError, 'hostile.keras: expected model.weights.h5 in the zip, got only metadata.json, config.json');
  });

  test('a .keras without config.json', () => {
    const { members } = readMembers(casePath('lstm'));
    const { 'config.json': _dropped, ...rest } = members;
    expectRefused(zipSync(rest, { level: 0 }), FileFormatError, 'expected config.json in the zip');
  });

  test('a member that a Keras 3 model of these layers never has', () => {
    const bytes = editedKeras('lstm', ({ members }) => {
      members['assets/vocabulary.txt'] = new Uint8Array([0x61]);
    });
    expectRefused(bytes, FileFormatError, 'expected only config.json, metadata.json, model.weights.h5 in the zip, got "assets/vocabulary.txt"');
  });

  test('a member named like an Object.prototype key', () => {
    const bytes = editedKeras('lstm', ({ members }) => {
      members['constructor' as string] = new Uint8Array([0x61]);
    });
    expectRefused(bytes, FileFormatError, 'in the zip, got "constructor"');
  });

  test('config.json that is not JSON', () => {
    const { members } = readMembers(casePath('lstm'));
    const bytes = zipSync({ ...members, 'config.json': new Uint8Array(Buffer.from('{"class_name": "Seq')) }, { level: 0 });
    expectRefused(bytes, FileFormatError, /hostile\.keras: config\.json: expected UTF-8 JSON, got a parse error/);
  });

  test.each([0, 1, 21, 100, 1000, 5000, 10000, 19000, 'all but 1'])('the .keras truncated to %s bytes', (keep) => {
    const whole = lstmBytes();
    const length = keep === 'all but 1' ? whole.length - 1 : (keep as number);
    expectRefused(
      whole.subarray(0, length),
      FileFormatError,
      /hostile\.keras: expected a \.keras zip \(an end-of-central-directory record\), got none: truncated, or not a zip/,
    );
  });

  test.each([1, 2, 3])('random bytes (seed %i) as a .keras', (seed) => {
    expectRefused(pseudoRandomBytes(20000, seed), FileFormatError, 'expected a .keras zip (an end-of-central-directory record), got none');
  });

  test('random bytes as model.weights.h5', () => {
    const bytes = editedKeras('lstm', ({ members }) => {
      members['model.weights.h5'] = pseudoRandomBytes(16340, 4);
    });
    expectRefused(bytes, FileFormatError, /hostile\.keras: model\.weights\.h5: expected an HDF5 file \(signature 89 48 44 46 0d 0a 1a 0a\), got [0-9a-f ]+$/);
  });

  test('an HDF5 signature followed by random bytes', () => {
    const bytes = editedKeras('lstm', ({ members }) => {
      const h5 = pseudoRandomBytes(16340, 5);
      h5.set(members['model.weights.h5'].subarray(0, 8));
      members['model.weights.h5'] = h5;
    });
    expectRefused(bytes, FileFormatError, /hostile\.keras: model\.weights\.h5: expected a readable HDF5 file, got an error/);
  });

  test.each([100, 2000, 8000, 16000])('model.weights.h5 truncated to %i bytes inside a whole zip', (keep) => {
    const bytes = editedKeras('lstm', ({ members }) => {
      members['model.weights.h5'] = members['model.weights.h5'].slice(0, keep);
    });
    expectRefused(bytes, FileFormatError, /^hostile\.keras: model\.weights\.h5: /);
  });

  test('a zip declaring a 4 GiB model.weights.h5 is refused before anything is inflated', () => {
    const bytes = lstmBytes().slice();
    patchCentralDirectory(bytes, 'model.weights.h5', 0xfffffff0);
    expectRefused(bytes, FileFormatError, 'hostile.keras: model.weights.h5: expected at most 536870912 bytes, got 4294967280');
  });

  test('a dataset header claiming 2^30 values in a 16 KB file is refused before anything is decoded', () => {
    const bytes = editedKeras('lstm', ({ config, members }) => {
      // LSTM(4096) on inputDim 65536 has a kernel of [65536, 16384]: 2^30 float32 values, 4 GiB.
      layerConfig(config, 0).batch_shape = [null, 10, 65536];
      layerConfig(config, 1).units = 4096;
      // The kernel's dataspace stores dims (4, 32), then the same as max dims, as little-endian uint64s.
      const h5 = Buffer.from(members['model.weights.h5']);
      const dims = Buffer.alloc(32);
      [4, 32, 4, 32].forEach((d, i) => dims.writeBigUInt64LE(BigInt(d), 8 * i));
      const at = h5.indexOf(dims);
      expect(at).toBeGreaterThan(0);
      [65536, 16384, 65536, 16384].forEach((d, i) => h5.writeBigUInt64LE(BigInt(d), at + 8 * i));
      members['model.weights.h5'] = new Uint8Array(h5);
    });
    expectRefused(bytes, FileFormatError, 'layers/lstm/cell/vars/0: expected at most 4085 float32 values in a file of 16340 bytes, got a shape of 1073741824');
  });

  test('a zip claiming 60000 members is refused before fflate walks them', () => {
    const bytes = lstmBytes().slice();
    const view = new DataView(bytes.buffer);
    const eocd = bytes.length - 22; // Keras writes no zip comment
    expect(view.getUint32(eocd, true)).toBe(0x06054b50);
    view.setUint16(eocd + 8, 60000, true);
    view.setUint16(eocd + 10, 60000, true);
    expectRefused(bytes, FileFormatError, 'expected at most 16 zip members, got 60000');
  });

  test('seeded byte corruption anywhere: a typed error naming the file or a successful read, never a crash or a hang', () => {
    const whole = lstmBytes();
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const outcomes = new Map<string, number>();
    const start = performance.now();
    for (let trial = 0; trial < 200; trial++) {
      const bytes = whole.slice();
      for (let j = 0; j < 3; j++) bytes[next() % bytes.length] = next() >>> 24;
      let outcome = 'read';
      try {
        readKerasBytes(bytes, 'fuzzed.keras');
      } catch (error) {
        expect([ConfigError, ShapeError, FileFormatError].some((type) => error instanceof type)).toBe(true);
        expectRefusalMessage(error as Error, 'fuzzed.keras');
        outcome = (error as Error).name;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(performance.now() - start).toBeLessThan(60000); // about 4 s on an idle machine
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });
});

describe('files on disk (readModelFile)', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  beforeAll(() => {
    tmp = temporaryDirectory('keras-files');
  });
  afterAll(() => tmp.remove());

  test('a missing file is a ConfigError; a folder without a model, an empty file and a .npy are FileFormatErrors; each names the path', () => {
    const missing = path.join(tmp.dir, 'missing.keras');
    const empty = path.join(tmp.dir, 'empty.keras');
    fs.writeFileSync(empty, '');
    const expected = 'a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras';
    expect(() => readModelFile(missing)).toThrow(new ConfigError(`${missing}: expected ${expected}, got ENOENT`));
    expect(() => readModelFile(tmp.dir)).toThrow(
      new FileFormatError(`${tmp.dir}: expected a folder holding model.json (tfjs) or model.keras, got a folder of empty.keras`),
    );
    expect(() => readModelFile(empty)).toThrow(
      new FileFormatError(`${empty}: expected ${expected} (signatures 50 4b 03 04, 89 48 44 46 or '{'), got an empty file`),
    );
    const npy = path.join(KERAS_DIR, 'lstm', 'input.npy');
    expect(() => readModelFile(npy)).toThrow(
      new FileFormatError(`${npy}: expected ${expected} (signatures 50 4b 03 04, 89 48 44 46 or '{'), got 93 4e 55 4d 50 59 01 00`),
    );
    expect(errorOf(() => readModelFile(missing))).not.toBeInstanceOf(FileFormatError);
  });

  test('a FIFO is refused at once, not waited on', () => {
    const fifo = path.join(tmp.dir, 'pipe.keras');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const start = performance.now();
    expect(() => readModelFile(fifo)).toThrow(new FileFormatError(`${fifo}: expected a regular file, got a FIFO`));
    expect(performance.now() - start).toBeLessThan(5000);
  });

  test("a .keras ignores an architecture given for a bare .weights.h5 (the file's own is read; the function is never called)", () => {
    let calls = 0;
    const other = architectureOf(casePath('gru-reset-after'));
    const read = readModelFile(casePath('lstm'), { architecture: () => (calls++, other) });
    expect(calls).toBe(0);
    expect(read.model.layers.map((l) => l.kind)).toEqual(['lstm', 'dense']);
    expect(weightBits(readModelFile(casePath('lstm'), { architecture: other }).model)).toEqual(weightBits(read.model));
  });
});

/** Rewrites the uncompressed size that the zip's central directory declares for `name`. */
function patchCentralDirectory(bytes: Uint8Array, name: string, size: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 46 <= bytes.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    if (Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString() === name) {
      view.setUint32(at + 24, size, true);
      return;
    }
  }
  throw new Error(`no central directory entry for ${name}`);
}
