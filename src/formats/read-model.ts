/**
 * One entry for every model file: readModelFile(path) finds the format from the CONTENT, not the name.
 *
 *   folder          model.json inside -> tfjs artifacts; else model.keras inside -> that file
 *   zip             (50 4b 03 04)      -> Keras 3 .keras
 *   HDF5            (89 48 44 46)      -> legacy full model .h5 (a model_config attribute or a
 *                                         model_weights group), else a Keras 3 weights-only .weights.h5
 *                                         (its architecture given in options.architecture)
 *   JSON            ({ first)          -> tfjs model.json (its shards beside it)
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, FileFormatError } from '../errors';
import { assembleModel } from '../graph/assemble';
import type { Architecture } from '../graph/read-config';
import { looksLikeZip } from '../keras/archive';
import { Hdf5File } from '../keras/hdf5';
import { MAX_KERAS_FILE_BYTES, readBounded } from '../keras/read';
import { readKerasZip, type ModelFile } from './keras-model';
import { kerasWeightSource } from './keras-weights';
import { isLegacyFullModel, readLegacyH5 } from './legacy-h5';
import { readTfjsArtifacts, TFJS_MODEL_JSON } from './tfjs-artifacts';

export interface ReadModelOptions {
  /**
   * The architecture of a bare Keras 3 `.weights.h5` (which holds none): readArchitecture's result, or a
   * function returning it, called only when the file is one. Ignored for every other format.
   */
  readonly architecture?: Architecture | (() => Architecture);
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46];
const KERAS_IN_FOLDER = 'model.keras';
/** What every error says the path should have been. */
const EXPECTED = 'a .keras zip, a legacy .h5 or .weights.h5 (HDF5), a tfjs model.json, or a folder holding model.json or model.keras';

function hexPrefix(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'an empty file';
}

/**
 * Reads a bare Keras 3 weights file for `architecture`.
 * @throws FileFormatError, ShapeError as readKerasZip's weights.
 */
function readKerasWeightsH5(file: Hdf5File, architecture: Architecture, label: string): ModelFile {
  const store = kerasWeightSource(file, architecture, label);
  const model = assembleModel(architecture, [], store.source, label);
  store.checkNothingLeft();
  return { model, format: 'weights.h5' };
}

/**
 * Reads any supported model file or folder.
 * @throws ConfigError for a path that does not exist, or a .weights.h5 without options.architecture;
 *   FileFormatError for a folder without model.json or model.keras, an unknown signature, or a file its
 *   reader refuses; ShapeError, UnsupportedModelError from the readers.
 */
export function readModelFile(target: string, options: ReadModelOptions = {}): ModelFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    throw new ConfigError(`${target}: expected ${EXPECTED}, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (stat.isDirectory()) {
    if (fs.existsSync(path.join(target, TFJS_MODEL_JSON))) return readTfjsArtifacts(path.join(target, TFJS_MODEL_JSON));
    if (fs.existsSync(path.join(target, KERAS_IN_FOLDER))) return readModelFile(path.join(target, KERAS_IN_FOLDER), options);
    let found: string[] = [];
    try {
      found = fs.readdirSync(target).sort();
    } catch {
      // named as unreadable below
    }
    const listing =
      found.length === 0 ? 'an empty folder' : `a folder of ${found.slice(0, 5).join(', ')}${found.length > 5 ? `, ... (${found.length} entries)` : ''}`;
    throw new FileFormatError(`${target}: expected a folder holding ${TFJS_MODEL_JSON} (tfjs) or ${KERAS_IN_FOLDER}, got ${listing}`);
  }
  const head = readBounded(target, MAX_KERAS_FILE_BYTES, 8, 'a readable model file');
  if (looksLikeZip(head)) return readKerasZip(readBounded(target, MAX_KERAS_FILE_BYTES), target);
  if (HDF5_MAGIC.every((b, i) => head[i] === b)) {
    const file = new Hdf5File(readBounded(target, MAX_KERAS_FILE_BYTES), target);
    if (isLegacyFullModel(file)) return readLegacyH5(file, target);
    if (options.architecture === undefined) {
      throw new ConfigError(
        `${target}: expected an architecture for a weights-only HDF5 file (a Keras 3 .weights.h5 holds none; give one, e.g. by architecture flags), got none`,
      );
    }
    const architecture = typeof options.architecture === 'function' ? options.architecture() : options.architecture;
    return readKerasWeightsH5(file, architecture, target);
  }
  const first = Array.from(head).find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b /* { */) return readTfjsArtifacts(target);
  throw new FileFormatError(`${target}: expected ${EXPECTED} (signatures 50 4b 03 04, 89 48 44 46 or '{'), got ${hexPrefix(head)}`);
}
