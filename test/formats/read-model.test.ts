/**
 * readModelFile: the format found from the content (never the name), each reader reached, and a clear
 * one-line error for whatever is none of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, FileFormatError } from '../../src/errors';
import { readKerasZip } from '../../src/formats/keras-model';
import { readModelFile } from '../../src/formats/read-model';
import { readArchitecture } from '../../src/graph/read-config';
import { readKerasArchive, WEIGHTS_MEMBER } from '../../src/keras/archive';
import type { Blocker } from '../../src/layers/read-context';
import { expectForwardMatches, fixtureExpected, fixtureInputs, LEGACY_DIR, ROOT } from './helpers';

const KERAS_CASE = path.join(ROOT, 'models', 'keras', 'lstm');
const KERAS_FILE = path.join(KERAS_CASE, 'model.keras');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-read-model-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Copies `from` to tmp/`name` (any name: the content decides). */
function copyAs(from: string, name: string): string {
  const to = path.join(tmp, name);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  return to;
}

function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    expect((error as Error).message.split('\n')).toHaveLength(1);
    return error as Error;
  }
  throw new Error('expected an error');
}

test('a .keras zip, whatever its name, and a folder holding model.keras', () => {
  const direct = readKerasZip(new Uint8Array(fs.readFileSync(KERAS_FILE)), KERAS_FILE);
  const renamed = readModelFile(copyAs(KERAS_FILE, 'renamed.bin'));
  expect(renamed.format).toBe('keras');
  expect(renamed.model).toEqual(direct.model);
  copyAs(KERAS_FILE, 'keras-folder/model.keras');
  expect(readModelFile(path.join(tmp, 'keras-folder')).model).toEqual(direct.model);
  expectForwardMatches(renamed.model, fixtureInputs(KERAS_CASE), fixtureExpected(KERAS_CASE));
});

test('a legacy .h5, whatever its name', () => {
  const read = readModelFile(copyAs(path.join(LEGACY_DIR, 'keras3-stack', 'model.h5'), 'legacy.keras'));
  expect(read.format).toBe('h5');
  expect(read.model.layers.map((l) => l.kind)).toEqual(['lstm', 'simple-rnn', 'gru', 'dense']);
});

describe('a Keras 3 weights-only .weights.h5', () => {
  const archive = readKerasArchive(new Uint8Array(fs.readFileSync(KERAS_FILE)), KERAS_FILE);
  const architecture = readArchitecture(archive.config, 'keras', [] as Blocker[]);
  let file: string;
  beforeAll(() => {
    file = path.join(tmp, 'model.weights.h5');
    fs.writeFileSync(file, archive.weights);
  });

  test('reads with the architecture given (as a value or a function), as the .keras file does', () => {
    const whole = readModelFile(KERAS_FILE);
    const byValue = readModelFile(file, { architecture });
    expect(byValue.format).toBe('weights.h5');
    expect(byValue.model).toEqual(whole.model);
    let calls = 0;
    expect(readModelFile(file, { architecture: () => (calls++, architecture) }).model).toEqual(whole.model);
    expect(calls).toBe(1);
    // the function is not called for a file that carries its own architecture
    readModelFile(KERAS_FILE, { architecture: () => (calls++, architecture) });
    expect(calls).toBe(1);
  });

  test('without an architecture: a ConfigError saying one is needed', () => {
    const error = errorOf(() => readModelFile(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${file}: expected an architecture for a weights-only HDF5 file (a Keras 3 .weights.h5 holds none; give one, e.g. by architecture flags), got none`,
    );
  });

  test(`the ${WEIGHTS_MEMBER} of another architecture is refused naming the group`, () => {
    const other = readArchitecture(
      {
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'InputLayer', config: { batch_shape: [null, 5, 2] } },
            { class_name: 'GRU', config: { name: 'g', units: 3 } },
          ],
        },
      },
      'keras',
      [],
    );
    const error = errorOf(() => readModelFile(file, { architecture: other }));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: expected a group layers/gru`));
  });
});

describe('clear errors', () => {
  test('a path that does not exist', () => {
    const missing = path.join(tmp, 'nope', 'model.keras');
    const error = errorOf(() => readModelFile(missing));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${missing}: expected a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras, got ENOENT`,
    );
  });

  test('a folder without model.json or model.keras', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    expect(errorOf(() => readModelFile(empty)).message).toBe(`${empty}: expected a folder holding model.json (tfjs) or model.keras, got an empty folder`);
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'weights.bin'), '');
    fs.writeFileSync(path.join(other, 'model.h5'), '');
    const error = errorOf(() => readModelFile(other));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toBe(`${other}: expected a folder holding model.json (tfjs) or model.keras, got a folder of model.h5, weights.bin`);
  });

  test('an unknown signature, and an empty file', () => {
    const png = path.join(tmp, 'model.h5');
    fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    const error = errorOf(() => readModelFile(png));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toBe(
      `${png}: expected a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras (signatures 50 4b 03 04, 89 48 44 46 or '{'), got 89 50 4e 47 0d 0a 1a 0a`,
    );
    const empty = path.join(tmp, 'empty.keras');
    fs.writeFileSync(empty, '');
    expect(errorOf(() => readModelFile(empty)).message).toMatch(/empty\.keras: expected .*, got an empty file$/);
  });

  test('JSON that is not a tfjs model.json', () => {
    const json = path.join(tmp, 'config.json');
    fs.writeFileSync(json, '  {"class_name": "Sequential"}');
    const error = errorOf(() => readModelFile(json));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toBe(`${json}: expected a tfjs model.json with modelTopology and weightsManifest, got keys ["class_name"]`);
  });

  test('a truncated HDF5 file', () => {
    const bytes = fs.readFileSync(path.join(LEGACY_DIR, 'bad', 'good.h5'));
    const cut = path.join(tmp, 'cut.h5');
    fs.writeFileSync(cut, bytes.subarray(0, 3000));
    const error = errorOf(() => readModelFile(cut));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message.startsWith(`${cut}: `)).toBe(true);
  });
});
