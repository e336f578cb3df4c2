/**
 * .npy reading and writing. The fixture checks compare against numbers Python recorded in each
 * case.json ("arrays": dtype, shape, first/last values, float64 sum) when it wrote the files, so the
 * reader is tested against NumPy, not against the writer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededIntegers } from '../../src/data/numpy-random';
import { FileFormatError, ShapeError } from '../../src/errors';
import { NpyReadDtype, readNpy, readNpyFile, writeNpy, writeNpyFile } from '../../src/io/npy';
import { MAX_NPY_HEADER_BYTES } from '../../src/io/npy-header';
import { inputShape, ModelSpec, outputShape } from '../../src/spec';
import { NdArray } from '../../src/tensor';

const FIXTURES = path.resolve(__dirname, '../../models/keras');

interface ArraySummary {
  dtype: 'float32' | 'float64';
  shape: number[];
  first: number[];
  last: number[];
  sum: number;
}
interface CaseRecord {
  name: string;
  spec: ModelSpec;
  maxAbsKerasFloat32VsNumpyFloat64: number;
  arrays: Record<string, ArraySummary>;
}

const cases: CaseRecord[] = fs
  .readdirSync(FIXTURES)
  .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'case.json')))
  .sort()
  .map((name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as CaseRecord);

describe('committed Keras fixtures', () => {
  test('are present', () => {
    // scripts/keras-fixtures/make_fixtures.py writes 16 cases.
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s: every .npy matches what NumPy recorded', (name, record) => {
    for (const [file, summary] of Object.entries(record.arrays)) {
      const array = readNpyFile(path.join(FIXTURES, name, file));
      expect(array.shape).toEqual(summary.shape);
      expect(array.data).toBeInstanceOf(summary.dtype === 'float32' ? Float32Array : Float64Array);
      // first/last are repr() of each value as a double: exact for float32 and float64 alike.
      expect(Array.from(array.data.subarray(0, summary.first.length))).toEqual(summary.first);
      expect(Array.from(array.data.subarray(array.data.length - summary.last.length))).toEqual(summary.last);
      let sum = 0;
      for (const v of array.data) sum += v;
      expect(Math.abs(sum - summary.sum)).toBeLessThanOrEqual(1e-12 * array.data.length * (1 + Math.abs(summary.sum)));
    }
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s: shapes follow the spec and the recorded error', (name, record) => {
    const input = readNpyFile(path.join(FIXTURES, name, 'input.npy'));
    const expected = readNpyFile(path.join(FIXTURES, name, 'expected.npy'));
    const expected64 = readNpyFile(path.join(FIXTURES, name, 'expected64.npy'));
    expect(input.shape).toEqual(inputShape(record.spec));
    expect(expected.shape).toEqual(outputShape(record.spec));
    expect(expected64.shape).toEqual(outputShape(record.spec));
    // Python: float(np.max(np.abs(expected.astype(np.float64) - expected64))). Same IEEE operations here.
    let maxAbs = 0;
    for (let i = 0; i < expected.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(expected.data[i] - expected64.data[i]));
    expect(maxAbs).toBe(record.maxAbsKerasFloat32VsNumpyFloat64);
  });

  test.each(cases.map((c) => [c.name] as const))('%s: writeNpy reproduces numpy.save byte for byte', (name) => {
    for (const [file, dtype] of [
      ['input.npy', 'float32'],
      ['expected64.npy', 'float64'],
    ] as const) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, name, file)));
      expect(Buffer.from(writeNpy(readNpy(bytes), dtype)).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('round trip', () => {
  const special = [0, -0, 1, -1, Math.PI, 1e-45, -1.4e-45, 1.17549435e-38, 3.4028234663852886e38, Infinity, -Infinity, NaN];

  function bitsOf(data: Float32Array | Float64Array): Buffer {
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  test.each([
    ['float32', [2, 3, 4]],
    ['float64', [2, 3, 4]],
    ['float32', [24]],
    ['float64', []],
    ['float32', [0, 5]],
  ] as const)('%s %j is bit-exact', (dtype, shape) => {
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const values = Array.from({ length: count }, (_, i) => (i < special.length ? special[i] : Math.sin(i * 12.9898) * 43758.5453));
    const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
    const back = readNpy(writeNpy({ shape, data }, dtype));
    expect(back.shape).toEqual(shape);
    expect(back.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
    expect(bitsOf(back.data).equals(bitsOf(data))).toBe(true);
  });

  test('NaN payloads and negative zero survive (raw bytes, not number conversion)', () => {
    const data = new Float32Array(new Uint32Array([0x7fc00001, 0xffa00000, 0x80000000, 0x00000001]).buffer);
    const back = readNpy(writeNpy({ shape: [4], data }, 'float32'));
    expect(Array.from(new Uint32Array(back.data.buffer))).toEqual([0x7fc00001, 0xffa00000, 0x80000000, 0x00000001]);
  });

  test('float64 data written as float32 rounds to nearest', () => {
    const back = readNpy(writeNpy({ shape: [3], data: Float64Array.from([0.1, 1 / 3, 1e-50]) }, 'float32'));
    expect(Array.from(back.data)).toEqual([Math.fround(0.1), Math.fround(1 / 3), 0]);
  });

  test('header is 64-byte aligned and ends with a newline, as numpy writes it', () => {
    const bytes = writeNpy({ shape: [5], data: new Float64Array(5) }, 'float64');
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
    expect(
      Buffer.from(bytes.subarray(10, 10 + headerLength))
        .toString('latin1')
        .trimEnd(),
    ).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }");
  });

  test('reads from a view at an odd byte offset', () => {
    const bytes = writeNpy({ shape: [2, 2], data: Float64Array.from([1.5, -2, 3, 4e300]) }, 'float64');
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(Array.from(readNpy(shifted.subarray(3)).data)).toEqual([1.5, -2, 3, 4e300]);
  });

  test('writeNpy refuses data that does not fill the shape', () => {
    expect(() => writeNpy({ shape: [2, 3], data: new Float32Array(5) }, 'float32')).toThrow(ShapeError);
    expect(() => writeNpy({ shape: [2, 3], data: new Float32Array(5) }, 'float32')).toThrow('npy data: expected 6 values for shape [2,3], got 5');
    expect(() => writeNpy({ shape: [-1], data: new Float32Array(0) }, 'float32')).toThrow(ShapeError);
  });
});

/** Builds a .npy by hand: any version, header text and data, so that every malformed case is reachable. */
function npyBytes(options: { header: string; data?: Uint8Array; version?: [number, number]; magic?: number[]; headerLength?: number }): Uint8Array {
  const [major, minor] = options.version ?? [1, 0];
  const header = Buffer.from(options.header, major === 3 ? 'utf8' : 'latin1');
  const prefix = major === 1 ? 10 : 12;
  const data = options.data ?? new Uint8Array(0);
  const out = new Uint8Array(prefix + header.length + data.length);
  out.set(options.magic ?? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], 0);
  out[6] = major;
  out[7] = minor;
  const view = new DataView(out.buffer);
  const length = options.headerLength ?? header.length;
  if (major === 1) view.setUint16(8, length, true);
  else view.setUint32(8, length, true);
  out.set(header, prefix);
  out.set(data, prefix + header.length);
  return out;
}

