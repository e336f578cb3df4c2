/**
 * Opening input files without trusting them: a path may name a FIFO (whose open blocks until a writer
 * comes, forever), a device (/dev/zero never ends) or a directory. Files are opened non-blocking and
 * refused unless they are regular files, so the caller can bound the read by the size fstat reports.
 */
import fs from 'node:fs';
import { FileFormatError } from '../errors';

/** Read-only and non-blocking: opening a FIFO returns at once instead of waiting for a writer. */
const OPEN_FOR_READING = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a regular file for reading. The caller closes the descriptor.
 * @returns the descriptor and the file's size in bytes
 * @throws FileFormatError "<file>: expected a regular file, got a directory" (a FIFO, a device...);
 *   fs errors from open (ENOENT, EACCES...) as they come.
 */
export function openRegularFile(file: string): { fd: number; size: number } {
  const fd = fs.openSync(file, OPEN_FOR_READING);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FileFormatError(`${file}: expected a regular file, got ${describeKind(stat)}`);
    return { fd, size: stat.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Reads up to `length` bytes at `position`; fewer if the file ends first (it shrank under us). */
export function readRange(fd: number, position: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}
