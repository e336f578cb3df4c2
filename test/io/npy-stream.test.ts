/**
 * .npy files read and written a chunk at a time: any chunking reads exactly the rows readNpyFile reads (the
 * reference), writes exactly the bytes writeNpy writes, and a writer that does not commit leaves the target as
 * it was. The element limit is per chunk, not per file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readNpyFile, writeNpy, writeNpyFile } from '../../src/io/npy';
import { createNpyWriter, openNpyFile } from '../../src/io/npy-stream';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-npy-stream-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function ramp(shape: number[]): { shape: number[]; data: Float64Array } {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, (_, i) => i / 7 - 3) };
}

test.each([
  ['float32', [10, 3, 2], [4, 4, 2]],
  ['float64', [7, 5], [1, 6]],
  ['float32', [5], [2, 2, 1]],
] as const)('%s %j read in chunks of %j = readNpyFile', (dtype, shape, sizes) => {
  const file = path.join(dir, 'x.npy');
  writeNpyFile(file, ramp([...shape]), dtype);
  const whole = readNpyFile(file);
  const reader = openNpyFile(file);
  try {
    expect(reader.shape).toEqual(whole.shape);
    const per = whole.data.length / whole.shape[0];
    let start = 0;
    for (const count of sizes) {
      const chunk = reader.readSamples(start, count);
      expect(chunk.shape).toEqual([count, ...shape.slice(1)]);
      expect(chunk.data).toEqual(whole.data.subarray(start * per, (start + count) * per));
      start += count;
    }
  } finally {
    reader.close();
  }
});

test('int64 ids beyond 2^53 are refused naming their index in the whole file, not in the chunk', () => {
  const file = path.join(dir, 'ids.npy');
  // A hand-made int64 file [4, 2]: every value 1 except element (3, 1) = 2^60.
  const values = new BigInt64Array(8).fill(1n);
  values[7] = 2n ** 60n;
  const dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (4, 2), }";
  const text = dict.padEnd(128 - 10 - 1, ' ') + '\n';
  const bytes = Buffer.concat([
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]),
    Buffer.from(text, 'latin1'),
    Buffer.from(values.buffer),
  ]);
  fs.writeFileSync(file, bytes);
  const reader = openNpyFile(file);
  try {
    expect(Array.from(reader.readSamples(0, 2).data)).toEqual([1, 1, 1, 1]);
    expect(() => reader.readSamples(2, 2)).toThrow(
      `${file}: npy data: expected int64 values within +-2^53 (exact as doubles), got ${2n ** 60n} at index 7 ([3,1] of shape [4,2])`,
    );
    expect(() => reader.readSamples(3, 2)).toThrow(`${file}: expected samples within [0, 4), got [3, 5)`);
  } finally {
    reader.close();
  }
});

test('a file over the whole-file element limit opens; each chunk is limited instead', () => {
  // 2^26 + 2 float32 elements would be refused by readNpyFile; the header alone says so without the data.
  const file = path.join(dir, 'big.npy');
  const shape = [2 ** 14 + 1, 2 ** 12];
  const header = writeNpy({ shape: [0, 2 ** 12], data: new Float32Array(0) }, 'float32');
  const text = Buffer.from(header.subarray(10)).toString('latin1').replace('(0, 4096)', `(${shape[0]}, ${shape[1]})`);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, Buffer.concat([Buffer.from(header.subarray(0, 10)), Buffer.from(text, 'latin1')]));
  fs.ftruncateSync(fd, header.length + 4 * shape[0] * shape[1]);
  fs.closeSync(fd);
  expect(() => readNpyFile(file)).toThrow(/expected at most 67108864 \(2\^26\) elements/);
  const reader = openNpyFile(file);
  try {
    expect(reader.readSamples(2 ** 14, 1).data.length).toBe(2 ** 12);
    expect(() => reader.readSamples(0, 2 ** 14 + 1)).toThrow(/expected a chunk of at most 67108864 \(2\^26\) elements, got 16385 samples of 4096/);
  } finally {
    reader.close();
  }
});

test('a writer fed in chunks writes the bytes writeNpy writes, and only on commit', () => {
  const target = path.join(dir, 'out.npy');
  fs.writeFileSync(target, 'what the user had');
  const array = ramp([5, 3]);
  const writer = createNpyWriter(target, array.shape, 'float32');
  writer.append(array.data.subarray(0, 6));
  writer.append(array.data.subarray(6));
  expect(fs.readFileSync(target, 'utf8')).toBe('what the user had');
  writer.commit();
  expect(new Uint8Array(fs.readFileSync(target))).toEqual(writeNpy(array, 'float32'));
  expect(fs.readdirSync(dir)).toEqual(['out.npy']);
});

test('an aborted or short writer leaves the target as it was and no temporary file', () => {
  const target = path.join(dir, 'out.npy');
  fs.writeFileSync(target, 'what the user had');
  const aborted = createNpyWriter(target, [2, 2], 'float64');
  aborted.append(new Float64Array(2));
  aborted.abort();
  const short = createNpyWriter(target, [2, 2], 'float64');
  short.append(new Float64Array(2));
  expect(() => short.commit()).toThrow('npy data: expected 4 values for shape [2,2], got 2');
  short.abort();
  expect(fs.readFileSync(target, 'utf8')).toBe('what the user had');
  expect(fs.readdirSync(dir)).toEqual(['out.npy']);
});
