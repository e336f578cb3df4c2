/**
 * The .npy preamble and header, read (numpy/lib/format.py): the magic "\x93NUMPY", a version, the header length,
 * then a Python dict literal naming descr, fortran_order and shape, parsed by a small strict parser, never
 * evaluated. What is accepted and refused is listed in npy.ts's header comment.
 */
import { FileFormatError } from '../errors';
import { MAX_ELEMENTS } from '../spec';
import { formatShape } from '../tensor';
import type { NpyReadDtype } from './npy';
import { HeaderParser, renderValue, type HeaderValue } from './npy-header-parser';

/** Largest header read (numpy itself refuses headers over 10 000 bytes unless told otherwise). */
export const MAX_NPY_HEADER_BYTES = 64 * 1024;
/** Most dimensions a shape may have: NumPy 2's NPY_MAXDIMS (NumPy 1 allows 32). */
export const MAX_NPY_DIMENSIONS = 64;

export const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** The descr strings read, and the dtype each names (numpy writes '|' for one-byte types). */
const READ_DESCR: Readonly<Record<string, NpyReadDtype>> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '|i1': 'int8',
  '<i1': 'int8',
  '<i2': 'int16',
  '<i4': 'int32',
  '<i8': 'int64',
  '|u1': 'uint8',
  '<u1': 'uint8',
  '<u2': 'uint16',
  '<u4': 'uint32',
  '<u8': 'uint64',
};
/** Options for readNpy / readNpyFile. */
export interface ReadNpyOptions {
  /**
   * Read integer dtypes (default true). False refuses them with the float-only message of old,
   * "npy dtype: expected '<f4' or '<f8' (little-endian float32 or float64), got '<i4'", for inputs
   * that can only be floats (a model without an Embedding).
   */
  readonly integers?: boolean;
}

/** The accepted dtypes, as the refusal lists them. */
const ACCEPTED = "'<f4' '<f8' (float32, float64) or '|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4' '<u8' (int8...uint64)";
/** What the header says; `dataOffset` is where the raw data starts. */
export interface NpyHeader {
  readonly dtype: NpyReadDtype;
  /** The descr as stored, for messages. */
  readonly descr: string;
  readonly shape: number[];
  readonly dataOffset: number;
}

/**
 * Parses the preamble and header at the start of `bytes`.
 * @param elementLimit whether the whole array must fit MAX_ELEMENTS (false for a file read chunk by chunk,
 *   whose limit is per chunk)
 * @throws FileFormatError for a bad magic, version, header, dtype, fortran_order or shape
 */
export function parseHeader(bytes: Uint8Array, options: ReadNpyOptions, elementLimit = true): NpyHeader {
  if (bytes.length < 10) {
    throw new FileFormatError(`npy: truncated header: expected at least 10 bytes of preamble, got ${bytes.length}`);
  }
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    const found = Array.from(bytes.subarray(0, 6), (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    throw new FileFormatError(`npy: bad magic: expected \\x93NUMPY, got ${found}`);
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new FileFormatError(`npy: expected format version 1.0, 2.0 or 3.0, got ${major}.${minor}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) {
    throw new FileFormatError(`npy: truncated header: expected at least ${prefix} bytes of preamble, got ${bytes.length}`);
  }
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    throw new FileFormatError(`npy: header too long: expected at most ${MAX_NPY_HEADER_BYTES} bytes, got ${headerLength}`);
  }
  if (bytes.length < prefix + headerLength) {
    throw new FileFormatError(`npy: truncated header: expected ${headerLength} header bytes, got ${bytes.length - prefix}`);
  }
  const raw = bytes.subarray(prefix, prefix + headerLength);
  let text: string;
  try {
    // 1.0 and 2.0 headers are latin1, 3.0 headers utf-8; the grammar below accepts ASCII only.
    text = major === 3 ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : Buffer.from(raw).toString('latin1');
  } catch {
    throw new FileFormatError('npy header: expected utf-8 text (version 3.0), got invalid bytes');
  }
  const dict = new HeaderParser(text).parseDict();
  return { ...interpretHeader(dict, options.integers ?? true, elementLimit), dataOffset: prefix + headerLength };
}

function interpretHeader(dict: Map<string, HeaderValue>, integers: boolean, elementLimit: boolean): Omit<NpyHeader, 'dataOffset'> {
  const keys = [...dict.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw new FileFormatError(`npy header: expected keys descr, fortran_order, shape, got ${keys.join(', ') || 'none'}`);
  }
  const descr = dict.get('descr');
  const dtype = typeof descr === 'string' && Object.hasOwn(READ_DESCR, descr) ? READ_DESCR[descr] : undefined;
  if (dtype === undefined || typeof descr !== 'string') {
    const bigEndian = typeof descr === 'string' && descr.startsWith('>') ? ' (big-endian)' : '';
    throw new FileFormatError(`npy dtype: expected little-endian ${ACCEPTED}, got ${renderValue(descr)}${bigEndian}`);
  }
  if (!integers && dtype !== 'float32' && dtype !== 'float64') {
    throw new FileFormatError(`npy dtype: expected '<f4' or '<f8' (little-endian float32 or float64), got '${descr}'`);
  }
  const fortranOrder = dict.get('fortran_order');
  if (fortranOrder !== false) {
    throw new FileFormatError(`npy: expected fortran_order False (C order), got ${renderValue(fortranOrder)}`);
  }
  const shape = dict.get('shape');
  if (!Array.isArray(shape)) {
    throw new FileFormatError(`npy shape: expected a tuple of integers, got ${renderValue(shape)}`);
  }
  if (shape.length > MAX_NPY_DIMENSIONS) {
    throw new FileFormatError(`npy shape: expected at most ${MAX_NPY_DIMENSIONS} dimensions (NumPy's limit), got ${shape.length}`);
  }
  // Exact, whatever the sizes: a float product rounds, and a zero anywhere makes any other size harmless.
  const elements = shape.reduce((product, d) => product * BigInt(d), 1n);
  if (elementLimit && elements > BigInt(MAX_ELEMENTS)) {
    throw new FileFormatError(`npy shape ${formatShape(shape)}: expected at most ${MAX_ELEMENTS} (2^26) elements, got ${elements}`);
  }
  if (elements > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FileFormatError(`npy shape ${formatShape(shape)}: expected at most 2^53 - 1 elements, got ${elements}`);
  }
  return { dtype, descr, shape };
}
