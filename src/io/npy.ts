/**
 * NumPy .npy files: the golden inputs and outputs written by scripts/keras-fixtures/make_fixtures.py.
 *
 * Format (numpy/lib/format.py): the magic "\x93NUMPY", a major and minor version byte, the header
 * length (uint16 little-endian in 1.0; uint32 in 2.0 and 3.0), then the header itself: a Python dict
 * literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10, 3), } padded with spaces
 * and a newline so that the data starts on a 64-byte boundary. The data follows, raw.
 *
 * Read: little-endian float32 ('<f4') or float64 ('<f8'), and integers for token-id inputs (an
 * Embedding layer's): int8/16/32/64 and uint8/16/32/64 ('|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4'
 * '<u8'; '<i1'/'<u1' too), all in C order. Integers are read into a Float64Array holding the exact
 * values, so an int64/uint64 value beyond +-2^53 (where a double stops being exact) is refused,
 * naming its index. What is returned says its dtype and whether it is `integral`. Written: float32
 * or float64 only. Everything else (big-endian, bool, float16, complex, strings, objects...) is
 * refused with a FileFormatError naming what was found. The header is read by a small strict
 * parser, never evaluated.
 */
import fs from 'node:fs';
import { FileFormatError, ShapeError } from '../errors';
import { formatShape, NdArray, sizeOf } from '../tensor';
import { writeFileAtomic } from './atomic-write';
import { unravelIndex } from './finite';
import { MAGIC, MAX_NPY_HEADER_BYTES, parseHeader, type NpyHeader, type ReadNpyOptions } from './npy-header';
import { openRegularFile, readRange } from './read-file';

/** The dtypes writeNpy writes (and readNpy reads into a Float32Array / Float64Array). */
export type NpyDtype = 'float32' | 'float64';
/** Integer dtypes readNpy reads (into a Float64Array of the exact values). */
type NpyIntegerDtype = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';
/** Every dtype readNpy reads. */
export type NpyReadDtype = NpyDtype | NpyIntegerDtype;

/**
 * What readNpy returns: an NdArray (shape, data in C order) plus the file's dtype.
 * Float files keep their width (Float32Array for '<f4', Float64Array for '<f8'); integer files
 * give a Float64Array of the exact integer values, and `integral: true`.
 */
export interface NpyArray extends NdArray {
  /** The dtype stored in the file, e.g. 'float32' or 'int64'. */
  readonly dtype: NpyReadDtype;
  /** True for an integer dtype (token ids, say), false for float32/float64. */
  readonly integral: boolean;
}

const DESCR: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8' };
export const ITEM_BYTES: Record<NpyReadDtype, number> = {
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
};
/** Largest integer magnitude read: beyond it a double is no longer exact. */
const MAX_EXACT_INTEGER = 2n ** 53n;
/** numpy pads the header so that the data starts on this boundary. */
const ALIGN = 64;
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Parses a whole .npy file held in memory.
 * @returns shape as stored; data a Float32Array ('<f4'), or a Float64Array ('<f8', and every integer
 *   dtype, holding the exact values), C order; `dtype` and `integral` say which the file held.
 * @throws FileFormatError for a bad magic, version, header, dtype, fortran_order, shape or data length,
 *   or an int64/uint64 value beyond +-2^53 (naming its flat index and value).
 */
export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NpyArray {
  const header = parseHeader(bytes, options);
  checkDataLength(header, bytes.length - header.dataOffset);
  return decodeData(header, bytes.subarray(header.dataOffset));
}

/**
 * Reads a .npy file. The header is checked (element limit, exact file size) before the data is read.
 * NaN and Inf are read as stored: whether they are acceptable is the caller's to say (see src/io/finite.ts).
 * @param options `{ integers: false }` refuses integer dtypes (see ReadNpyOptions).
 * @throws FileFormatError as readNpy, its message prefixed with the path, or for a directory, FIFO or
 *   device; fs errors (ENOENT...) as they come.
 */
