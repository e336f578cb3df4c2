/**
 * The IDX file format of the MNIST distribution (LeCun et al., http://yann.lecun.com/exdb/mnist/):
 *   bytes 0-1  zero
 *   byte  2    element type: 0x08 unsigned byte (the only one MNIST uses, and the only one read here)
 *   byte  3    number of dimensions, d
 *   then d     dimension sizes, big-endian uint32
 *   then       prod(sizes) elements in row-major order
 * So an image file starts with the magic number 0x00000803 (2051: ubyte, 3 dims [count, rows, cols]) and a
 * label file with 0x00000801 (2049: ubyte, 1 dim [count]). Every check names the file and the value read.
 */
import { FileFormatError } from '../../src/errors';
import { formatShape } from '../../src/tensor';

/** Element type byte for unsigned bytes. */
const IDX_UBYTE = 0x08;
/** Magic number of an image file: ubyte, 3 dimensions. */
const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of a label file: ubyte, 1 dimension. */
const IDX_LABELS_MAGIC = 0x00000801;

/** A parsed IDX file of unsigned bytes. */
interface IdxArray {
  /** Dimension sizes as stored, e.g. [60000, 28, 28]. */
  readonly shape: readonly number[];
  /** prod(shape) bytes in row-major order; a view into the file's buffer, not a copy. */
  readonly data: Uint8Array;
}

/** MNIST images: count x rows x cols bytes, 0 (background) to 255 (ink). */
export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** [count, rows, cols], row-major. */
  readonly pixels: Uint8Array;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * Parses any ubyte IDX file.
 * @param bytes the whole file
 * @param name the file's name, for error messages
 * @throws FileFormatError for a short header, a non-zero magic prefix, an element type other than 0x08,
 *   zero dimensions, or a byte length that differs from header + prod(shape).
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.byteLength < 4) {
    throw new FileFormatError(`${name}: expected an IDX header of at least 4 bytes, got ${bytes.byteLength} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FileFormatError(`${name}: expected an IDX magic number starting with two zero bytes, got ${hex(magic)}`);
  }
  if (bytes[2] !== IDX_UBYTE) {
    throw new FileFormatError(`${name}: expected IDX element type 0x08 (unsigned byte), got 0x${bytes[2].toString(16).padStart(2, '0')} (magic ${hex(magic)})`);
  }
  const rank = bytes[3];
  if (rank === 0) throw new FileFormatError(`${name}: expected at least 1 IDX dimension, got 0 (magic ${hex(magic)})`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new FileFormatError(`${name}: expected a ${headerBytes}-byte IDX header for ${rank} dimensions, got ${bytes.byteLength} bytes`);
  }
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const elements = shape.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + elements;
  if (bytes.byteLength !== expectedBytes) {
    throw new FileFormatError(
      `${name}: expected ${expectedBytes} bytes (${headerBytes}-byte header + ${formatShape(shape)} elements), got ${bytes.byteLength}`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/**
 * Parses an IDX image file (magic 0x00000803): [count, rows, cols] unsigned bytes.
 * @throws FileFormatError naming the file, for any malformation parseIdx finds or another magic number.
 */
export function parseIdxImages(bytes: Uint8Array, name: string): IdxImages {
  const { shape, data } = parseIdx(bytes, name);
  if (shape.length !== 3) {
    throw new FileFormatError(
      `${name}: expected an IDX image file (magic ${hex(IDX_IMAGES_MAGIC)}, 3 dimensions), got ${shape.length} dimensions ${formatShape(shape)}`,
    );
  }
  const [count, rows, cols] = shape;
  return { count, rows, cols, pixels: data };
}

/**
 * Parses an IDX label file (magic 0x00000801): [count] unsigned bytes, each a class below `classes`.
 * @throws FileFormatError naming the file, for any malformation parseIdx finds, another magic number,
 *   or a label >= classes (with its index).
 */
export function parseIdxLabels(bytes: Uint8Array, name: string, classes = 10): Uint8Array {
  const { shape, data } = parseIdx(bytes, name);
  if (shape.length !== 1) {
    throw new FileFormatError(
      `${name}: expected an IDX label file (magic ${hex(IDX_LABELS_MAGIC)}, 1 dimension), got ${shape.length} dimensions ${formatShape(shape)}`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= classes) throw new FileFormatError(`${name}: expected labels 0 to ${classes - 1}, got ${data[i]} at index ${i}`);
  }
  return data;
}

/**
 * Encodes bytes as an IDX file (the inverse of parseIdx), for tests and fixtures.
 * @param shape dimension sizes; prod(shape) must equal data.length
 * @throws FileFormatError when the shape does not describe data.length bytes or has more than 255 dimensions.
 */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const elements = shape.reduce((a, b) => a * b, 1);
  if (elements !== data.length || shape.length === 0 || shape.length > 255) {
    throw new FileFormatError(`encodeIdx: expected 1 to 255 dimensions holding ${data.length} bytes, got ${formatShape(shape)}`);
  }
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + data.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = shape.length;
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  out.set(data, headerBytes);
  return out;
}
