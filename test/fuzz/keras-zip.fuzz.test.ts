/**
 * Hostile .keras zips: readKerasZip (what readModelFile calls for a zip), readModelFile on the same bytes
 * written to a file, and the CLI's --keras / --input / --expect. Each must get a typed error (ConfigError,
 * ShapeError or FileFormatError: exit code 2) with a one-line message naming the file, within a second.
 * The zip's own structure is fuzzed here; what is inside it (model.weights.h5, config.json) in
 * keras-h5.fuzz.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { FileFormatError } from '../../src/errors';
import { readNpyFile, writeNpy } from '../../src/io/npy';
import { MAX_JSON_BYTES, MAX_INFLATE_RATIO, MAX_WEIGHTS_BYTES } from '../../src/keras/archive';
import { readKerasZip } from '../../src/formats/keras-model';
import { readModelFile } from '../../src/formats/read-model';
import { expectCliRefusal, fuzzRuns, samplePrefixLengths, seededBytes, temporaryDirectory } from './helpers';
import { runCli } from '../helpers/run-cli';
import { h5, HOSTILE, KERAS_FILE, kerasZip, LSTM_DIR, members, npyHeader, readModel, whole, withKernelValue, zipWith } from './keras-cases';
import { modelRefusal, modelTypedOrRead } from './model-errors';

/** refusal and typedOrRead for a hostile .keras read as 'hostile.keras'. */
const refusal = (read: () => unknown, what?: string) => modelRefusal(read, HOSTILE, what);
const typedOrRead = (read: () => unknown, what?: string) => modelTypedOrRead(read, HOSTILE, what);
const unitsOf = (bytes: Uint8Array, label: string) => (readKerasZip(bytes, label).model.layers[0].config as { units: number }).units;
import { crc32, deflated, makeZip } from './zip';

test('the committed model and our own re-zip of it both read (each case below changes one thing)', () => {
  expect(unitsOf(whole, 'lstm.keras')).toBe(8);
  expect(unitsOf(kerasZip(), 'rezip.keras')).toBe(8);
  const inflated = readKerasZip(
    zipWith([deflated('metadata.json', members['metadata.json']), deflated('config.json', members['config.json']), deflated('model.weights.h5', h5)]),
    'deflated.keras',
  );
  expect(inflated.model.layers.map((l) => l.kind)).toEqual(['lstm', 'dense']);
  expect(inflated.model).toEqual(readModelFile(KERAS_FILE).model);
});

describe('truncated', () => {
  test(`the .keras cut at 300 of its ${whole.length} lengths (seeded sample, first and last few included)`, () => {
    for (const length of samplePrefixLengths(whole.length, 300, 11)) {
      expect(refusal(readModel(whole.subarray(0, length)), `cut to ${length}`)).toBeInstanceOf(FileFormatError);
    }
  });

  test('a member whose data runs past the end of the file', () => {
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: h5, compressedSize: 0xfffffff0 }]);
    expect(refusal(readModel(bytes)).message).toMatch(
      /^hostile\.keras: model\.weights\.h5: expected 4294967280 compressed bytes from byte \d+, got \d+: truncated\?$/,
    );
  });
});

