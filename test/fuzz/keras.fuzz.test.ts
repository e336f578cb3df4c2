/**
 * Hostile Keras files: a .keras zip (readKerasModel, readKerasFile), a bare .weights.h5
 * (readKerasWeightsOnly) and the CLI's --keras / --input / --expect. Each must get a typed error
 * (ConfigError, ShapeError or FileFormatError: exit code 2) with a one-line message within a second.
 *
 * Hostile files are built here from the committed lstm case (LSTM(8) + Dense(3) on D=4, T=10): zips by
 * test/fuzz/zip.ts, whose every field can lie; HDF5 files by editing bytes. The two chunked HDF5 files
 * in test/fuzz/fixtures were written by h5py (see fixtures/README.md): the one kind not made here.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { ConfigError, FileFormatError } from '../../src/errors';
import { readNpyFile, writeNpy } from '../../src/io/npy';
import { MAX_JSON_BYTES, MAX_INFLATE_RATIO, MAX_WEIGHTS_BYTES } from '../../src/keras/archive';
import { Hdf5File } from '../../src/keras/hdf5';
import { readKerasModel, readKerasWeightsOnly } from '../../src/keras/read';
import { validateSpec } from '../../src/spec';
import { expectCliRefusal, fuzzRuns, refusal, runCli, samplePrefixLengths, seededBytes, temporaryDirectory, typedOrRead } from './helpers';
import { crc32, deflated, makeZip, type ZipEntry } from './zip';

const LSTM_DIR = path.resolve(__dirname, '../../weights/keras/lstm');
const KERAS_FILE = path.join(LSTM_DIR, 'model.keras');
const FIXTURES = path.join(__dirname, 'fixtures');
const LSTM_SPEC = validateSpec({ cell: 'lstm', inputDim: 4, units: 8, denseUnits: 3 });

const whole = new Uint8Array(fs.readFileSync(KERAS_FILE));
const members = unzipSync(whole);
const configText = Buffer.from(members['config.json']).toString('utf8');
const h5 = members['model.weights.h5'];

/** The three members stored, in Keras's order, with `replace` swapped in. */
function kerasZip(replace: Partial<Record<'metadata.json' | 'config.json' | 'model.weights.h5', Uint8Array | string>> = {}): Uint8Array {
  const entry = (name: 'metadata.json' | 'config.json' | 'model.weights.h5'): ZipEntry => {
    const value = replace[name] ?? members[name];
    return { name, data: typeof value === 'string' ? new Uint8Array(Buffer.from(value)) : value };
  };
  return makeZip([entry('metadata.json'), entry('config.json'), entry('model.weights.h5')]);
}

/** A zip built from entries that replace or add to the three members. */
function zipWith(entries: (ZipEntry | 'metadata.json' | 'config.json' | 'model.weights.h5')[], options = {}): Uint8Array {
  return makeZip(entries.map((e) => (typeof e === 'string' ? { name: e, data: members[e] } : e)), options);
}

const readModel = (bytes: Uint8Array) => () => readKerasModel(bytes, 'hostile.keras');

test('the committed model and our own re-zip of it both read (each case below changes one thing)', () => {
  expect(readKerasModel(whole, 'lstm.keras').spec.units).toBe(8);
  expect(readKerasModel(kerasZip(), 'rezip.keras').spec.units).toBe(8);
  expect(readKerasModel(zipWith([deflated('metadata.json', members['metadata.json']), deflated('config.json', members['config.json']), deflated('model.weights.h5', h5)]), 'deflated.keras').spec.cell).toBe('lstm');
});

