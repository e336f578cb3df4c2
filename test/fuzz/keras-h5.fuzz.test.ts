/**
 * What a .keras holds, made hostile: model.weights.h5 (inside a zip through readKerasZip, and bare as a
 * .weights.h5 file through readModelFile with the lstm's architecture) and config.json. Each must get a
 * typed error (ConfigError incl. UnsupportedModelError, ShapeError or FileFormatError: exit code 2) naming
 * the file, within a second, or read as a model. The two chunked HDF5 files in test/fuzz/fixtures were
 * written by h5py (see fixtures/README.md): the one kind not made here.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, FileFormatError } from '../../src/errors';
import { readKerasZip } from '../../src/formats/keras-model';
import { readModelFile } from '../../src/formats/read-model';
import { UnsupportedModelError } from '../../src/graph/unsupported';
import { fuzzRuns, samplePrefixLengths } from './helpers';
import { bareWeightsReader, configText, exponentialBTree, FIXTURES, h5, HOSTILE, kerasZip, readModel, withKernelValue } from './keras-cases';
import { modelRefusal, modelTypedOrRead } from './model-errors';

const bare = bareWeightsReader();

describe('truncated', () => {
  test(`model.weights.h5 cut at 200 of its ${h5.length} lengths, inside a whole zip`, () => {
    for (const length of samplePrefixLengths(h5.length, 200, 12)) {
      const error = modelRefusal(readModel(kerasZip({ 'model.weights.h5': h5.subarray(0, length) })), HOSTILE, `h5 cut to ${length}`);
      expect(error).toBeInstanceOf(FileFormatError);
      expect(error.message).toMatch(/^hostile\.keras: model\.weights\.h5: /);
    }
  });

  test('a bare .weights.h5 cut at 100 lengths', () => {
    for (const length of samplePrefixLengths(h5.length, 100, 13)) {
      const error = modelRefusal(bare.read(h5.subarray(0, length), 'cut.weights.h5'), bare.path('cut.weights.h5'), `bare h5 cut to ${length}`);
      expect(error).toBeInstanceOf(FileFormatError);
    }
  });
});

describe('model.weights.h5', () => {
  test('the untouched bare file reads (each case below changes one thing)', () => {
    expect(modelTypedOrRead(bare.read(h5, 'whole.weights.h5'), bare.path('whole.weights.h5'))).toBe('read');
  });

  test('chunked storage (h5py chunks=(2, 32)) is refused before its data is decoded', () => {
    const error = modelRefusal(readModel(kerasZip({ 'model.weights.h5': fs.readFileSync(path.join(FIXTURES, 'lstm-chunked.weights.h5')) })), HOSTILE);
    expect(error.message).toBe(
      'hostile.keras: model.weights.h5: layers/lstm/cell/vars/0: expected contiguous storage (as Keras writes it), got chunked storage',
    );
  });

  test('gzip-compressed chunks (jsfive would inflate each chunk with no bound) are refused', () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'lstm-gzip.weights.h5')));
    expect(modelRefusal(bare.read(bytes, 'gzip.weights.h5'), bare.path('gzip.weights.h5')).message).toBe(
      `${bare.path('gzip.weights.h5')}: layers/lstm/cell/vars/0: expected contiguous storage (as Keras writes it), got chunked storage with 1 filter(s)`,
    );
  });

  test('a B-tree whose nodes share children (2^40 visits): stopped within a second, not a hang', () => {
    const file = bare.path('dag.weights.h5');
    const error = modelRefusal(bare.read(exponentialBTree(40), 'dag.weights.h5'), file);
    expect(error.message.startsWith(`${file}: expected a readable HDF5 file, got a structure still unread after `)).toBe(true);
    expect(error.message).toMatch(/ \d+ ms of CPU \(cyclic or exploding B-tree\?\)$/);
  });

  test.each([
    ['NaN', 0, '[0,0]'],
    ['Infinity', 33, '[1,1]'],
    ['-Infinity', 127, '[3,31]'],
  ])('%s in the LSTM kernel (value %i) is refused, naming the layer, the weight and the element', (value, at, index) => {
    const bytes = withKernelValue(at, Number(value));
    const message = `layer 1 "lstm" (LSTM) kernel: expected finite values (NaN or Inf can never pass a check), got ${value} at ${index}`;
    const inZip = modelRefusal(readModel(kerasZip({ 'model.weights.h5': bytes })), HOSTILE);
    expect(inZip).toBeInstanceOf(FileFormatError);
    expect(inZip.message).toBe(`hostile.keras: ${message}`);
    expect(modelRefusal(bare.read(bytes, 'nan.weights.h5'), bare.path('nan.weights.h5')).message).toBe(`${bare.path('nan.weights.h5')}: ${message}`);
  });

  test('random bytes after the HDF5 signature (seeded): a typed error naming the file', () => {
    const file = bare.path('random.weights.h5');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4000 }), (rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        bytes.set(h5.subarray(0, 8));
        bytes.set(rest, 8);
        expect(modelRefusal(bare.read(bytes, 'random.weights.h5'), file)).toBeInstanceOf(FileFormatError);
      }),
      fuzzRuns(150),
    );
  });

  test('bytes overwritten anywhere in a bare .weights.h5: a typed error naming the file, or a read', () => {
    const file = bare.path('mutated.weights.h5');
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: h5.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = h5.slice();
        for (const [at, value] of edits) bytes[at] = value;
        const outcome = modelTypedOrRead(bare.read(bytes, 'mutated.weights.h5'), file, `edits ${JSON.stringify(edits)}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzRuns(200),
    );
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });

  test('bytes overwritten anywhere in model.weights.h5 (re-zipped, so the CRC holds): a typed error naming the file, or a read', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: h5.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = h5.slice();
        for (const [at, value] of edits) bytes[at] = value;
        const outcome = modelTypedOrRead(readModel(kerasZip({ 'model.weights.h5': bytes })), HOSTILE, `edits ${JSON.stringify(edits)}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzRuns(200),
    );
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });
});

describe('config.json', () => {
  test('nested 10^5 deep: refused before JSON.parse (deeper made JSON.stringify in an error message overflow the stack)', () => {
    const deep = `{"class_name": ${'['.repeat(100000)}${']'.repeat(100000)}}`;
    expect(modelRefusal(readModel(kerasZip({ 'config.json': deep })), HOSTILE).message).toBe(
      'hostile.keras: config.json: expected JSON nested at most 64 deep, got deeper',
    );
  });

  test.each<[string, string, string | RegExp]>([
    ['units 1e400 (JSON.parse reads Infinity)', '"units": 1e400', 'layer 1 "lstm" (LSTM) units = Infinity: expected an integer from 1 to 4096'],
    ['units with 400 digits', `"units": ${'9'.repeat(400)}`, 'units = Infinity: expected an integer from 1 to 4096'],
    ['units 2^53 + 2', '"units": 9007199254740994', 'units = 9007199254740994: expected an integer from 1 to 4096'],
    ['units -0', '"units": -0', 'units = 0: expected an integer from 1 to 4096'],
    [
      'an input of 10^9 time steps',
      '"batch_shape": [null, 1000000000, 4]',
      'layer 0 "input_layer" (InputLayer) batch_shape = [null,1000000000,4]: expected sizes from 1 to 16777216 or None',
    ],
    [
      'an input dimension of 2^40',
      '"batch_shape": [null, 10, 1099511627776]',
      'batch_shape = [null,10,1099511627776]: expected sizes from 1 to 16777216 or None',
    ],
    ['a negative time step count', '"batch_shape": [null, -10, 4]', 'batch_shape = [null,-10,4]: expected sizes from 1 to 16777216 or None'],
  ])('%s: UnsupportedModelError naming the layer, the option and the value', (_what, replacement, message) => {
    const text = replacement.startsWith('"units"')
      ? configText.replace(/"units": ?8/, replacement)
      : configText.replace(/"batch_shape": ?\[null, 10, 4\]/, replacement);
    expect(text).not.toBe(configText);
    const error = modelRefusal(readModel(kerasZip({ 'config.json': text })), HOSTILE);
    expect(error).toBeInstanceOf(UnsupportedModelError);
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
  });

  test.each<[string, string, (units: number, shape: unknown) => void]>([
    ['units 8.0000000000000001 (parses as 8)', '"units": 8.0000000000000001', (units) => expect(units).toBe(8)],
    // The saved batch size is no constraint (Keras runs any batch): even an absurd one is left open.
    ['a batch of 1e400', '"batch_shape": [1e400, 10, 4]', (_units, shape) => expect(shape).toEqual([null, 10, 4])],
  ])('%s: reads', (_what, replacement, check) => {
    const text = replacement.startsWith('"units"')
      ? configText.replace(/"units": ?8/, replacement)
      : configText.replace(/"batch_shape": ?\[null, 10, 4\]/, replacement);
    const { model } = readKerasZip(kerasZip({ 'config.json': text }), 'x.keras');
    check((model.layers[0].config as { units: number }).units, model.inputs[0].shape);
  });

  test('a 1 MB value quoted in a message is cut to a short preview', () => {
    const config = JSON.parse(configText);
    config.config.layers[1].config.frobnicate = 'x'.repeat(2 ** 20);
    const error = modelRefusal(readModel(kerasZip({ 'config.json': JSON.stringify(config) })), HOSTILE);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.length).toBeLessThan(400);
  });

  test('random JSON values at random places in config.json (seeded): a typed error naming the file, or a model', () => {
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      typeof value !== 'object' || value === null
        ? [prefix]
        : [prefix, ...(Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    const all = paths(JSON.parse(configText)).filter((p) => p.length > 0);
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.nat({ max: all.length - 1 }),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(
            null,
            0,
            -1,
            1e308,
            2 ** 53,
            4097,
            'float64',
            'LSTM',
            'GRU',
            'Dense',
            'Dropout',
            'InputLayer',
            'Functional',
            'softmax',
            [null, null, null],
            [null, 10, 1e9],
            true,
            '__proto__',
            'constructor',
          ),
        ),
        (which, value) => {
          const config = JSON.parse(configText);
          const at = all[which];
          let parent = config;
          for (const key of at.slice(0, -1)) parent = parent[key];
          parent[at[at.length - 1]] = value;
          const outcome = modelTypedOrRead(
            readModel(kerasZip({ 'config.json': JSON.stringify(config) })),
            HOSTILE,
            `${at.join('.')} = ${JSON.stringify(value)}`,
          );
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        },
      ),
      fuzzRuns(200),
    );
    expect(outcomes.get('UnsupportedModelError')).toBeGreaterThan(0);
  });

  test('plausible option values in config.json over the same weights: a typed error naming the file, or a model', () => {
    // Widths, flags and activations that a real model could have: the weights then fit or they do not, and
    // the weights reader must say which with a typed error (a bare .weights.h5's architecture from flags is
    // the same situation).
    const layerKeys = ['units', 'return_sequences', 'go_backwards', 'reset_after', 'unit_forget_bias', 'use_bias', 'activation'];
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.nat({ max: 2 }),
        fc.constantFrom(...layerKeys),
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.constantFrom('relu', 'linear', 'softmax')),
        (layer, key, value) => {
          const config = JSON.parse(configText);
          if (layer === 0) config.config.layers[0].config.batch_shape = [null, 10, typeof value === 'number' ? value : 4];
          else config.config.layers[layer].config[key] = value;
          const outcome = modelTypedOrRead(
            () => readKerasZip(kerasZip({ 'config.json': JSON.stringify(config) }), HOSTILE),
            HOSTILE,
            `layer ${layer} ${key} = ${JSON.stringify(value)}`,
          );
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        },
      ),
      fuzzRuns(150),
    );
    expect(outcomes.get('read')).toBeGreaterThan(0);
    expect((outcomes.get('ShapeError') ?? 0) + (outcomes.get('FileFormatError') ?? 0)).toBeGreaterThan(0);
  });
});

describe('a legacy full-model .h5 (model_config attribute + model_weights), made hostile', () => {
  const legacy = new Uint8Array(fs.readFileSync(path.join(__dirname, '..', '..', 'models', 'keras-models', 'legacy-h5-stack', 'model.h5')));
  const readLegacy = (bytes: Uint8Array) => () => {
    fs.writeFileSync(bare.path('legacy.h5'), bytes);
    return readModelFile(bare.path('legacy.h5'));
  };
  let file: string;
  beforeAll(() => {
    file = bare.path('legacy.h5');
  });

  test('the untouched file reads as format h5', () => {
    let read: ReturnType<typeof readModelFile> | undefined;
    expect(modelTypedOrRead(() => (read = readLegacy(legacy)()), file)).toBe('read');
    expect(read?.format).toBe('h5');
  });

  test(`cut at 120 of its ${legacy.length} lengths: a typed error naming the file`, () => {
    for (const length of samplePrefixLengths(legacy.length, 120, 14)) {
      expect(modelRefusal(readLegacy(legacy.subarray(0, length)), file, `legacy .h5 cut to ${length}`)).toBeInstanceOf(FileFormatError);
    }
  });

  test('bytes overwritten anywhere: a typed error naming the file, or a read', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: legacy.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = legacy.slice();
        for (const [at, value] of edits) bytes[at] = value;
        const outcome = modelTypedOrRead(readLegacy(bytes), file, `edits ${JSON.stringify(edits)}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzRuns(200),
    );
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });
});