describe('zip structure', () => {
  test.each<[string, () => Uint8Array, string | RegExp]>([
    ['a missing member', () => zipWith(['metadata.json', 'config.json']), 'expected model.weights.h5 in the zip, got only metadata.json, config.json'],
    ['no members at all', () => makeZip([]), 'expected config.json in the zip, got only no members'],
    [
      'an extra member',
      () => zipWith(['metadata.json', 'config.json', 'model.weights.h5', { name: 'assets/x.txt', data: new Uint8Array(1) }]),
      'expected only config.json, metadata.json, model.weights.h5 in the zip, got "assets/x.txt"',
    ],
    [
      'a member named __proto__',
      () => zipWith([{ name: '__proto__', data: new Uint8Array(1) }, 'metadata.json', 'config.json', 'model.weights.h5']),
      'got "__proto__"',
    ],
    ['a member named ../../etc/passwd', () => zipWith([{ name: '../../etc/passwd', data: new Uint8Array(1) }]), 'got "../../etc/passwd"'],
    ['a member twice', () => zipWith(['metadata.json', 'config.json', 'config.json', 'model.weights.h5']), 'expected one config.json in the zip, got two'],
    ['17 entries claimed', () => zipWith(['metadata.json', 'config.json', 'model.weights.h5'], { entries: 17 }), 'expected at most 16 zip members, got 17'],
    [
      'more entries claimed than written',
      () => zipWith(['metadata.json', 'config.json', 'model.weights.h5'], { entries: 5 }),
      /expected zip directory entry 3 at byte \d+, got the end of the directory: corrupt zip/,
    ],
    ['a zip64 marker', () => zipWith(['metadata.json'], { entries: 0xffff }), 'expected a zip without zip64 extensions'],
    [
      'a local header offset pointing elsewhere',
      () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], localOffset: 7 }]),
      /metadata\.json: expected a local zip header at byte 7, got other bytes: corrupt zip/,
    ],
    [
      'a local header offset past the end',
      () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], localOffset: 0xfffffff0 }]),
      'expected a local zip header at byte 4294967280, got the end of the file',
    ],
    [
      'an encrypted member',
      () => zipWith([{ name: 'metadata.json', data: members['metadata.json'], flags: 0x801 }]),
      'metadata.json: expected an unencrypted member, got an encrypted one',
    ],
    [
      'bzip2 compression (method 12)',
      () => zipWith([{ name: 'config.json', data: members['config.json'], method: 12 }]),
      'config.json: expected a stored or deflated member (method 0 or 8), got compression method 12',
    ],
    [
      'a stored member whose sizes disagree',
      () => zipWith([{ name: 'config.json', data: members['config.json'], originalSize: 10 }]),
      /config\.json: expected 10 bytes \(as the zip declares\), got \d+: truncated\?/,
    ],
    [
      'a CRC that does not match (a flipped bit in stored data)',
      () => zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: h5, crc: (crc32(h5) ^ 1) >>> 0 }]),
      /model\.weights\.h5: expected CRC-32 [0-9a-f]{8} \(as the zip declares\), got [0-9a-f]{8}: corrupt$/,
    ],
    [
      'deflate data that is not deflate',
      () => zipWith([{ name: 'config.json', data: seededBytes(500, 3), method: 8, originalSize: 2000, crc: 0 }]),
      /config\.json: expected deflate data, got an error inflating it/,
    ],
    [
      'a 1 MiB zip comment (the end record searched only 64 KiB back)',
      () => zipWith(['metadata.json'], { comment: new Uint8Array(2 ** 20) }),
      'got none: truncated, or not a zip',
    ],
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
    expect(refusal(readModel(bytes)).message).toBe(
      `hostile.keras: model.weights.h5: expected at most ${MAX_WEIGHTS_BYTES} bytes, got ${MAX_WEIGHTS_BYTES + 1}`,
    );
  });

  test(`config.json declaring ${MAX_JSON_BYTES + 1} bytes`, () => {
    const bytes = zipWith([{ name: 'config.json', data: members['config.json'], originalSize: MAX_JSON_BYTES + 1 }]);
    expect(refusal(readModel(bytes)).message).toBe(`hostile.keras: config.json: expected at most ${MAX_JSON_BYTES} bytes, got ${MAX_JSON_BYTES + 1}`);
  });

  test(`an honest bomb under the size limit: 256 MiB of zeros in 256 KiB (ratio over ${MAX_INFLATE_RATIO}), refused before inflating`, () => {
    // The deflate stream of 256 MiB of zeros, built without allocating 256 MiB: deflate 1 MiB, whose
    // stream is a short header and a run of identical blocks; a real bomb is just as small.
    const size = 256 * 2 ** 20;
    const bytes = zipWith([
      'metadata.json',
      'config.json',
      { name: 'model.weights.h5', data: seededBytes(size / 1024, 5), method: 8, originalSize: size, crc: 0 },
    ]);
    const before = process.memoryUsage().rss;
    expect(refusal(readModel(bytes)).message).toBe(
      `hostile.keras: model.weights.h5: expected at most ${MAX_INFLATE_RATIO} bytes per compressed byte, got ${size} bytes declared from ${size / 1024}: a zip bomb?`,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  test('a lying bomb: 16 MiB of zeros deflated (16 KiB) declared as 16340 bytes, stopped at the declared size', () => {
    // Before, inflating went on to the end of the stream: 100 MB of work from a 100 KB member took 1 s.
    const stream = zlib.deflateRawSync(Buffer.alloc(16 * 2 ** 20), { level: 9 });
    const bytes = zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: stream, method: 8, originalSize: h5.length, crc: crc32(h5) }]);
    expect(refusal(readModel(bytes)).message).toBe(
      `hostile.keras: model.weights.h5: expected ${h5.length} bytes (as the zip declares), got more when inflated`,
    );
  });

  test('a deflated member that inflates to less than declared', () => {
    const bytes = zipWith([deflated('config.json', members['config.json'], { originalSize: members['config.json'].length + 1 })]);
    expect(refusal(readModel(bytes)).message).toMatch(/config\.json: expected \d+ bytes \(as the zip declares\), got \d+: truncated\?$/);
  });
});