describe('truncated', () => {
  test(`the .keras cut at 300 of its ${whole.length} lengths (seeded sample, first and last few included)`, () => {
    for (const length of samplePrefixLengths(whole.length, 300, 11)) {
      expect(refusal(readModel(whole.subarray(0, length)), `cut to ${length}`)).toBeInstanceOf(FileFormatError);
    }
  });

  test(`model.weights.h5 cut at 300 of its ${h5.length} lengths, inside a whole zip`, () => {
    for (const length of samplePrefixLengths(h5.length, 300, 12)) {
      const error = refusal(readModel(kerasZip({ 'model.weights.h5': h5.subarray(0, length) })), `h5 cut to ${length}`);
      expect(error.message).toMatch(/^hostile\.keras: model\.weights\.h5: /);
    }
  });

  test('a bare .weights.h5 cut at 200 lengths', () => {
    for (const length of samplePrefixLengths(h5.length, 200, 13)) {
      refusal(() => readKerasWeightsOnly(h5.subarray(0, length), LSTM_SPEC, 'cut.weights.h5'), `bare h5 cut to ${length}`);
    }
  });

  test('a member whose data runs past the end of the file', () => {
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: h5, compressedSize: 0xfffffff0 }]);
    expect(refusal(readModel(bytes)).message).toMatch(/^hostile\.keras: model\.weights\.h5: expected 4294967280 compressed bytes from byte \d+, got \d+: truncated\?$/);
  });
});

describe('zip structure', () => {
  test.each<[string, () => Uint8Array, string | RegExp]>([
    ['a missing member', () => zipWith(['metadata.json', 'config.json']), 'expected model.weights.h5 in the zip, got only metadata.json, config.json'],
    ['no members at all', () => makeZip([]), 'expected config.json in the zip, got only no members'],
    ['an extra member', () => zipWith(['metadata.json', 'config.json', 'model.weights.h5', { name: 'assets/x.txt', data: new Uint8Array(1) }]), 'expected only config.json, metadata.json, model.weights.h5 in the zip, got "assets/x.txt"'],
    ['a member named __proto__', () => zipWith([{ name: '__proto__', data: new Uint8Array(1) }, 'metadata.json', 'config.json', 'model.weights.h5']), 'got "__proto__"'],
    ['a member named ../../etc/passwd', () => zipWith([{ name: '../../etc/passwd', data: new Uint8Array(1) }]), 'got "../../etc/passwd"'],
    ['a member twice', () => zipWith(['metadata.json', 'config.json', 'config.json', 'model.weights.h5']), 'expected one config.json in the zip, got two'],
    ['17 entries claimed', () => zipWith(['metadata.json', 'config.json', 'model.weights.h5'], { entries: 17 }), 'expected at most 16 zip members, got 17'],
    ['more entries claimed than written', () => zipWith(['metadata.json', 'config.json', 'model.weights.h5'], { entries: 5 }), /expected zip directory entry 3 at byte \d+, got the end of the directory: corrupt zip/],
    ['a zip64 marker', () => zipWith(['metadata.json'], { entries: 0xffff }), 'expected a zip without zip64 extensions'],
    ['a local header offset pointing elsewhere', () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], localOffset: 7 }]), /metadata\.json: expected a local zip header at byte 7, got other bytes: corrupt zip/],
    ['a local header offset past the end', () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], localOffset: 0xfffffff0 }]), 'expected a local zip header at byte 4294967280, got the end of the file'],
    ['an encrypted member', () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], flags: 0x801 }]), 'metadata.json: expected an unencrypted member, got an encrypted one'],
    ['bzip2 compression (method 12)', () => zipWith([{ name: 'config.json', data: members['config.json'], method: 12 }]), 'config.json: expected a stored or deflated member (method 0 or 8), got compression method 12'],
    ['a stored member whose sizes disagree', () => zipWith([{ name: 'config.json', data: members['config.json'], originalSize: 10 }]), /config\.json: expected 10 bytes \(as the zip declares\), got \d+: truncated\?/],
    ['a CRC that does not match (a flipped bit in stored data)', () => zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: h5, crc: (crc32(h5) ^ 1) >>> 0 }]), /model\.weights\.h5: expected CRC-32 [0-9a-f]{8} \(as the zip declares\), got [0-9a-f]{8}: corrupt$/],
    ['deflate data that is not deflate', () => zipWith([{ name: 'config.json', data: seededBytes(500, 3), method: 8, originalSize: 2000, crc: 0 }]), /config\.json: expected deflate data, got an error inflating it/],
    ['a 1 MiB zip comment (the end record searched only 64 KiB back)', () => zipWith(['metadata.json'], { comment: new Uint8Array(2 ** 20) }), 'got none: truncated, or not a zip'],
  ])('%s', (_what, build, message) => {
    const error = refusal(readModel(build()));
    expect(error).toBeInstanceOf(FileFormatError);
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
  });
});

