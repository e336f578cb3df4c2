/**
 * .npy files read and written a chunk of samples at a time, so that a check over a whole test set holds one
 * chunk in memory, not the file: `openNpyFile` reads rows [start, start + count) of the first axis on demand;
 * `createNpyWriter` appends chunks under a temporary name and puts the file in place only when told to commit
 * (the same atomic rename as writeNpyFile: a failed run leaves whatever was at the target before).
 *
 * The element limit (MAX_ELEMENTS) applies to each chunk read, not to the file.
 */
import fs from 'node:fs';
import { FileFormatError, ShapeError } from '../errors';
import { MAX_ELEMENTS } from '../spec';
import { formatShape, sizeOf } from '../tensor';
import { createAtomicStream } from './atomic-write';
import { decodeData, ITEM_BYTES, npyDataBytes, npyHeaderBytes, type NpyArray, type NpyDtype } from './npy';
import { MAX_NPY_HEADER_BYTES, parseHeader, type NpyHeader } from './npy-header';
import { openRegularFile, readRange } from './read-file';

/** An open .npy file whose first axis (samples) is read in chunks. */
export interface NpyFile {
  readonly path: string;
  /** The whole array's shape, as stored; shape[0] is the number of samples. */
  readonly shape: readonly number[];
  readonly dtype: NpyArray['dtype'];
  readonly integral: boolean;
  /**
   * Samples [start, start + count) as an array of shape [count, ...shape.slice(1)].
   * @throws FileFormatError when the range is outside the file, the chunk passes MAX_ELEMENTS, or the file
   *   changed size under us; for an int64 value beyond +-2^53, naming its index in the whole file
   */
  readSamples(start: number, count: number): NpyArray;
  close(): void;
}

/**
 * Opens a .npy file for reading in chunks: the header is parsed and the file's size checked against it now;
 * no data is read until readSamples. A rank-0 array has no samples to chunk and is refused.
 * @throws FileFormatError as readNpyFile (prefixed with the path); fs errors (ENOENT...) as they come
 */
export function openNpyFile(file: string, options: { integers?: boolean } = {}): NpyFile {
  const { fd, size } = openRegularFile(file);
  let header: NpyHeader;
  try {
    header = parseHeader(readRange(fd, 0, Math.min(size, 12 + MAX_NPY_HEADER_BYTES)), options, false);
    if (header.shape.length === 0) throw new FileFormatError('npy shape: expected at least one axis (samples first), got ()');
    const expected = sizeOf(header.shape) * ITEM_BYTES[header.dtype];
    if (size - header.dataOffset !== expected) {
      throw new FileFormatError(
        `npy data: expected ${expected} bytes for shape ${formatShape(header.shape)} of '${header.descr}', got ${size - header.dataOffset}`,
      );
    }
  } catch (error) {
    fs.closeSync(fd);
    if (error instanceof FileFormatError) throw new FileFormatError(`${file}: ${error.message}`);
    throw error;
  }
  const sampleElements = sizeOf(header.shape.slice(1));
  const itemBytes = ITEM_BYTES[header.dtype];
  let open = true;
  return {
    path: file,
    shape: header.shape,
    dtype: header.dtype,
    integral: header.dtype !== 'float32' && header.dtype !== 'float64',
    readSamples(start, count) {
      const samples = header.shape[0];
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > samples) {
        throw new FileFormatError(`${file}: expected samples within [0, ${samples}), got [${start}, ${start + count})`);
      }
      if (count * sampleElements > MAX_ELEMENTS) {
        throw new FileFormatError(`${file}: expected a chunk of at most ${MAX_ELEMENTS} (2^26) elements, got ${count} samples of ${sampleElements}`);
      }
      if (!open) throw new FileFormatError(`${file}: read after close`);
      const bytes = count * sampleElements * itemBytes;
      const raw = readRange(fd, header.dataOffset + start * sampleElements * itemBytes, bytes);
      if (raw.length !== bytes) throw new FileFormatError(`${file}: expected ${bytes} bytes at sample ${start}, got ${raw.length} (the file shrank)`);
      const chunk: NpyHeader = { ...header, shape: [count, ...header.shape.slice(1)] };
      try {
        return decodeData(chunk, raw, start * sampleElements, header.shape);
      } catch (error) {
        if (error instanceof FileFormatError) throw new FileFormatError(`${file}: ${error.message}`);
        throw error;
      }
    },
    close() {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
}

/** A .npy file written a chunk at a time; nothing appears at the target before commit(). */
export interface NpyWriter {
  /** Appends samples: data of `count` samples of shape.slice(1), in order. */
  append(data: Float32Array | Float64Array): void;
  /** Checks that every sample was written, then puts the file in place atomically. */
  commit(): void;
  /** Removes the temporary file; the target is left as it was. Safe to call after commit (does nothing). */
  abort(): void;
}

/**
 * Starts writing a .npy file of `shape` (samples first) and `dtype` beside `target`.
 * @throws ShapeError for a bad shape; fs errors from creating the temporary file
 */
export function createNpyWriter(target: string, shape: readonly number[], dtype: NpyDtype): NpyWriter {
  if (shape.length === 0) throw new ShapeError('npy shape: expected at least one axis (samples first), got ()');
  const header = npyHeaderBytes(shape, dtype);
  const total = sizeOf(shape);
  const stream = createAtomicStream(target);
  let written = 0;
  try {
    stream.write(header);
  } catch (error) {
    stream.abort();
    throw error;
  }
  return {
    append(data) {
      if (written + data.length > total) {
        throw new ShapeError(`npy data: expected ${total} values for shape ${formatShape(shape)}, got ${written + data.length} so far`);
      }
      stream.write(npyDataBytes(data, dtype));
      written += data.length;
    },
    commit() {
      if (written !== total) throw new ShapeError(`npy data: expected ${total} values for shape ${formatShape(shape)}, got ${written}`);
      stream.commit();
    },
    abort() {
      stream.abort();
    },
  };
}
