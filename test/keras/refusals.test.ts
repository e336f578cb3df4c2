/**
 * What the importer refuses, each with its typed error naming the thing: unsupported architectures
 * (ConfigError), weights whose shape the config does not imply (ShapeError), and files that are not
 * what they claim (FileFormatError: one line, quickly). Every hostile file is built here from a
 * committed case (config.json edited, a member dropped, bytes cut or replaced); none is committed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { ConfigError, FileFormatError, ShapeError } from '../../src/errors';
import { readKerasFile, readKerasModel, readKerasWeightsOnly } from '../../src/keras/read';
import { validateSpec } from '../../src/spec';
import { editedKeras, KERAS_DIR, layerConfig, pseudoRandomBytes, readMembers, type KerasMembers } from './helpers';

type ErrorClass = typeof ConfigError | typeof ShapeError | typeof FileFormatError;

/** Asserts that reading `bytes` throws `type` with a one-line message matching `message`, within seconds. */
function expectRefused(bytes: Uint8Array, type: ErrorClass, message: string | RegExp): void {
  const start = performance.now();
  let caught: unknown;
  try {
    readKerasModel(bytes, 'hostile.keras');
  } catch (error) {
    caught = error;
  }
  // Generous for a loaded machine: a read of these files takes 2-50 ms; a hang or a 4 GiB allocation would not.
  expect(performance.now() - start).toBeLessThan(5000);
  expect(caught).toBeInstanceOf(type);
  const text = (caught as Error).message;
  expect(text).not.toContain('\n');
  if (typeof message === 'string') expect(text).toContain(message);
  else expect(text).toMatch(message);
}

const lstmBytes = () => new Uint8Array(fs.readFileSync(path.join(KERAS_DIR, 'lstm', 'model.keras')));