describe('zip bombs: refused before inflating, or stopped at the declared size', () => {
  test(`a member declaring ${MAX_WEIGHTS_BYTES + 1} bytes (over the limit)`, () => {
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: h5, originalSize: MAX_WEIGHTS_BYTES + 1 }]);
    expect(refusal(readModel(bytes)).message).toBe(`hostile.keras: model.weights.h5: expected at most ${MAX_WEIGHTS_BYTES} bytes, got ${MAX_WEIGHTS_BYTES + 1}`);
  });

  test(`config.json declaring ${MAX_JSON_BYTES + 1} bytes`, () => {
    const bytes = zipWith([{ name: 'config.json', data: members['config.json'], originalSize: MAX_JSON_BYTES + 1 }]);
    expect(refusal(readModel(bytes)).message).toBe(`hostile.keras: config.json: expected at most ${MAX_JSON_BYTES} bytes, got ${MAX_JSON_BYTES + 1}`);
  });

  test(`an honest bomb under the size limit: 256 MiB of zeros in 256 KiB (ratio over ${MAX_INFLATE_RATIO}), refused before inflating`, () => {
    // The deflate stream of 256 MiB of zeros, built without allocating 256 MiB: deflate 1 MiB, whose
    // stream is a short header and a run of identical blocks; a real bomb is just as small.
    const size = 256 * 2 ** 20;
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: seededBytes(size / 1024, 5), method: 8, originalSize: size, crc: 0 }]);
    const before = process.memoryUsage().rss;
    expect(refusal(readModel(bytes)).message).toBe(
      `hostile.keras: model.weights.h5: expected at most ${MAX_INFLATE_RATIO} bytes per compressed byte, got ${size} bytes declared from ${size / 1024}: a zip bomb?`,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  test('a lying bomb: 64 MiB of zeros deflated (64 KiB) declared as 16340 bytes, stopped at the declared size', () => {
    const stream = zlib.deflateRawSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: stream, method: 8, originalSize: h5.length, crc: crc32(h5) }]);
    expect(refusal(readModel(bytes)).message).toBe(`hostile.keras: model.weights.h5: expected ${h5.length} bytes (as the zip declares), got more when inflated`);
  });

  test('a deflated member that inflates to less than declared', () => {
    const bytes = zipWith([deflated('config.json', members['config.json'], { originalSize: members['config.json'].length + 1 })]);
    expect(refusal(readModel(bytes)).message).toMatch(/config\.json: expected \d+ bytes \(as the zip declares\), got \d+: truncated\?$/);
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

  test('bytes overwritten in the .keras itself: the CRC refuses any change inside a member', () => {
    fc.assert(
      fc.property(fc.nat({ max: whole.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = whole.slice();
        bytes[at] ^= xor;
        typedOrRead(readModel(bytes), `byte ${at} ^ ${xor}`);
      }),
      fuzzRuns(300),
    );
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

describe('random bytes (seeded)', () => {
  test('anything at all as a .keras: a typed one-line error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expect(refusal(readModel(bytes))).toBeInstanceOf(FileFormatError);
      }),
      fuzzRuns(300),
    );
  });

  test('random bytes between a zip header and a valid-looking end record', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat({ max: 16 }), (body, entries) => {
        const end = Buffer.alloc(22);
        end.writeUInt32LE(0x06054b50, 0);
        end.writeUInt16LE(entries, 8);
        end.writeUInt16LE(entries, 10);
        end.writeUInt32LE(body.length, 12);
        const bytes = new Uint8Array(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(body), end]));
        expect(refusal(readModel(bytes))).toBeInstanceOf(FileFormatError);
      }),
      fuzzRuns(300),
    );
  });
});

