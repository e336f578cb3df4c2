/**
 * What a .keras holds, made hostile: model.weights.h5 (inside a zip, and bare as a .weights.h5) and
 * config.json. Each must get a typed error (ConfigError, ShapeError or FileFormatError: exit code 2)
 * with a one-line message within a second, or read as a model. The two chunked HDF5 files in
 * test/fuzz/fixtures were written by h5py (see fixtures/README.md): the one kind not made here.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, FileFormatError } from '../../src/errors';
import { readKerasModel, readKerasWeightsOnly } from '../../src/keras/read';
import { fuzzRuns, refusal, samplePrefixLengths, typedOrRead } from './helpers';
import { configText, exponentialBTree, FIXTURES, h5, kerasZip, LSTM_SPEC, readModel, withKernelValue } from './keras-cases';

describe('truncated', () => {
  test(`model.weights.h5 cut at 200 of its ${h5.length} lengths, inside a whole zip`, () => {
    for (const length of samplePrefixLengths(h5.length, 200, 12)) {
      const error = refusal(readModel(kerasZip({ 'model.weights.h5': h5.subarray(0, length) })), `h5 cut to ${length}`);
      expect(error.message).toMatch(/^hostile\.keras: model\.weights\.h5: /);
    }
  });

  test('a bare .weights.h5 cut at 100 lengths', () => {
    for (const length of samplePrefixLengths(h5.length, 100, 13)) {
      refusal(() => readKerasWeightsOnly(h5.subarray(0, length), LSTM_SPEC, 'cut.weights.h5'), `bare h5 cut to ${length}`);
    }
  });
});

describe('model.weights.h5', () => {
  test('chunked storage (h5py chunks=(2, 32)) is refused before its data is decoded', () => {
    const error = refusal(readModel(kerasZip({ 'model.weights.h5': fs.readFileSync(path.join(FIXTURES, 'lstm-chunked.weights.h5')) })));
    expect(error.message).toBe('hostile.keras: model.weights.h5: layers/lstm/cell/vars/0: expected contiguous storage (as Keras writes it), got chunked storage');
  });

  test('gzip-compressed chunks (jsfive would inflate each chunk with no bound) are refused', () => {
    const bare = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'lstm-gzip.weights.h5')));
    expect(refusal(() => readKerasWeightsOnly(bare, LSTM_SPEC, 'gzip.weights.h5')).message).toBe(
      'gzip.weights.h5: layers/lstm/cell/vars/0: expected contiguous storage (as Keras writes it), got chunked storage with 1 filter(s)',
    );
  });

  test('a B-tree whose nodes share children (2^40 visits): stopped within a second, not a hang', () => {
    const error = refusal(() => readKerasWeightsOnly(exponentialBTree(40), LSTM_SPEC, 'dag.weights.h5'));
    expect(error.message).toMatch(/^dag\.weights\.h5: expected a readable HDF5 file, got a structure still unread after \d+ ms of CPU \(cyclic or exploding B-tree\?\)$/);
  });

  test.each([
    ['NaN', 0, '[0,0]'],
    ['Infinity', 33, '[1,1]'],
    ['-Infinity', 127, '[3,31]'],
  ])('%s in the LSTM kernel (value %i) is refused, naming the dataset and the element', (value, at, index) => {
    const bytes = withKernelValue(at, Number(value));
    expect(refusal(readModel(kerasZip({ 'model.weights.h5': bytes }))).message).toBe(
      `hostile.keras: model.weights.h5: layers/lstm/cell/vars/0: expected finite values (NaN or Inf can never pass a check), got ${value} at ${index}`,
    );
  });

  test('random bytes after the HDF5 signature (seeded): a typed one-line error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4000 }), (rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        bytes.set(h5.subarray(0, 8));
        bytes.set(rest, 8);
        expect(refusal(() => readKerasWeightsOnly(bytes, LSTM_SPEC, 'random.weights.h5'))).toBeInstanceOf(FileFormatError);
      }),
      fuzzRuns(150),
    );
  });

  test('bytes overwritten anywhere in the HDF5 file (re-zipped, so the CRC holds): typed error or a read', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: h5.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = h5.slice();
        for (const [at, value] of edits) bytes[at] = value;
        const outcome = typedOrRead(() => readKerasWeightsOnly(bytes, LSTM_SPEC, 'mutated.weights.h5'), `edits ${JSON.stringify(edits)}`);
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
    expect(refusal(readModel(kerasZip({ 'config.json': deep }))).message).toBe('hostile.keras: config.json: expected JSON nested at most 64 deep, got deeper');
  });

  test.each<[string, string, string | RegExp]>([
    ['units 1e400 (JSON.parse reads Infinity)', '"units": 1e400', 'units: expected an integer from 1 to 4096, got Infinity'],
    ['units with 400 digits', `"units": ${'9'.repeat(400)}`, 'got Infinity'],
    ['units 2^53 + 2', '"units": 9007199254740994', 'got 9007199254740994'],
    ['units -0', '"units": -0', 'got 0'],
    ['units 8.0000000000000001 (parses as 8)', '"units": 8.0000000000000001', /./],
    ['an input of 10^9 time steps', '"batch_shape": [null, 1000000000, 4]', 'input shape timeSteps: expected an integer from 1 to 100000, got 1000000000'],
    ['an input dimension of 2^40', '"batch_shape": [null, 10, 1099511627776]', 'input shape inputDim: expected an integer from 1 to 65536, got 1099511627776'],
    ['a batch of 1e400', '"batch_shape": [1e400, 10, 4]', 'input shape batch: expected an integer from 1 to 65536, got Infinity'],
  ])('%s', (_what, replacement, message) => {
    const text = replacement.startsWith('"units"') ? configText.replace(/"units": ?8/, replacement) : configText.replace(/"batch_shape": ?\[null, 10, 4\]/, replacement);
    expect(text).not.toBe(configText);
    const bytes = kerasZip({ 'config.json': text });
    if (replacement.includes('8.0000000000000001')) {
      expect(readKerasModel(bytes, 'x.keras').spec.units).toBe(8);
      return;
    }
    const error = refusal(readModel(bytes));
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
  });

  test('a 1 MB value quoted in a message is cut to a short preview', () => {
    const config = JSON.parse(configText);
    config.config.layers[1].config.implementation = 'x'.repeat(2 ** 20);
    const error = refusal(readModel(kerasZip({ 'config.json': JSON.stringify(config) })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.length).toBeLessThan(300);
  });

  test('random JSON values at random places in config.json (seeded): a typed one-line error or a model', () => {
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      typeof value !== 'object' || value === null
        ? [prefix]
        : [prefix, ...(Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    const all = paths(JSON.parse(configText)).filter((p) => p.length > 0);
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.nat({ max: all.length - 1 }),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, 0, -1, 1e308, 2 ** 53, 4097, 'float64', 'LSTM', 'GRU', 'Dense', 'InputLayer', [null, null, null], [null, 10, 1e9], true)),
        (which, value) => {
          const config = JSON.parse(configText);
          const at = all[which];
          let parent = config;
          for (const key of at.slice(0, -1)) parent = parent[key];
          parent[at[at.length - 1]] = value;
          const outcome = typedOrRead(readModel(kerasZip({ 'config.json': JSON.stringify(config) })), `${at.join('.')} = ${JSON.stringify(value)}`);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        },
      ),
      fuzzRuns(200),
    );
    expect(outcomes.get('ConfigError')).toBeGreaterThan(0);
  });
});