const header = (descr: string, shape: string, fortran = 'False'): string => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;
const f4 = (...values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

describe('versions', () => {
  test.each([[[1, 0]], [[2, 0]], [[3, 0]]] as const)('reads version %j', (version) => {
    const array = readNpy(npyBytes({ version: [...version], header: header('<f4', '(2,)'), data: f4(1.25, -7) }));
    expect(array.shape).toEqual([2]);
    expect(Array.from(array.data)).toEqual([1.25, -7]);
  });

  test('accepts double quotes, no trailing comma and extra whitespace', () => {
    const text = '{ "shape" : ( 1 , 2 ) , "fortran_order" : False , "descr" : "<f4" }   \n';
    expect(readNpy(npyBytes({ header: text, data: f4(1, 2) })).shape).toEqual([1, 2]);
  });

  test('reads a scalar (shape ())', () => {
    const array = readNpy(npyBytes({ header: header('<f8', '()'), data: new Uint8Array(Float64Array.from([0.5]).buffer) }));
    expect(array.shape).toEqual([]);
    expect(Array.from(array.data)).toEqual([0.5]);
  });
});

describe('malformed files are FileFormatError naming the problem', () => {
  const good = header('<f4', '(2,)');
  test.each<[string, Uint8Array, RegExp]>([
    ['big-endian float32', npyBytes({ header: header('>f4', '(2,)'), data: f4(1, 2) }), /got '>f4' \(big-endian\)$/],
    [
      'big-endian int64',
      npyBytes({ header: header('>i8', '(1,)'), data: new Uint8Array(8) }),
      /^npy dtype: expected little-endian '<f4' '<f8'.*got '>i8' \(big-endian\)$/,
    ],
    ['bool', npyBytes({ header: header('|b1', '(2,)'), data: new Uint8Array(2) }), /got '\|b1'$/],
    [
      'int64 data one value short',
      npyBytes({ header: header('<i8', '(2,)'), data: new Uint8Array(8) }),
      /data: expected 16 bytes for shape \[2\] of '<i8', got 8/,
    ],
    ['not-little-endian marker |f4', npyBytes({ header: header('|f4', '(2,)'), data: f4(1, 2) }), /got '\|f4'/],
    ['float16', npyBytes({ header: header('<f2', '(2,)'), data: new Uint8Array(4) }), /got '<f2'/],
    ['fortran order', npyBytes({ header: header('<f4', '(2,)', 'True'), data: f4(1, 2) }), /expected fortran_order False.*got True/],
    ['bad magic', npyBytes({ magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a], header: good, data: f4(1, 2) }), /bad magic.*got \\x89\\x50/],
    ['version 4.0', npyBytes({ version: [4, 0], header: good, data: f4(1, 2) }), /version 1.0, 2.0 or 3.0, got 4.0/],
    ['version 1.1', npyBytes({ version: [1, 1], header: good, data: f4(1, 2) }), /got 1.1/],
    ['file shorter than the preamble', new Uint8Array([0x93, 0x4e, 0x55, 0x4d]), /truncated header.*got 4/],
    ['header cut short', npyBytes({ header: good }).subarray(0, 30), /truncated header: expected \d+ header bytes, got 20/],
    [
      'header longer than 64 KiB',
      npyBytes({ version: [2, 0], header: good, headerLength: MAX_NPY_HEADER_BYTES + 1 }),
      /header too long: expected at most 65536 bytes, got 65537/,
    ],
    [
      'data one value short',
      npyBytes({ header: header('<f4', '(2, 3)'), data: f4(1, 2, 3, 4, 5) }),
      /data: expected 24 bytes for shape \[2,3\] of '<f4', got 20/,
    ],
    ['data with extra bytes', npyBytes({ header: good, data: f4(1, 2, 3) }), /data: expected 8 bytes.*got 12/],
    ['absurd shape', npyBytes({ header: header('<f4', '(100000, 100000)') }), /expected at most 67108864 \(2\^26\) elements, got 10000000000/],
    ['shape just over the limit', npyBytes({ header: header('<f8', '(67108865,)') }), /at most 67108864/],
    ['negative dimension', npyBytes({ header: header('<f4', '(-1,)') }), /expected a non-negative integer/],
    ['dimension beyond 2^53', npyBytes({ header: header('<f4', '(0, 99999999999999999999)') }), /integer below 2\^53/],
    ['code in the header', npyBytes({ header: "{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,), }" }), /expected a value/],
    ['structured dtype', npyBytes({ header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }" }), /expected a value/],
    ['missing key', npyBytes({ header: "{'descr': '<f4', 'shape': (2,), }", data: f4(1, 2) }), /expected keys descr, fortran_order, shape, got descr, shape/],
    ['extra key', npyBytes({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': True}" }), /got descr, fortran_order, shape, x/],
    ['duplicate key', npyBytes({ header: "{'descr': '<f4', 'descr': '<f4', 'shape': (2,)}" }), /'descr' twice/],
    ['unclosed dict', npyBytes({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)" }), /expected '}'.*end of header/],
    ['text after the dict', npyBytes({ header: `${good.trim()} junk` }), /end of the header after the closing brace.*junk/],
    ['string with an escape', npyBytes({ header: "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}" }), /plain quoted string/],
    ['shape not a tuple', npyBytes({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': 'x'}" }), /shape: expected a tuple of integers, got 'x'/],
    [
      'invalid utf-8 in a 3.0 header',
      (() => {
        const b = npyBytes({ version: [3, 0], header: good });
        b[14] = 0xff;
        return b;
      })(),
      /utf-8/,
    ],
  ])('%s', (_title, bytes, message) => {
    let caught: unknown;
    try {
      readNpy(bytes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FileFormatError);
    expect((caught as Error).message).toMatch(message);
  });

  test('readNpyFile names the file and checks the size before reading the data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    try {
      const file = path.join(dir, 'huge.npy');
      fs.writeFileSync(file, npyBytes({ header: header('<f4', '(100000, 100000)') }));
      expect(() => readNpyFile(file)).toThrow(FileFormatError);
      expect(() => readNpyFile(file)).toThrow(`${file}: npy shape [100000,100000]: expected at most 67108864`);
      const short = path.join(dir, 'short.npy');
      fs.writeFileSync(short, npyBytes({ header: good, data: f4(1) }));
      expect(() => readNpyFile(short)).toThrow(/short\.npy: npy data: expected 8 bytes .* got 4/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeNpyFile is atomic', () => {
  let dir: string;
  const original: NdArray = { shape: [2], data: Float32Array.from([1, 2]) };
  const replacement: NdArray = { shape: [3], data: Float64Array.from([7, 8, 9]) };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-atomic-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function expectOriginalIntact(file: string): void {
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]); // no temporary file left behind
    const back = readNpyFile(file);
    expect(back.shape).toEqual([2]);
    expect(Array.from(back.data)).toEqual([1, 2]);
  }

  test('writes, then replaces, leaving no temporary file', () => {
    const file = path.join(dir, 'a.npy');
    writeNpyFile(file, original, 'float32');
    expectOriginalIntact(file);
    writeNpyFile(file, replacement, 'float64');
    expect(fs.readdirSync(dir)).toEqual(['a.npy']);
    expect(Array.from(readNpyFile(file).data)).toEqual([7, 8, 9]);
  });

  test.each(['writeFileSync', 'fsyncSync', 'renameSync'] as const)('an injected failure in fs.%s leaves the old file intact', (call) => {
    const file = path.join(dir, 'a.npy');
    writeNpyFile(file, original, 'float32');
    jest.spyOn(fs, call).mockImplementation(() => {
      throw Object.assign(new Error(`injected EIO in ${call}`), { code: 'EIO' });
    });
    expect(() => writeNpyFile(file, replacement, 'float64')).toThrow(`injected EIO in ${call}`);
    jest.restoreAllMocks();
    expectOriginalIntact(file);
  });

  test('a failure halfway through the data leaves the old file intact', () => {
    const file = path.join(dir, 'a.npy');
    writeNpyFile(file, original, 'float32');
    const realWrite = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((target, bytes) => {
      realWrite(target, (bytes as Uint8Array).subarray(0, 20)); // a partial write, then the disk fills up
      throw Object.assign(new Error('injected ENOSPC'), { code: 'ENOSPC' });
    });
    expect(() => writeNpyFile(file, replacement, 'float64')).toThrow('injected ENOSPC');
    jest.restoreAllMocks();
    expectOriginalIntact(file);
  });

  test('a real rename failure (the target is a directory) removes the temporary file', () => {
    const target = path.join(dir, 'a.npy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    expect(() => writeNpyFile(target, original, 'float32')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(fs.readdirSync(dir)).toEqual(['a.npy']);
    expect(fs.readFileSync(path.join(target, 'keep'), 'utf8')).toBe('x');
  });

  test('an invalid array is refused before anything touches the disk', () => {
    const file = path.join(dir, 'a.npy');
    writeNpyFile(file, original, 'float32');
    expect(() => writeNpyFile(file, { shape: [4], data: new Float32Array(3) }, 'float32')).toThrow(ShapeError);
    expectOriginalIntact(file);
  });

  const runsAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (runsAsRoot) {
    // Root ignores directory permissions, so this case cannot fail here; the injected failures above cover it.
    console.warn('npy.test: skipping the read-only directory case: running as root, which ignores permissions');
  }
  (runsAsRoot ? test.skip : test)('a read-only directory fails the write and keeps the old file', () => {
    const file = path.join(dir, 'a.npy');
    writeNpyFile(file, original, 'float32');
    fs.chmodSync(dir, 0o555);
    expect(() => writeNpyFile(file, replacement, 'float64')).toThrow(/EACCES|EPERM/);
    fs.chmodSync(dir, 0o755);
    expectOriginalIntact(file);
  });
});

describe('integer dtypes (token ids)', () => {
  /** test/fixtures/npy, written by numpy.save: `python3 scripts/make-npy-integer-fixtures.py`. */
  const INT_FIXTURES = path.resolve(__dirname, '../fixtures/npy');
  interface IntFixture {
    descr: string;
    shape: number[];
    values?: string[];
    refusal?: { index?: number; value?: string; descr?: string };
  }
  const index = JSON.parse(fs.readFileSync(path.join(INT_FIXTURES, 'index.json'), 'utf8')) as {
    numpy: string;
    command: string;
    files: Record<string, IntFixture>;
  };
  const readable = Object.entries(index.files).filter(([, f]) => f.values !== undefined);
  const DTYPE_OF: Record<string, NpyReadDtype> = {
    '|i1': 'int8',
    '<i2': 'int16',
    '<i4': 'int32',
    '<i8': 'int64',
    '|u1': 'uint8',
    '<u2': 'uint16',
    '<u4': 'uint32',
    '<u8': 'uint64',
  };

  test('the fixtures cover every integer dtype, with provenance', () => {
    expect(index.command).toBe('python3 scripts/make-npy-integer-fixtures.py');
    expect(new Set(readable.map(([, f]) => f.descr))).toEqual(new Set(Object.keys(DTYPE_OF)));
  });

  test.each(readable)('%s is read exactly, as an integral Float64Array', (file, f) => {
    const array = readNpyFile(path.join(INT_FIXTURES, file));
    expect(array.shape).toEqual(f.shape);
    expect(array.dtype).toBe(DTYPE_OF[f.descr]);
    expect(array.integral).toBe(true);
    expect(array.data).toBeInstanceOf(Float64Array);
    // Decimal text comparison: exact, including the 64-bit extremes +-2^53.
    expect(Array.from(array.data, (v) => String(v))).toEqual(f.values);
  });

  test('the dtype extremes are read (int8 -128..127, uint32 to 4294967295, int64 to +-2^53)', () => {
    expect(Array.from(readNpyFile(path.join(INT_FIXTURES, 'int8.npy')).data.subarray(0, 2))).toEqual([-128, 127]);
    expect(Array.from(readNpyFile(path.join(INT_FIXTURES, 'uint32.npy')).data.subarray(0, 2))).toEqual([0, 4294967295]);
    expect(Array.from(readNpyFile(path.join(INT_FIXTURES, 'int64.npy')).data.subarray(0, 2))).toEqual([-(2 ** 53), 2 ** 53]);
    expect(Array.from(readNpyFile(path.join(INT_FIXTURES, 'uint64.npy')).data.subarray(0, 2))).toEqual([0, 2 ** 53]);
  });

  test('float files say integral: false and keep their dtype', () => {
    const f32 = readNpy(writeNpy({ shape: [2], data: Float32Array.from([1, 2]) }, 'float32'));
    expect(f32).toMatchObject({ dtype: 'float32', integral: false });
    expect(f32.data).toBeInstanceOf(Float32Array);
    expect(readNpy(writeNpy({ shape: [2], data: Float64Array.from([1, 2]) }, 'float64'))).toMatchObject({ dtype: 'float64', integral: false });
  });

  test.each([
    ['int64-too-big.npy', 'npy data: expected int64 values within +-2^53 (exact as doubles), got 9007199254740993 at index 5 ([1,1] of shape [2,4])'],
    ['int64-too-small.npy', 'npy data: expected int64 values within +-2^53 (exact as doubles), got -9007199254740993 at index 3 ([1,1] of shape [3,2])'],
    ['uint64-too-big.npy', 'npy data: expected uint64 values within +-2^53 (exact as doubles), got 18446744073709551615 at index 0 ([0] of shape [2])'],
  ])('%s is refused, naming the file, the index and the value', (file, message) => {
    const full = path.join(INT_FIXTURES, file);
    const refusal = index.files[file]!.refusal!;
    expect(message).toContain(`got ${refusal.value} at index ${refusal.index} `);
    expect(() => readNpyFile(full)).toThrow(FileFormatError);
    expect(() => readNpyFile(full)).toThrow(`${full}: ${message}`);
  });

  test('big-endian int32 from numpy.save is refused by name', () => {
    const full = path.join(INT_FIXTURES, 'big-endian-int32.npy');
    expect(() => readNpyFile(full)).toThrow(FileFormatError);
    expect(() => readNpyFile(full)).toThrow(/big-endian-int32\.npy: npy dtype: expected little-endian .*, got '>i4' \(big-endian\)$/);
  });

  test.each<[string, Uint8Array, number[]]>([
    ['<i1', new Uint8Array(Int8Array.from([-1, 5]).buffer), [-1, 5]],
    ['<u1', Uint8Array.from([255, 0]), [255, 0]],
    ['<i2', new Uint8Array(Int16Array.from([-32768, 300]).buffer), [-32768, 300]],
    ['<u2', new Uint8Array(Uint16Array.from([65535, 1]).buffer), [65535, 1]],
    ['<i4', new Uint8Array(Int32Array.from([-2147483648, 2147483647]).buffer), [-2147483648, 2147483647]],
    ['<u4', new Uint8Array(Uint32Array.from([4294967295, 2]).buffer), [4294967295, 2]],
    ['<i8', new Uint8Array(BigInt64Array.from([-(2n ** 53n), 2n ** 53n]).buffer), [-(2 ** 53), 2 ** 53]],
    ['<u8', new Uint8Array(BigUint64Array.from([2n ** 53n, 3n]).buffer), [2 ** 53, 3]],
  ])('%s written by hand, read at an odd byte offset', (descr, data, values) => {
    const bytes = npyBytes({ header: header(descr, '(2,)'), data });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const array = readNpy(shifted.subarray(1));
    expect(Array.from(array.data)).toEqual(values);
    expect(array.integral).toBe(true);
  });

  test('{ integers: false } refuses integer dtypes with the float-only message, and still reads floats', () => {
    const int32 = npyBytes({ header: header('<i4', '(2,)'), data: new Uint8Array(8) });
    expect(() => readNpy(int32, { integers: false })).toThrow(FileFormatError);
    expect(() => readNpy(int32, { integers: false })).toThrow("npy dtype: expected '<f4' or '<f8' (little-endian float32 or float64), got '<i4'");
    const full = path.join(INT_FIXTURES, 'uint8.npy');
    expect(() => readNpyFile(full, { integers: false })).toThrow(`${full}: npy dtype: expected '<f4' or '<f8' (little-endian float32 or float64), got '|u1'`);
    expect(readNpy(npyBytes({ header: header('<f4', '(2,)'), data: f4(1, 2) }), { integers: false }).dtype).toBe('float32');
    expect(readNpy(int32, { integers: true }).integral).toBe(true);
  });

  test('the token ids NumPy drew are the ones seededIntegers draws', () => {
    // np.random.seed(42); np.random.randint(0, 1000, (2, 5)): see test/data/numpy-randint.test.ts.
    const array = readNpyFile(path.join(INT_FIXTURES, 'token-ids.npy'));
    expect(array.dtype).toBe('int64');
    expect(Array.from(array.data)).toEqual(Array.from(seededIntegers(42, [2, 5], 0, 1000).data));
  });
});