export function readNpyFile(file: string, options: ReadNpyOptions = {}): NpyArray {
  // A FIFO or a device is refused here (naming the path), before anything waits on it.
  const { fd, size } = openRegularFile(file);
  try {
    const head = readRange(fd, 0, Math.min(size, 12 + MAX_NPY_HEADER_BYTES));
    const header = parseHeader(head, options);
    checkDataLength(header, size - header.dataOffset);
    return decodeData(header, readRange(fd, header.dataOffset, size - header.dataOffset));
  } catch (error) {
    if (error instanceof FileFormatError) throw new FileFormatError(`${file}: ${error.message}`);
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Encodes an array as a version 1.0 .npy file, exactly as numpy.save writes it.
 * Float64 data written as 'float32' rounds to nearest; float32 data written as 'float64' is exact.
 * @throws ShapeError when data.length is not sizeOf(shape) or a dimension is not a non-negative integer.
 */
export function writeNpy(array: NdArray, dtype: NpyDtype): Uint8Array {
  const { shape, data } = array;
  checkWritableShape(shape);
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError(`npy data: expected ${sizeOf(shape)} values for shape ${formatShape(shape)}, got ${data.length}`);
  }
  const header = npyHeaderBytes(shape, dtype);
  const body = npyDataBytes(data, dtype);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/**
 * The preamble and header of a version 1.0 .npy file of `shape` and `dtype`, exactly as numpy.save writes them.
 * @throws ShapeError when a dimension is not a non-negative integer or the header would pass 64 KiB
 */
export function npyHeaderBytes(shape: readonly number[], dtype: NpyDtype): Uint8Array {
  checkWritableShape(shape);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Magic (6) + version (2) + uint16 length (2) + dict + spaces + '\n', a multiple of ALIGN.
  const headerLength = Math.ceil((10 + dict.length + 1) / ALIGN) * ALIGN - 10;
  const text = dict.padEnd(headerLength - 1, ' ') + '\n';
  if (headerLength > 0xffff) {
    throw new ShapeError(`npy shape: expected a header under 64 KiB (version 1.0), got ${headerLength} bytes for ${shape.length} dimensions`);
  }
  const out = new Uint8Array(10 + headerLength);
  out.set(MAGIC, 0);
  out[6] = 1; // version 1.0
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerLength, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

function checkWritableShape(shape: readonly number[]): void {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`npy shape: expected non-negative integers, got ${formatShape(shape)}`);
  }
}

/** `data` as the little-endian bytes of `dtype` (float64 values written as float32 round to nearest). */
export function npyDataBytes(data: Float32Array | Float64Array, dtype: NpyDtype): Uint8Array {
  const typed = dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
  const raw = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(raw, ITEM_BYTES[dtype]);
  return raw;
}

/**
 * Writes a .npy file atomically: a temporary file in the same directory, fsync, then rename.
 * On failure the temporary file is removed and an existing file at `file` is left as it was.
 * @throws ShapeError as writeNpy (before anything touches the disk); fs errors as they come.
 */
export function writeNpyFile(file: string, array: NdArray, dtype: NpyDtype): void {
  writeFileAtomic(file, writeNpy(array, dtype));
}

function checkDataLength(header: NpyHeader, available: number): void {
  const expected = sizeOf(header.shape) * ITEM_BYTES[header.dtype];
  if (available !== expected) {
    throw new FileFormatError(`npy data: expected ${expected} bytes for shape ${formatShape(header.shape)} of '${header.descr}', got ${available}`);
  }
}

/**
 * The values of `raw` as `header` describes them.
 * @param firstIndex the flat index of raw's first value in the whole file (for messages about a chunk)
 * @param wholeShape the file's shape (for messages about a chunk)
 */
export function decodeData(header: NpyHeader, raw: Uint8Array, firstIndex = 0, wholeShape: readonly number[] = header.shape): NpyArray {
  const { dtype, shape } = header;
  const count = sizeOf(shape);
  if (dtype === 'float32' || dtype === 'float64') {
    // Copy into a fresh, aligned buffer: the data offset need not be a multiple of the item size.
    const copy = raw.slice(0, count * ITEM_BYTES[dtype]);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes(copy, ITEM_BYTES[dtype]);
    const data = dtype === 'float32' ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
    return { shape, data, dtype, integral: false };
  }
  // DataView reads little-endian explicitly, at any offset, whatever the host's byte order.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new Float64Array(count);
  switch (dtype) {
    case 'int8':
      for (let i = 0; i < count; i++) data[i] = view.getInt8(i);
      break;
    case 'uint8':
      for (let i = 0; i < count; i++) data[i] = view.getUint8(i);
      break;
    case 'int16':
      for (let i = 0; i < count; i++) data[i] = view.getInt16(2 * i, true);
      break;
    case 'uint16':
      for (let i = 0; i < count; i++) data[i] = view.getUint16(2 * i, true);
      break;
    case 'int32':
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, true);
      break;
    case 'uint32':
      for (let i = 0; i < count; i++) data[i] = view.getUint32(4 * i, true);
      break;
    case 'int64':
    case 'uint64':
      for (let i = 0; i < count; i++) {
        const value = dtype === 'int64' ? view.getBigInt64(8 * i, true) : view.getBigUint64(8 * i, true);
        if (value > MAX_EXACT_INTEGER || value < -MAX_EXACT_INTEGER) {
          throw new FileFormatError(
            `npy data: expected ${dtype} values within +-2^53 (exact as doubles), got ${value} at index ${firstIndex + i} (${formatShape(unravelIndex(firstIndex + i, wholeShape))} of shape ${formatShape(wholeShape)})`,
          );
        }
        data[i] = Number(value);
      }
      break;
  }
  return { shape, data, dtype, integral: true };
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
