/**
 * Reading a model file from disk with its size bounded before anything is read: fstat first, and
 * openRegularFile refuses a FIFO, a device or a directory (a hostile path must not hang or exhaust memory).
 */
import fs from 'node:fs';
import { FileFormatError } from '../errors';
import { openRegularFile, readRange } from '../io/read-file';
import { MAX_JSON_BYTES, MAX_WEIGHTS_BYTES } from './archive';

/** Largest file read: the largest model.weights.h5 plus both JSON members. */
export const MAX_KERAS_FILE_BYTES = MAX_WEIGHTS_BYTES + 2 * MAX_JSON_BYTES + 2 ** 20;

/**
 * Reads up to `prefix` bytes of a file (all of it by default) after bounding its size by `limit`.
 * openRegularFile opens non-blocking and refuses a FIFO, a device or a directory before reading.
 * @param what how the error for a file that cannot be opened names what was expected
 * @throws FileFormatError "<file>: expected a readable Keras file, got ENOENT", or for a file over `limit`.
 */
export function readBounded(file: string, limit: number, prefix = Infinity, what = 'a readable Keras file'): Uint8Array {
  let opened: { fd: number; size: number };
  try {
    opened = openRegularFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new FileFormatError(`${file}: expected ${what}, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { fd, size } = opened;
  try {
    if (size > limit) throw new FileFormatError(`${file}: expected at most ${limit} bytes, got ${size}`);
    return readRange(fd, 0, Math.min(size, prefix));
  } finally {
    fs.closeSync(fd);
  }
}
