/**
 * A tfjs LayersModel in memory -> GraphModel: its own serialization (model.toJSON, the modelTopology
 * model.save writes) read through the same architecture reader as Keras files (source 'tfjs': tfjs's
 * activation names), and its weights as the layers hold them.
 */
import type * as tf from '@tensorflow/tfjs';
import { assembleModel } from '../graph/assemble';
import type { GraphModel } from '../graph/model';
import { readArchitecture } from '../graph/read-config';
import type { Blocker } from '../layers/read-context';

/**
 * @param label how errors name the model
 * @throws UnsupportedModelError listing every blocker; ShapeError when a layer's weights differ from its kind's.
 */
export function graphFromTfjsModel(model: tf.LayersModel, label: string): GraphModel {
  const topology = model.toJSON(null, false) as unknown;
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(topology, 'tfjs', blockers);
  return assembleModel(
    architecture,
    blockers,
    (layer, _i, expected) =>
      model
        .getLayer(layer.name)
        .getWeights()
        .map((w, k) => ({
          name: expected[k]?.name ?? `weight_${k}`,
          shape: w.shape.slice(),
          data: Float32Array.from(w.dataSync() as Float32Array),
        })),
    label,
  );
}
