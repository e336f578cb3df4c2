/**
 * A Keras 3 `.keras` file (zip of config.json, metadata.json, model.weights.h5) -> GraphModel.
 */
import { assembleModel } from '../graph/assemble';
import type { GraphModel } from '../graph/model';
import { readArchitecture } from '../graph/read-config';
import { WEIGHTS_MEMBER, readKerasArchive } from '../keras/archive';
import { isObject } from '../keras/config-checks';
import { Hdf5File } from '../keras/hdf5';
import type { Blocker } from '../layers/read-context';
import { kerasWeightSource } from './keras-weights';

export interface ModelFile {
  readonly model: GraphModel;
  /** Which format it was read from. */
  readonly format: 'keras' | 'h5' | 'weights.h5' | 'tfjs';
  /** The writer's version, when the file says (metadata.json's keras_version, model.json's generatedBy, ...). */
  readonly writer?: string;
}

/**
 * @param label how errors name the file
 * @throws FileFormatError for a file that is not a Keras 3 zip; UnsupportedModelError listing every blocker;
 *   ShapeError, FileFormatError for weights that do not fit the architecture.
 */
export function readKerasZip(bytes: Uint8Array, label: string): ModelFile {
  const archive = readKerasArchive(bytes, label);
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(archive.config, 'keras', blockers);
  const weightsLabel = `${label}: ${WEIGHTS_MEMBER}`;
  const file = blockers.length === 0 ? new Hdf5File(archive.weights, weightsLabel) : undefined;
  const store = file ? kerasWeightSource(file, architecture, weightsLabel) : undefined;
  const model = assembleModel(architecture, blockers, (layer, i, expected) => (store ? store.source(layer, i, expected) : []), label);
  store?.checkNothingLeft();
  const version = isObject(archive.metadata) ? archive.metadata.keras_version : undefined;
  return { model, format: 'keras', ...(typeof version === 'string' ? { writer: `Keras ${version}` } : {}) };
}