describe('architectures outside ModelSpec: ConfigError naming the layer and the option', () => {
  test.each<[string, string, (k: KerasMembers) => void, string | RegExp]>([
    ['an unsupported layer (Dropout)', 'lstm', ({ config }) => {
      config.config.layers.splice(2, 0, { module: 'keras.layers', class_name: 'Dropout', config: { name: 'dropout', rate: 0.5 }, registered_name: null });
    }, 'layer 2 "dropout" (Dropout): expected SimpleRNN, LSTM, GRU or a final Dense, got "Dropout"'],
    ['a Bidirectional wrapper', 'lstm', ({ config }) => {
      config.config.layers[1].class_name = 'Bidirectional';
    }, 'got "Bidirectional"'],
    ['a class name that is an Object.prototype key', 'lstm', ({ config }) => {
      config.config.layers[1].class_name = 'constructor';
    }, 'got "constructor"'],
    ['a recurrent_activation that is an Object.prototype key', 'lstm', ({ config }) => { layerConfig(config, 1).recurrent_activation = 'toString'; }, 'recurrent_activation: expected sigmoid or hard_sigmoid, got "toString"'],
    ['stateful', 'lstm', ({ config }) => { layerConfig(config, 1).stateful = true; }, 'layer 1 "lstm" (LSTM) stateful: expected false'],
    ['dropout', 'lstm', ({ config }) => { layerConfig(config, 1).dropout = 0.2; }, 'layer 1 "lstm" (LSTM) dropout: expected 0 (the only value both paths implement), got 0.2'],
    ['recurrent_dropout', 'gru-reset-after', ({ config }) => { layerConfig(config, 1).recurrent_dropout = 0.1; }, '(GRU) recurrent_dropout: expected 0'],
    ['use_bias false', 'simple-rnn-relu', ({ config }) => { layerConfig(config, 1).use_bias = false; }, '(SimpleRNN) use_bias: expected true'],
    ['unroll', 'lstm', ({ config }) => { layerConfig(config, 1).unroll = true; }, 'unroll: expected false'],
    ['return_state', 'lstm', ({ config }) => { layerConfig(config, 1).return_state = true; }, 'return_state: expected false'],
    ['a Dense activation other than linear', 'lstm', ({ config }) => { layerConfig(config, 2).activation = 'relu'; }, 'layer 2 "dense" (Dense) activation: expected "linear" (the only value both paths implement), got "relu"'],
    ['a cell activation outside tanh/relu/sigmoid/linear', 'simple-rnn-relu', ({ config }) => { layerConfig(config, 1).activation = 'gelu'; }, 'activation: expected one of tanh, relu, sigmoid, linear, got "gelu"'],
    ['a recurrent_activation outside sigmoid/hard_sigmoid', 'lstm', ({ config }) => { layerConfig(config, 1).recurrent_activation = 'tanh'; }, 'recurrent_activation: expected sigmoid or hard_sigmoid, got "tanh"'],
    ['an option rnn-parity does not know', 'lstm', ({ config }) => { layerConfig(config, 1).implementation = 2; }, '(LSTM) implementation: expected only options rnn-parity understands, got implementation = 2'],
    ['mixed cells', 'stack-simple-rnn', ({ config }) => { config.config.layers[2].class_name = 'LSTM'; }, 'layer 2 "simple_rnn_1" (LSTM): expected SimpleRNN like layer 1 "simple_rnn" (SimpleRNN) (one cell kind per model), got LSTM'],
    ['a GRU option on an LSTM', 'stack-lstm', ({ config }) => { config.config.layers[2].class_name = 'GRU'; }, 'layer 2 "lstm_1" (GRU) unit_forget_bias: expected only options rnn-parity understands'],
    ['mixed units', 'stack-lstm', ({ config }) => { layerConfig(config, 2).units = 7; }, 'layer 2 "lstm_1" (LSTM) units: expected 6 like every recurrent layer'],
    ['a lower layer not returning sequences', 'stack-simple-rnn', ({ config }) => { layerConfig(config, 1).return_sequences = false; }, 'return_sequences: expected true below another recurrent layer, got false'],
    ['mixed go_backwards', 'stack-simple-rnn', ({ config }) => { layerConfig(config, 2).go_backwards = true; }, 'go_backwards: expected false like every recurrent layer'],
    ['a float16 dtype policy', 'lstm', ({ config }) => { layerConfig(config, 1).dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } }; }, 'layer 1 "lstm" (LSTM) dtype: expected float32, got "mixed_float16"'],
    ['a float64 Dense', 'lstm', ({ config }) => { layerConfig(config, 2).dtype = 'float64'; }, 'layer 2 "dense" (Dense) dtype: expected float32, got "float64"'],
    ['a custom (registered) layer', 'lstm', ({ config }) => { config.config.layers[1].registered_name = 'my_package>LSTM'; }, 'expected a built-in Keras layer (registered_name null), got "my_package>LSTM"'],
    ['a Functional model', 'lstm', ({ config }) => { config.class_name = 'Functional'; }, 'expected a Sequential model, got "Functional"'],
    ['a second Dense', 'lstm', ({ config }) => { config.config.layers.push(config.config.layers[2]); }, 'expected the Dense head to be the last layer'],
    ['no recurrent layer', 'lstm', ({ config }) => { config.config.layers.splice(1, 1); }, 'expected [InputLayer,] recurrent layers then one Dense, got [InputLayer, Dense]'],
    ['units past the limit', 'lstm', ({ config }) => { layerConfig(config, 1).units = 5000; }, 'layer 1 "lstm" (LSTM) units: expected an integer from 1 to 4096, got 5000'],
    ['a sparse input', 'lstm', ({ config }) => { layerConfig(config, 0).sparse = true; }, '(InputLayer) sparse: expected false'],
  ])('%s', (_what, caseName, edit, message) => {
    expectRefused(editedKeras(caseName, edit), ConfigError, message);
  });
});