describe('the CLI: exit code 2 and one line for every hostile file', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  beforeAll(() => {
    tmp = temporaryDirectory('keras-cli');
  });
  afterAll(() => tmp.remove());

  const write = (name: string, bytes: Uint8Array | string): string => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const input = readNpyFile(path.join(LSTM_DIR, 'input.npy'));
  const expected = readNpyFile(path.join(LSTM_DIR, 'expected.npy'));

  test.each<[string, () => string[], string | RegExp]>([
    ['a truncated .keras', () => ['--keras', write('cut.keras', whole.subarray(0, 9000))], 'cut.keras: expected a .keras zip (an end-of-central-directory record), got none'],
    ['a zip bomb', () => ['--keras', write('bomb.keras', zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: new Uint8Array(1000), method: 8, originalSize: 300 * 2 ** 20 }]))], 'a zip bomb?'],
    ['NaN weights', () => ['--keras', write('nan.keras', kerasZip({ 'model.weights.h5': withKernelValue(5, NaN) }))], 'layers/lstm/cell/vars/0: expected finite values (NaN or Inf can never pass a check), got NaN at [0,5]'],
    ['a deeply nested config.json', () => ['--keras', write('deep.keras', kerasZip({ 'config.json': `${'['.repeat(5000)}${']'.repeat(5000)}` }))], 'config.json: expected JSON nested at most 64 deep, got deeper'],
    ['a FIFO as --keras', () => { const fifo = path.join(tmp.dir, 'model.fifo'); execFileSync('mkfifo', [fifo]); return ['--keras', fifo]; }, 'model.fifo: expected a regular file, got a FIFO'],
    ['random bytes as --keras', () => ['--keras', write('random.keras', seededBytes(5000, 9))], 'random.keras: expected a .keras zip (50 4b 03 04) or an HDF5 .weights.h5 (89 48 44 46), got'],
    ['an all-NaN --input', () => ['--keras', KERAS_FILE, '--input', write('nan-input.npy', writeNpy({ shape: input.shape, data: new Float32Array(input.data.length).fill(NaN) }, 'float32'))], 'input (as float32, as both paths read it): expected finite values (NaN or Inf can never pass a check), got NaN at [0,0,0]'],
    ['a float64 --input past float32\'s range (Infinity once rounded)', () => ['--keras', KERAS_FILE, '--input', write('huge-input.npy', writeNpy({ shape: input.shape, data: Float64Array.from(input.data, (v, i) => (i === 7 ? 1e300 : v)) }, 'float64'))], 'input (as float32, as both paths read it): expected finite values (NaN or Inf can never pass a check), got Infinity at [0,1,3]'],
    ['an --expect with one Inf', () => ['--keras', KERAS_FILE, '--input', path.join(LSTM_DIR, 'input.npy'), '--expect', write('inf-expect.npy', writeNpy({ shape: expected.shape, data: Float32Array.from(expected.data, (v, i) => (i === 4 ? Infinity : v)) }, 'float32'))], 'expected output: expected finite values (NaN or Inf can never pass a check), got Infinity at [1,1]'],
    ['an int32 --input', () => ['--keras', KERAS_FILE, '--input', write('int.npy', Buffer.from(Buffer.from(writeNpy(input, 'float32')).toString('latin1').replace("'<f4'", "'<i4'"), 'latin1'))], "npy dtype: expected '<f4' or '<f8' (little-endian float32 or float64), got '<i4'"],
    ['a truncated --expect', () => ['--keras', KERAS_FILE, '--input', path.join(LSTM_DIR, 'input.npy'), '--expect', write('cut-expect.npy', fs.readFileSync(path.join(LSTM_DIR, 'expected.npy')).subarray(0, 140))], /cut-expect\.npy: npy data: expected \d+ bytes for shape \[\d+,3\] of '<f4', got \d+/],
    ['a FIFO as --input', () => { const fifo = path.join(tmp.dir, 'input.fifo'); execFileSync('mkfifo', [fifo]); return ['--keras', KERAS_FILE, '--input', fifo]; }, 'input.fifo: expected a regular file, got a FIFO'],
    ['an --input claiming 2^42 elements', () => ['--keras', KERAS_FILE, '--input', write('huge-shape.npy', npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576, 4), }"))], 'expected at most 67108864 (2^26) elements, got 4398046511104'],
  ])('%s', async (_what, args, message) => {
    const run = await runCli([...args(), '--backend', 'cpu']);
    expectCliRefusal(run, message);
  });

  test('the same hostile file with --json: one JSON error report, exit code 2', async () => {
    const run = await runCli(['--keras', write('cut2.keras', whole.subarray(0, 100)), '--backend', 'cpu', '--json']);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ pass: false, exitCode: 2, error: { type: 'FileFormatError' } });
  });
});

