/**
 * Importing a user's Keras 3 model: a `.keras` file (architecture and weights), or a bare
 * `.weights.h5` (weights only, the architecture given as a ModelSpec). The result is what both of
 * rnn-parity's paths take: { spec, weights }.
 *
 *   .keras      -> archive.ts (zip) -> config.ts (config.json -> spec) -> weights-h5.ts (HDF5 -> weights)
 *   .weights.h5 ->                                      given spec -> weights-h5.ts
 *
 * Sizes are bounded before anything is allocated: the file by fstat, each zip member by its declared
 * size, the spec by validateSpec's limits, each dataset by the shape the spec implies.
 */
import fs from 'node:fs';
import { ConfigError, FileFormatError } from '../errors';
import { openRegularFile, readRange } from '../io/read-file';
import type { ModelSpec } from '../spec';
import type { RnnWeights } from '../weights';
import { looksLikeZip, MAX_JSON_BYTES, MAX_WEIGHTS_BYTES, readKerasArchive, WEIGHTS_MEMBER } from './archive';
import { architectureFromConfig, type ArchitectureOptions } from './config';
import { isObject } from './config-checks';
import { Hdf5File } from './hdf5';
import { readKerasWeights, weightGroupNames } from './weights-h5';

/** Largest file read: the largest model.weights.h5 plus both JSON members. */
export const MAX_KERAS_FILE_BYTES = MAX_WEIGHTS_BYTES + 2 * MAX_JSON_BYTES + 2 ** 20;

/** A Keras model as both paths take it, and where it came from. */
export interface KerasModel {
  readonly spec: ModelSpec;
  readonly weights: RnnWeights;
  /** Layer names, recurrent layers then the Dense: config.json's names, or the HDF5 group names of a bare weights file. */
  readonly layerNames: readonly string[];
  /** metadata.json's keras_version; undefined for a bare weights file. */
  readonly kerasVersion?: string;
  /** 'keras' for a .keras zip, 'weights.h5' for a bare weights file. */
  readonly format: 'keras' | 'weights.h5';
}

/**
 * Reads a whole .keras file held in memory.
 * @param label how errors name the file (its path)
 * @throws FileFormatError for a file that is not a Keras 3 zip with readable members; ConfigError for an
 *   architecture outside what both paths support; ShapeError for a weight whose shape the config does not imply.
 */
export function readKerasModel(bytes: Uint8Array, label: string, options: ArchitectureOptions = {}): KerasModel {
  const archive = readKerasArchive(bytes, label);
  const architecture = architectureFromConfig(archive.config, `${label}: config.json`, options);
  const weightsLabel = `${label}: ${WEIGHTS_MEMBER}`;
  const weights = readKerasWeights(new Hdf5File(archive.weights, weightsLabel), architecture.spec, weightsLabel);
  const version = isObject(archive.metadata) ? archive.metadata.keras_version : undefined;
  return {
    spec: architecture.spec,
    weights,
    layerNames: architecture.layerNames,
    ...(typeof version === 'string' ? { kerasVersion: version } : {}),
    format: 'keras',
  };
}

/**
 * Reads a bare `.weights.h5` (Keras's model.save_weights) for the model `spec` describes.
 * @throws FileFormatError, ShapeError as readKerasWeights: a group or shape that `spec` does not imply is refused.
 */
export function readKerasWeightsOnly(bytes: Uint8Array, spec: ModelSpec, label: string): KerasModel {
  const weights = readKerasWeights(new Hdf5File(bytes, label), spec, label);
  const groups = weightGroupNames(spec);
  return { spec, weights, layerNames: [...groups.recurrent, groups.dense], format: 'weights.h5' };
}

/** What readKerasFile needs besides the path. */
export interface KerasFileOptions extends ArchitectureOptions {
  /** The architecture of a bare `.weights.h5`; refused for a `.keras` file, which carries its own. */
  readonly spec?: ModelSpec;
}

/**
 * Reads a `.keras` zip or a bare `.weights.h5`, told apart by their first bytes, not by the file name.
 * @throws FileFormatError for a missing, oversized or unreadable file, or a `.weights.h5` without `spec`;
 *   ConfigError, ShapeError as readKerasModel.
 */
export function readKerasFile(file: string, options: KerasFileOptions = {}): KerasModel {
  const bytes = readBounded(file, MAX_KERAS_FILE_BYTES);
  if (formatOf(bytes, file) === 'keras') {
    if (options.spec !== undefined) {
      throw new ConfigError(`${file}: expected no separate spec for a .keras file (its config.json holds the architecture), got one`);
    }
    return readKerasModel(bytes, file, options);
  }
  if (options.spec === undefined) {
    throw new FileFormatError(`${file}: expected a .keras zip (a bare .weights.h5 holds no architecture; give a spec), got an HDF5 file`);
  }
  return readKerasWeightsOnly(bytes, options.spec, file);
}

/**
 * Which kind of Keras file `file` is, from its first bytes: 'keras' (a zip) or 'weights.h5' (HDF5).
 * @throws FileFormatError for a missing or unreadable file, or one that is neither.
 */
export function kerasFileKind(file: string): KerasModel['format'] {
  return formatOf(readBounded(file, MAX_KERAS_FILE_BYTES, HDF5_MAGIC.length), file);
}

/** The first 4 bytes of an HDF5 file's signature: "\x89HDF". */
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46];

function formatOf(bytes: Uint8Array, file: string): KerasModel['format'] {
  if (looksLikeZip(bytes)) return 'keras';
  if (HDF5_MAGIC.every((b, i) => bytes[i] === b)) return 'weights.h5';
  const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FileFormatError(`${file}: expected a .keras zip (50 4b 03 04) or an HDF5 .weights.h5 (89 48 44 46), got ${found || 'an empty file'}`);
}

/**
 * Reads up to `prefix` bytes of a file (all of it by default) after bounding its size by `limit`.
 * openRegularFile opens non-blocking and refuses a FIFO, a device or a directory before reading.
 */
function readBounded(file: string, limit: number, prefix = Infinity): Uint8Array {
  let opened: { fd: number; size: number };
  try {
    opened = openRegularFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    throw new FileFormatError(`${file}: expected a readable Keras file, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { fd, size } = opened;
  try {
    if (size > limit) throw new FileFormatError(`${file}: expected at most ${limit} bytes, got ${size}`);
    return readRange(fd, 0, Math.min(size, prefix));
  } finally {
    fs.closeSync(fd);
  }
}
