/**
 * A legacy HDF5 full model (`model.save("m.h5")` in tf.keras 2.x, or Keras 3's legacy writer) -> GraphModel.
 *
 *     /                     attrs model_config (JSON), keras_version, backend (training_config: ignored)
 *     /model_weights        attrs layer_names, backend, keras_version
 *     /model_weights/lstm   attr weight_names: ['lstm/lstm_cell/kernel', ...] (tf.keras 2: '...:0')
 *     /model_weights/lstm/lstm/lstm_cell/kernel    the dataset, at weight_names[k] inside the layer's group
 *     /optimizer_weights    (ignored)
 *
 * Each layer's group is named by the LAYER NAME (not by class, as in Keras 3's .weights.h5); its
 * weight_names give the order, which is Keras's legacy order (trainable then non-trainable: kernel,
 * recurrent_kernel, bias). Keras 3 also writes a `top_level_model_weights` group, and groups for layers
 * without weights (input_layer, dropout), all with an empty weight_names. Long lists are split by Keras
 * into weight_names0, weight_names1, ... (each attribute must fit HDF5's 64 KiB object header).
 */
import { FileFormatError } from '../errors';
import { assembleModel } from '../graph/assemble';
import type { WeightArray } from '../graph/model';
import { readArchitecture } from '../graph/read-config';
import { parseJsonText } from '../io/json';
import type { Hdf5File } from '../keras/hdf5';
import type { Blocker } from '../layers/read-context';
import type { ModelFile } from './keras-model';

const WEIGHTS_GROUP = 'model_weights';

/** Whether an HDF5 file is a legacy full model: a model_config attribute, or a model_weights group. */
export function isLegacyFullModel(file: Hdf5File): boolean {
  return file.stringAttribute('', 'model_config') !== undefined || file.kindOf(WEIGHTS_GROUP) === 'group';
}

/** An attribute Keras may have split into name0, name1, ... (load_attributes_from_hdf5_group). */
function chunkedStringList(file: Hdf5File, path: string, name: string): string[] {
  const whole = file.stringListAttribute(path, name);
  if (whole !== undefined) return whole;
  const out: string[] = [];
  for (let k = 0; ; k++) {
    const chunk = file.stringListAttribute(path, `${name}${k}`);
    if (chunk === undefined) return out;
    out.push(...chunk);
  }
}

/** The last path component without TensorFlow's ':0' suffix: 'lstm/lstm_cell/kernel:0' -> 'kernel'. */
function baseName(weightName: string): string {
  const last = weightName.split('/').pop() ?? weightName;
  return last.replace(/:\d+$/, '');
}

/**
 * A weight_names entry is a path inside the layer's group; refuse one that could name anything else.
 * @returns an error text, or undefined when the name is a plain relative path
 */
function unsafeWeightName(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.startsWith('/')) return 'an absolute path';
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return "a path with an empty, '.' or '..' component";
  return undefined;
}

/**
 * Reads a legacy full model held in an open HDF5 file.
 * @param label how errors name the file (its path)
 * @throws FileFormatError for a file without a readable model_config, from Keras 1, without model_weights,
 *   or whose weight_names do not fit the architecture (a missing group or dataset, a count or order that
 *   differs, a weight no layer uses); ShapeError for a misshapen weight; UnsupportedModelError listing
 *   every blocker of the architecture.
 */
export function readLegacyH5(file: Hdf5File, label: string): ModelFile {
  const configText = file.stringAttribute('', 'model_config');
  if (configText === undefined) {
    const what = file.kindOf(WEIGHTS_GROUP) === 'group' ? 'a model_weights group but no model_config' : 'no model_config attribute';
    throw new FileFormatError(`${label}: expected a legacy Keras full model (a model_config attribute at /, written by model.save("m.h5")), got ${what}`);
  }
  const version = file.stringAttribute('', 'keras_version');
  if (version === undefined || !/^[23]\./.test(version)) {
    throw new FileFormatError(
      `${label}: expected a file written by Keras 2 or 3 (keras_version 2.x or 3.x), got ${version === undefined ? 'no keras_version (Keras 1?)' : `keras_version ${JSON.stringify(version)}`}: Keras 1 stored recurrent weights in another layout`,
    );
  }
  const config = parseJsonText(configText, `${label}: model_config`);
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(config, 'keras', blockers);
  if (blockers.length === 0 && file.kindOf(WEIGHTS_GROUP) !== 'group') {
    throw new FileFormatError(`${label}: expected a group /${WEIGHTS_GROUP} (the weights of a full model), got ${file.members('').join(', ') || 'nothing'}`);
  }
  const used = new Set<string>();
  const model = assembleModel(
    architecture,
    blockers,
    (layer, _index, expected): WeightArray[] => {
      const group = `${WEIGHTS_GROUP}/${layer.name}`;
      if (file.kindOf(group) !== 'group') {
        if (expected.length === 0) return [];
        throw new FileFormatError(
          `${label}: expected a group /${group} holding the weights of ${layer.where}, got none (groups: ${file.members(WEIGHTS_GROUP).join(', ') || 'none'})`,
        );
      }
      used.add(layer.name);
      const names = chunkedStringList(file, group, 'weight_names');
      if (names.length !== expected.length) {
        throw new FileFormatError(
          `${label}: /${group} (${layer.where}): expected ${expected.length} weights (${expected.map((e) => e.name).join(', ') || 'none'}), got ${names.length} in weight_names${names.length ? ` (${names.join(', ')})` : ''}`,
        );
      }
      return names.map((name, i) => {
        const bad = unsafeWeightName(name);
        if (bad !== undefined)
          throw new FileFormatError(`${label}: /${group} weight_names[${i}]: expected a path inside the layer's group, got ${bad} (${JSON.stringify(name)})`);
        // Keras loads by position; a name that is another expected weight's means the order is not Keras's.
        const base = baseName(name);
        if (base !== expected[i].name && expected.some((e) => e.name === base)) {
          throw new FileFormatError(
            `${label}: /${group}/${name}: expected ${expected[i].name} at position ${i} of weight_names (${expected.map((e) => e.name).join(', ')}), got ${base}`,
          );
        }
        const path = `${group}/${name}`;
        if (file.kindOf(path) !== 'dataset') {
          throw new FileFormatError(
            `${label}: /${path}: expected the dataset weight_names[${i}] names (${expected[i].name} of ${layer.where}), got ${file.kindOf(path) ?? 'nothing'}`,
          );
        }
        return { name: expected[i].name, shape: expected[i].shape.slice(), data: file.readFloat32(path, expected[i].shape) };
      });
    },
    label,
  );
  for (const group of file.members(WEIGHTS_GROUP)) {
    if (used.has(group) || file.kindOf(`${WEIGHTS_GROUP}/${group}`) !== 'group') continue;
    const names = chunkedStringList(file, `${WEIGHTS_GROUP}/${group}`, 'weight_names');
    if (names.length > 0) {
      throw new FileFormatError(`${label}: /${WEIGHTS_GROUP}/${group}: expected no weights the architecture does not use, got ${names.join(', ')}`);
    }
  }
  const backend = file.stringAttribute('', 'backend');
  return { model, format: 'h5', writer: `Keras ${version}${backend ? ` (${backend})` : ''}` };
}