/** A version 1.0 .npy holding only a header with `dict`. */
function npyHeader(dict: string): Uint8Array {
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const out = Buffer.alloc(10 + headerLength, ' ');
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(headerLength, 8);
  out.write(dict, 10, 'latin1');
  out[10 + headerLength - 1] = 0x0a;
  return new Uint8Array(out);
}

/** The lstm h5 with its kernel's value `at` (row-major in [4, 32]) set to `value`. */
function withKernelValue(at: number, value: number): Uint8Array {
  const kernel = new Hdf5File(h5, 'lstm').readFloat32('layers/lstm/cell/vars/0', [4, 32]);
  const offset = Buffer.from(h5).indexOf(Buffer.from(kernel.buffer, kernel.byteOffset, kernel.byteLength));
  expect(offset).toBeGreaterThan(0);
  const bytes = h5.slice();
  new DataView(bytes.buffer).setFloat32(offset + 4 * at, value, true);
  return bytes;
}

/**
 * The lstm h5 with its root group's B-tree made `depth` levels deep, each node's two children the same
 * node one level down: 2^depth nodes to visit from a few hundred bytes. (h5py writes version-1 B-trees
 * of symbol-table nodes for groups: "TREE", type 0, level, entries used, siblings, then key/child pairs.)
 */
function exponentialBTree(depth: number): Uint8Array {
  const root = Buffer.from(h5).indexOf('TREE');
  const view = new DataView(h5.buffer, h5.byteOffset, h5.byteLength);
  const leaf = Number(view.getBigUint64(root + 24 + 8, true)); // the root's one symbol-table node
  const node = (level: number, child: number) => {
    const out = Buffer.alloc(24 + 2 * 16 + 8);
    out.write('TREE', 0, 'latin1');
    out.writeUInt8(0, 4);
    out.writeUInt8(level, 5);
    out.writeUInt16LE(2, 6);
    out.writeBigUInt64LE(0xffffffffffffffffn, 8);
    out.writeBigUInt64LE(0xffffffffffffffffn, 16);
    out.writeBigUInt64LE(BigInt(child), 24 + 8);
    out.writeBigUInt64LE(BigInt(child), 24 + 16 + 8);
    return out;
  };
  const size = node(0, 0).length;
  const at = (level: number) => h5.length + (depth - 1 - level) * size;
  const appended = Array.from({ length: depth }, (_, i) => depth - 1 - i).map((level) => node(level, level > 0 ? at(level - 1) : leaf));
  const bytes = new Uint8Array(Buffer.concat([Buffer.from(h5), ...appended]));
  bytes.set(node(depth, at(depth - 1)), root);
  return bytes;
}