describe('weights whose shape the config does not imply: ShapeError naming the dataset, before any data is read', () => {
  test.each<[string, string, (k: KerasMembers) => void, string]>([
    ['LSTM units 8 -> 7', 'lstm', ({ config }) => { layerConfig(config, 1).units = 7; }, 'layers/lstm/cell/vars/0: expected shape [4,28], got [4,32]'],
    ['input dimension 4 -> 5', 'lstm', ({ config }) => { layerConfig(config, 0).batch_shape = [null, 10, 5]; }, 'layers/lstm/cell/vars/0: expected shape [5,32], got [4,32]'],
    ['Dense units 3 -> 4', 'lstm', ({ config }) => { layerConfig(config, 2).units = 4; }, 'layers/dense/vars/0: expected shape [8,4], got [8,3]'],
    ['GRU reset_after true -> false', 'gru-reset-after', ({ config }) => { layerConfig(config, 1).reset_after = false; }, 'layers/gru/cell/vars/2: expected shape [18], got [2,18]'],
    ['GRU reset_after false -> true', 'gru-reset-before', ({ config }) => { layerConfig(config, 1).reset_after = true; }, 'layers/gru/cell/vars/2: expected shape [2,18], got [18]'],
  ])('%s', (_what, caseName, edit, message) => {
    expectRefused(editedKeras(caseName, edit), ShapeError, message);
  });

  test("another model's weights (an LSTM config with a GRU's model.weights.h5): FileFormatError naming the groups", () => {
    const gru = readMembers(path.join(KERAS_DIR, 'gru-reset-after', 'model.keras'));
    const bytes = editedKeras('lstm', ({ members }) => {
      members['model.weights.h5'] = gru.members['model.weights.h5'];
    });
    expectRefused(bytes, FileFormatError, 'hostile.keras: model.weights.h5: layers: expected the groups of 1 x lstm(8) + dense(3) (lstm, dense), got dense, gru');
  });

  test('a bare .weights.h5 read with the wrong spec is refused, not reinterpreted', () => {
    const { members } = readMembers(path.join(KERAS_DIR, 'stack-lstm', 'model.keras'));
    const oneLayer = validateSpec({ cell: 'lstm', inputDim: 4, units: 6, denseUnits: 3 });
    expect(() => readKerasWeightsOnly(members['model.weights.h5'], oneLayer, 'x.weights.h5')).toThrow(
      new FileFormatError('x.weights.h5: layers: expected the groups of 1 x lstm(6) + dense(3) (lstm, dense), got dense, lstm, lstm_1'),
    );
    const wideUnits = validateSpec({ cell: 'lstm', inputDim: 4, units: 7, denseUnits: 3, layers: 2 });
    expect(() => readKerasWeightsOnly(members['model.weights.h5'], wideUnits, 'x.weights.h5')).toThrow(ShapeError);
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
    const { members } = readMembers(path.join(KERAS_DIR, 'lstm', 'model.keras'));
    const { 'config.json': _dropped, ...rest } = members;
    expectRefused(zipSync(rest, { level: 0 }), FileFormatError, 'expected config.json in the zip');
  });

  test('a member that a Keras 3 Sequential of these layers never has', () => {
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
    const { members } = readMembers(path.join(KERAS_DIR, 'lstm', 'model.keras'));
    const bytes = zipSync({ ...members, 'config.json': new Uint8Array(Buffer.from('{"class_name": "Seq')) }, { level: 0 });
    expectRefused(bytes, FileFormatError, /hostile\.keras: config\.json: expected UTF-8 JSON, got a parse error/);
  });

  test.each([0, 1, 21, 100, 1000, 5000, 10000, 19000, 'all but 1'])('the .keras truncated to %s bytes', (keep) => {
    const whole = lstmBytes();
    const length = keep === 'all but 1' ? whole.length - 1 : (keep as number);
    expectRefused(whole.subarray(0, length), FileFormatError, /hostile\.keras: expected a \.keras zip \(an end-of-central-directory record\), got none: truncated, or not a zip/);
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

  test('seeded byte corruption anywhere: a typed one-line error or a successful read, never a crash or a hang', () => {
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
        readKerasModel(bytes, 'fuzzed.keras');
      } catch (error) {
        expect([ConfigError, ShapeError, FileFormatError].some((type) => error instanceof type)).toBe(true);
        expect((error as Error).message).not.toContain('\n');
        outcome = (error as Error).name;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(performance.now() - start).toBeLessThan(60000); // about 4 s on an idle machine
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });
});

describe('files on disk', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-keras-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a missing file, a directory, an empty file and a .npy are FileFormatErrors naming the path', () => {
    const empty = path.join(dir, 'empty.keras');
    fs.writeFileSync(empty, '');
    expect(() => readKerasFile(path.join(dir, 'missing.keras'))).toThrow(new FileFormatError(`${path.join(dir, 'missing.keras')}: expected a readable Keras file, got ENOENT`));
    expect(() => readKerasFile(dir)).toThrow(new FileFormatError(`${dir}: expected a regular file, got a directory`));
    expect(() => readKerasFile(empty)).toThrow(new FileFormatError(`${empty}: expected a .keras zip (50 4b 03 04) or an HDF5 .weights.h5 (89 48 44 46), got an empty file`));
    expect(() => readKerasFile(path.join(KERAS_DIR, 'lstm', 'input.npy'))).toThrow(/input\.npy: expected a \.keras zip .* got 93 4e 55 4d$/);
  });

  test('a FIFO is refused at once, not waited on', () => {
    const fifo = path.join(dir, 'pipe.keras');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const start = performance.now();
    expect(() => readKerasFile(fifo)).toThrow(new FileFormatError(`${fifo}: expected a regular file, got a FIFO`));
    expect(performance.now() - start).toBeLessThan(5000);
  });

  test('a bare .weights.h5 needs a spec, and a .keras refuses one', () => {
    const h5 = path.join(dir, 'lstm.weights.h5');
    fs.writeFileSync(h5, readMembers(path.join(KERAS_DIR, 'lstm', 'model.keras')).members['model.weights.h5']);
    expect(() => readKerasFile(h5)).toThrow(new FileFormatError(`${h5}: expected a .keras zip (a bare .weights.h5 holds no architecture; give a spec), got an HDF5 file`));
    expect(() => readKerasFile(path.join(KERAS_DIR, 'lstm', 'model.keras'), { spec: validateSpec({}) })).toThrow(ConfigError);
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
