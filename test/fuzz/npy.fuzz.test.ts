/**
 * Hostile .npy files: readNpy (bytes), readNpyFile (disk) and the CLI's --input / --expect. Each must
 * get a FileFormatError (exit code 2 at the CLI) with a one-line message within a second: never another
 * error, a hang, or an allocation the header talks it into.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { FileFormatError } from '../../src/errors';
import { readNpy, readNpyFile, writeNpy } from '../../src/io/npy';
import { MAX_NPY_DIMENSIONS, MAX_NPY_HEADER_BYTES } from '../../src/io/npy-header';
import { MAX_ELEMENTS } from '../../src/spec';
import { fuzzRuns, refusal, seededBytes, temporaryDirectory, typedOrRead } from './helpers';

/** A valid file: float32 [2, 3, 4] with a NaN, an Inf and a -0 in it. */
const VALID = writeNpy({ shape: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, i) => [NaN, Infinity, -0][i] ?? i / 7) }, 'float32');

/** A .npy with `dict` as its header (version 1.0, padded as numpy pads it) and `dataBytes` zero bytes of data. */
function npyWithHeader(dict: string, dataBytes = 0, version: 1 | 2 | 3 = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const headerLength = Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix;
  const text = Buffer.from(dict.padEnd(headerLength - 1, ' ') + '\n', 'latin1');
  const out = new Uint8Array(prefix + headerLength + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(text, prefix);
  return out;
}

const header = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('truncated: every prefix of a valid file is refused', () => {
  test(`all ${VALID.length} prefixes, in memory`, () => {
    expect(readNpy(VALID).shape).toEqual([2, 3, 4]);
    for (let length = 0; length < VALID.length; length++) {
      const error = refusal(() => readNpy(VALID.subarray(0, length)), `prefix ${length}`);
      expect(error).toBeInstanceOf(FileFormatError);
      // A cut in the data names both byte counts; a cut in the preamble or header says "truncated".
      expect(error.message).toMatch(length >= 128 ? /^npy data: expected 96 bytes for shape \[2,3,4\] of '<f4', got \d+$/ : /truncated|expected/);
    }
  });

  test('all prefixes, on disk, each message naming the file', () => {
    const { dir, remove } = temporaryDirectory('npy-prefix');
    try {
      for (let length = 0; length < VALID.length; length += 1) {
        const file = path.join(dir, `cut-${length}.npy`);
        fs.writeFileSync(file, VALID.subarray(0, length));
        const error = refusal(() => readNpyFile(file), file);
        expect(error.message.startsWith(`${file}: npy`)).toBe(true);
      }
    } finally {
      remove();
    }
  });

  test('one byte too many is refused too (the size must be exact)', () => {
    const longer = new Uint8Array(VALID.length + 1);
    longer.set(VALID);
    expect(refusal(() => readNpy(longer)).message).toBe("npy data: expected 96 bytes for shape [2,3,4] of '<f4', got 97");
  });
});

describe('headers', () => {
  test.each([
    [
      'version 2.0 claiming a 4 GiB header',
      (() => {
        const bytes = npyWithHeader(header('<f4', '(1,)'), 4, 2);
        new DataView(bytes.buffer).setUint32(8, 0xffffffff, true);
        return bytes;
      })(),
      `npy: header too long: expected at most ${MAX_NPY_HEADER_BYTES} bytes, got 4294967295`,
    ],
    [
      'version 1.0 claiming 65535 header bytes in a short file',
      (() => {
        const bytes = npyWithHeader(header('<f4', '(1,)'), 4);
        new DataView(bytes.buffer).setUint16(8, 0xffff, true);
        return bytes;
      })(),
      'npy: truncated header: expected 65535 header bytes, got 122',
    ],
    ['version 4.0', npyWithHeader(header('<f4', '(1,)'), 4).map((b, i) => (i === 6 ? 4 : b)), 'npy: expected format version 1.0, 2.0 or 3.0, got 4.0'],
    [
      'a bad magic',
      npyWithHeader(header('<f4', '(1,)'), 4).map((b, i) => (i === 1 ? 0x50 : b)),
      'npy: bad magic: expected \\x93NUMPY, got \\x93\\x50\\x55\\x4d\\x50\\x59',
    ],
    [
      'a version 3.0 header that is not UTF-8',
      (() => {
        const bytes = npyWithHeader(header('<f4', '(1,)'), 4, 3);
        bytes[20] = 0xff;
        return bytes;
      })(),
      'npy header: expected utf-8 text (version 3.0), got invalid bytes',
    ],
    [
      'a Python expression instead of a literal',
      npyWithHeader("{'descr': __import__('os').system('x'), 'fortran_order': False, 'shape': (1,), }", 4),
      'npy header: expected a value (string, True, False or a tuple) at offset 10',
    ],
    ['a missing key', npyWithHeader("{'descr': '<f4', 'shape': (1,), }", 4), 'npy header: expected keys descr, fortran_order, shape, got descr, shape'],
    [
      'a key twice',
      npyWithHeader("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4),
      "npy header: expected each key once, got 'descr' twice",
    ],
    ['text after the dict', npyWithHeader(`${header('<f4', '(1,)')} x`, 4), 'npy header: expected the end of the header after the closing brace'],
    ['an escape in a string', npyWithHeader(header('<f\\x34', '(1,)'), 4), 'npy header: expected a plain quoted string'],
    ['an unterminated string', npyWithHeader("{'descr: 1}", 4), 'npy header: expected a plain quoted string at offset 1'],
    ['a negative dimension', npyWithHeader(header('<f4', '(-1,)'), 4), 'npy header: expected a non-negative integer'],
    ['a float dimension', npyWithHeader(header('<f4', '(1.5,)'), 4), "npy header: expected ')' at offset"],
    ['a dimension past 2^53', npyWithHeader(header('<f4', '(99999999999999999999,)'), 4), 'npy header: expected an integer below 2^53'],
    ['a 2000-digit dimension', npyWithHeader(header('<f4', `(${'9'.repeat(2000)},)`), 4), 'npy header: expected an integer below 2^53'],
    ['fortran order', npyWithHeader(header('<f4', '(2, 2)', 'True'), 16), 'npy: expected fortran_order False (C order), got True'],
  ])('%s', (_what, bytes, message) => {
    expect(refusal(() => readNpy(bytes)).message).toContain(message);
  });

  test.each([
    '<f2',
    '>f4',
    '>f8',
    '>i4',
    '>u8',
    '>i2',
    '|b1',
    '<b1',
    '<c8',
    '<c16',
    '|O',
    '<U10',
    '|S3',
    '<M8[s]',
    '<m8[s]',
    '|V4',
    'float32',
    'int64',
    '<i3',
    '<i16',
    '',
  ])('dtype %j is refused, naming it', (descr) => {
    const message = refusal(() => readNpy(npyWithHeader(header(descr, '(2,)'), 16))).message;
    expect(message).toBe(
      "npy dtype: expected little-endian '<f4' '<f8' (float32, float64) or '|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4' '<u8' (int8...uint64), " +
        `got '${descr}'${descr.startsWith('>') ? ' (big-endian)' : ''}`,
    );
  });

  test.each(['<f4', '<f8', '|i1', '<i1', '<i2', '<i4', '<i8', '|u1', '<u1', '<u2', '<u4', '<u8'])('dtype %j is read', (descr) => {
    const width = Number(descr.slice(2));
    const array = readNpy(npyWithHeader(header(descr, '(2,)'), 2 * width));
    expect(array.shape).toEqual([2]);
    expect(Array.from(array.data)).toEqual([0, 0]);
    expect(array.integral).toBe(descr[1] !== 'f');
  });

  test('a non-string dtype (a structured dtype list) is refused', () => {
    expect(refusal(() => readNpy(npyWithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4))).message).toContain(
      'npy header: expected a value',
    );
  });

  test('the largest header allowed parses; one byte more is refused before it is read', () => {
    // A 64 KiB header of spaces (version 2.0): parsed, and quickly.
    const bytes = npyWithHeader(header('<f4', '(1,)').padEnd(MAX_NPY_HEADER_BYTES - 64, ' '), 4, 2);
    const start = performance.now();
    expect(readNpy(bytes).shape).toEqual([1]);
    expect(performance.now() - start).toBeLessThan(1000);
    new DataView(bytes.buffer).setUint32(8, MAX_NPY_HEADER_BYTES + 1, true);
    expect(refusal(() => readNpy(bytes)).message).toBe(`npy: header too long: expected at most ${MAX_NPY_HEADER_BYTES} bytes, got ${MAX_NPY_HEADER_BYTES + 1}`);
  });
});

describe('absurd shapes: refused from the header, before any data is allocated, naming the limit', () => {
  test.each([
    ['(67108865,)', `npy shape [67108865]: expected at most ${MAX_ELEMENTS} (2^26) elements, got 67108865`],
    ['(1099511627776, 1099511627776)', 'expected at most 67108864 (2^26) elements, got 1208925819614629174706176'],
    ['(9007199254740991, 9007199254740991, 9007199254740991)', 'got 730750818665451215712927172538123444058715062271'],
    ['(8192, 8193)', 'got 67117056'],
  ])('shape %s', (shape, message) => {
    // The file holds no data at all: the refusal must come from the header alone.
    expect(refusal(() => readNpy(npyWithHeader(header('<f4', shape))))).toMatchObject({ message: expect.stringContaining(message) });
  });

  test('a zero-size array is read whatever its other dimensions (nothing to allocate)', () => {
    expect(readNpy(npyWithHeader(header('<f8', '(1099511627776, 1099511627776, 0)'))).shape).toEqual([1099511627776, 1099511627776, 0]);
  });

  test(`more than ${MAX_NPY_DIMENSIONS} dimensions (NumPy's own limit) are refused`, () => {
    const ones = `(${Array(MAX_NPY_DIMENSIONS + 1)
      .fill('1')
      .join(', ')})`;
    expect(refusal(() => readNpy(npyWithHeader(header('<f4', ones), 4))).message).toBe(
      `npy shape: expected at most ${MAX_NPY_DIMENSIONS} dimensions (NumPy's limit), got ${MAX_NPY_DIMENSIONS + 1}`,
    );
    expect(readNpy(npyWithHeader(header('<f4', `(${Array(MAX_NPY_DIMENSIONS).fill('1').join(', ')})`), 4)).shape).toHaveLength(MAX_NPY_DIMENSIONS);
  });

  test('a 64 KiB header of 32000 dimensions is refused quickly', () => {
    const ones = `(${'1,'.repeat(32000)})`;
    const bytes = npyWithHeader(header('<f4', ones), 4, 2);
    expect(bytes.length).toBeLessThan(12 + MAX_NPY_HEADER_BYTES + 4);
    expect(refusal(() => readNpy(bytes)).message).toContain('got 32000');
  });
});

describe('random and mutated bytes (seeded fast-check)', () => {
  test('random bytes: a typed one-line error, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        typedOrRead(() => readNpy(bytes));
      }),
      fuzzRuns(500),
    );
  });

  test('random bytes after a valid magic and version', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3), fc.uint8Array({ maxLength: 400 }), (version, rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
        bytes.set(rest, 8);
        typedOrRead(() => readNpy(bytes));
      }),
      fuzzRuns(500),
    );
  });

  // Integer files too: an int64 one, whose mutated data can leave +-2^53 (refused, naming the index),
  // and a uint8 one, whose header edits can turn it into any other width.
  const INT64 = (() => {
    const bytes = npyWithHeader(header('<i8', '(2, 3)'), 48);
    new BigInt64Array(bytes.buffer, bytes.length - 48, 6).set([0n, -1n, 2n ** 53n, -(2n ** 53n), 12345n, 7n]);
    return bytes;
  })();
  const UINT8 = (() => {
    const bytes = npyWithHeader(header('|u1', '(2, 4)'), 8);
    bytes.set([0, 1, 2, 3, 252, 253, 254, 255], bytes.length - 8);
    return bytes;
  })();
  test.each([
    ['float32', VALID],
    ['int64', INT64],
    ['uint8', UINT8],
  ] as const)('a valid %s file with bytes overwritten anywhere: a typed error or a read of the right size', (_dtype, valid) => {
    expect(readNpy(valid).data.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, value] of edits) bytes[at] = value;
        let array: ReturnType<typeof readNpy> | undefined;
        typedOrRead(() => (array = readNpy(bytes)));
        if (array) {
          expect(array.data.length).toBe(array.shape.reduce((a, b) => a * b, 1));
          if (array.integral) for (const v of array.data) expect(Number.isInteger(v) && Math.abs(v) <= 2 ** 53).toBe(true);
        }
      }),
      fuzzRuns(1000),
    );
  });

  test('int64 data: any 64-bit value is read exactly within +-2^53 and refused beyond, naming its index', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.nat({ max: 5 }), (value, at) => {
        const bytes = INT64.slice();
        new DataView(bytes.buffer).setBigInt64(bytes.length - 48 + 8 * at, value, true);
        if (value >= -(2n ** 53n) && value <= 2n ** 53n) {
          expect(BigInt(readNpy(bytes).data[at]!)).toBe(value);
        } else {
          expect(refusal(() => readNpy(bytes)).message).toContain(`got ${value} at index ${at} `);
        }
      }),
      fuzzRuns(500),
    );
  });

  test("headers built from the grammar's own tokens: a typed error or a read, never a crash", () => {
    const token = fc.constantFrom(
      "'descr'",
      "'shape'",
      "'fortran_order'",
      "'<f4'",
      "'<f8'",
      "'<i8'",
      "'|u1'",
      "'>i4'",
      'True',
      'False',
      '(',
      ')',
      ',',
      ':',
      '{',
      '}',
      ' ',
      '1',
      '0',
      '-1',
      '"',
      "'",
      '99999999999',
      '\\',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => {
        typedOrRead(() => readNpy(npyWithHeader(tokens.join(''), 8)));
      }),
      fuzzRuns(1000),
    );
  });

  test('256 KiB of seeded random bytes as a file on disk', () => {
    const { dir, remove } = temporaryDirectory('npy-random');
    try {
      for (const seed of [1, 2, 3]) {
        const file = path.join(dir, `random-${seed}.npy`);
        fs.writeFileSync(file, seededBytes(2 ** 18, seed));
        expect(refusal(() => readNpyFile(file)).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: npy: bad magic`));
      }
    } finally {
      remove();
    }
  });
});

describe('what is not a file', () => {
  test('a directory, a FIFO and a device are refused at once, naming the path (a FIFO would block open forever)', () => {
    const { dir, remove } = temporaryDirectory('npy-special');
    try {
      expect(refusal(() => readNpyFile(dir)).message).toBe(`${dir}: expected a regular file, got a directory`);
      const fifo = path.join(dir, 'pipe.npy');
      execFileSync('mkfifo', [fifo]);
      expect(refusal(() => readNpyFile(fifo)).message).toBe(`${fifo}: expected a regular file, got a FIFO`);
      expect(refusal(() => readNpyFile('/dev/zero')).message).toBe('/dev/zero: expected a regular file, got a device');
    } finally {
      remove();
    }
  });
});