describe('random bytes (seeded)', () => {
  test('a byte changed anywhere in the .keras: a typed error or a read; inside a member, always its CRC', () => {
    const ranges = Object.entries(members).map(([name, data]) => {
      const start = Buffer.from(whole).indexOf(Buffer.from(data));
      return { name, start, end: start + data.length };
    });
    expect(ranges.every((r) => r.start > 0)).toBe(true);
    fc.assert(
      fc.property(fc.nat({ max: whole.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = whole.slice();
        bytes[at] ^= xor;
        const inside = ranges.find((r) => at >= r.start && at < r.end);
        if (inside) {
          expect(refusal(readModel(bytes), `byte ${at} ^ ${xor}`).message).toMatch(
            new RegExp(
              `^hostile\\.keras: ${inside.name.replace('.', '\\.')}: expected CRC-32 [0-9a-f]{8} \\(as the zip declares\\), got [0-9a-f]{8}: corrupt$`,
            ),
          );
        } else {
          typedOrRead(readModel(bytes), `byte ${at} ^ ${xor}`);
        }
      }),
      fuzzRuns(300),
    );
  });

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

describe('readModelFile on hostile bytes written to disk: the format sniffed from the content, then its reader', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  beforeAll(() => {
    tmp = temporaryDirectory('keras-sniff');
  });
  afterAll(() => tmp.remove());

  test('random bytes behind each signature (zip, HDF5, JSON, none): a typed error naming the path', () => {
    const file = () => path.join(tmp.dir, 'model.bin');
    const signatures = [[0x50, 0x4b, 0x03, 0x04], [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], [0x7b], [0x20, 0x0a, 0x7b, 0x22], []];
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(fc.nat({ max: signatures.length - 1 }), fc.uint8Array({ maxLength: 3000 }), (which, rest) => {
        fs.writeFileSync(file(), Buffer.concat([Buffer.from(signatures[which]), Buffer.from(rest)]));
        const error = modelRefusal(() => readModelFile(file()), file(), `signature ${which}, ${rest.length} random bytes`);
        outcomes.set(error.name, (outcomes.get(error.name) ?? 0) + 1);
      }),
      fuzzRuns(300),
    );
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
  });

  test('the committed .keras with one byte changed, read from disk: a typed error naming the path, or a read', () => {
    const file = path.join(tmp.dir, 'flipped.keras');
    fc.assert(
      fc.property(fc.nat({ max: whole.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = whole.slice();
        bytes[at] ^= xor;
        fs.writeFileSync(file, bytes);
        modelTypedOrRead(() => readModelFile(file), file, `byte ${at} ^ ${xor}`);
      }),
      fuzzRuns(100),
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
    [
      'a truncated .keras',
      () => ['--keras', write('cut.keras', whole.subarray(0, 9000))],
      'cut.keras: expected a .keras zip (an end-of-central-directory record), got none',
    ],
    [
      'a truncated bare .weights.h5 with its architecture flags',
      () => [
        '--keras',
        write('cut.weights.h5', h5.subarray(0, 3000)),
        '--cell',
        'lstm',
        '--units',
        '8',
        '--features',
        '4',
        '--timesteps',
        '10',
        '--outputs',
        '3',
      ],
      /cut\.weights\.h5: expected a readable HDF5 file, got /,
    ],
    [
      'NaN in a bare .weights.h5',
      () => [
        '--keras',
        write('nan.weights.h5', withKernelValue(5, NaN)),
        '--cell',
        'lstm',
        '--units',
        '8',
        '--features',
        '4',
        '--timesteps',
        '10',
        '--outputs',
        '3',
      ],
      'nan.weights.h5: layer 1 "lstm" (LSTM) kernel: expected finite values (NaN or Inf can never pass a check), got NaN at [0,5]',
    ],
    [
      'a zip bomb',
      () => [
        '--keras',
        write(
          'bomb.keras',
          zipWith(['metadata.json', 'config.json', { name: 'model.weights.h5', data: new Uint8Array(1000), method: 8, originalSize: 300 * 2 ** 20 }]),
        ),
      ],
      'a zip bomb?',
    ],
    [
      'NaN weights',
      () => ['--keras', write('nan.keras', kerasZip({ 'model.weights.h5': withKernelValue(5, NaN) }))],
      'nan.keras: layer 1 "lstm" (LSTM) kernel: expected finite values (NaN or Inf can never pass a check), got NaN at [0,5]',
    ],
    [
      'a deeply nested config.json',
      () => ['--keras', write('deep.keras', kerasZip({ 'config.json': `${'['.repeat(5000)}${']'.repeat(5000)}` }))],
      'config.json: expected JSON nested at most 64 deep, got deeper',
    ],
    [
      'a FIFO as --keras',
      () => {
        const fifo = path.join(tmp.dir, 'model.fifo');
        execFileSync('mkfifo', [fifo]);
        return ['--keras', fifo];
      },
      'model.fifo: expected a regular file, got a FIFO',
    ],
    [
      'random bytes as --keras',
      () => ['--keras', write('random.keras', seededBytes(5000, 9))],
      /random\.keras: expected a \.keras zip, a legacy \.h5 or \.weights\.h5 \(HDF5\), a tfjs model\.json, or a folder holding model\.json or model\.keras \(signatures 50 4b 03 04, 89 48 44 46 or '\{'\), got [0-9a-f]{2}( [0-9a-f]{2}){7}$/m,
    ],
    [
      'an all-NaN --input',
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        write('nan-input.npy', writeNpy({ shape: input.shape, data: new Float32Array(input.data.length).fill(NaN) }, 'float32')),
      ],
      'input "input_layer" (as float32, as both paths read it): expected finite values (NaN or Inf can never pass a check), got NaN at [0,0,0]',
    ],
    [
      "a float64 --input past float32's range (Infinity once rounded)",
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        write('huge-input.npy', writeNpy({ shape: input.shape, data: Float64Array.from(input.data, (v, i) => (i === 7 ? 1e300 : v)) }, 'float64')),
      ],
      'input "input_layer" (as float32, as both paths read it): expected finite values (NaN or Inf can never pass a check), got Infinity at [0,1,3]',
    ],
    [
      'an --expect with one Inf',
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        path.join(LSTM_DIR, 'input.npy'),
        '--expect',
        write('inf-expect.npy', writeNpy({ shape: expected.shape, data: Float32Array.from(expected.data, (v, i) => (i === 4 ? Infinity : v)) }, 'float32')),
      ],
      'expected output "dense": expected finite values (NaN or Inf can never pass a check), got Infinity at [1,1]',
    ],
    [
      'a float16 --input',
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        write('half.npy', Buffer.from(Buffer.from(writeNpy(input, 'float32')).toString('latin1').replace("'<f4'", "'<f2'"), 'latin1')),
      ],
      /half\.npy: npy dtype: expected little-endian .*, got '<f2'$/m,
    ],
    [
      'a truncated --expect',
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        path.join(LSTM_DIR, 'input.npy'),
        '--expect',
        write('cut-expect.npy', fs.readFileSync(path.join(LSTM_DIR, 'expected.npy')).subarray(0, 140)),
      ],
      /cut-expect\.npy: npy data: expected \d+ bytes for shape \[\d+,3\] of '<f4', got \d+/,
    ],
    [
      'a FIFO as --input',
      () => {
        const fifo = path.join(tmp.dir, 'input.fifo');
        execFileSync('mkfifo', [fifo]);
        return ['--keras', KERAS_FILE, '--input', fifo];
      },
      'input.fifo: expected a regular file, got a FIFO',
    ],
    [
      'an --input claiming 2^42 elements',
      () => [
        '--keras',
        KERAS_FILE,
        '--input',
        write('huge-shape.npy', npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576, 4), }")),
      ],
      // Opened, not read (inputs stream a chunk at a time): the header's size is checked against the file's.
      "npy data: expected 17592186044416 bytes for shape [1048576,1048576,4] of '<f4', got 0",
    ],
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
