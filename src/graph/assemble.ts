/**
 * Architecture + weights -> GraphModel: each layer's weights checked against what its kind builds
 * (count, order, shape), NaN and Inf refused. Every reader (Keras 3, legacy .h5, tfjs) ends here.
 */
import { firstNonFinite, unravelIndex } from '../io/finite';
import type { Blocker } from '../layers/read-context';
import { layerKind } from '../layers/registry';
import { formatShape } from '../tensor';
import type { Architecture, LayerEntry } from './read-config';
import { inboundShapes, inferShapes } from './shapes';
import type { GraphModel, Shape, WeightArray } from './model';
import { throwIfBlocked } from './unsupported';
import { FileFormatError, ShapeError } from '../errors';

/** Reads one layer's stored weights, given the shapes its kind expects (the reader checks them). */
export type WeightSource = (layer: LayerEntry, index: number, expected: readonly { name: string; shape: readonly number[] }[]) => WeightArray[];

/**
 * @param label how errors name the file
 * @throws UnsupportedModelError with every blocker of the architecture; ShapeError, FileFormatError from
 *   the weights (a missing, extra or misshapen weight; NaN or Inf).
 */
export function assembleModel(architecture: Architecture, blockers: readonly Blocker[], readWeights: WeightSource, label: string): GraphModel {
  throwIfBlocked(label, blockers);
  const shapes = shapeMap(architecture, label);
  const layers = architecture.layers.map((layer, index) => {
    const kind = layerKind(layer.kind);
    const expected = kind.weightShapes(layer.config, inboundShapes(layer, shapes));
    const weights = readWeights(layer, index, expected);
    checkWeights(layer, weights, expected, label);
    return { name: layer.name, kind: layer.kind, config: layer.config, weights, inbound: layer.inbound };
  });
  return { topology: architecture.topology, inputs: architecture.inputs, layers, outputs: architecture.outputs };
}

function shapeMap(architecture: Architecture, label: string): Map<string, Shape> {
  try {
    return inferShapes(architecture.inputs, architecture.layers);
  } catch (error) {
    if (error instanceof ShapeError) throw new ShapeError(`${label}: ${error.message}`);
    throw error;
  }
}

/** @throws ShapeError for a count or shape that differs; FileFormatError for NaN or Inf. */
export function checkWeights(
  layer: { name: string; where?: string },
  weights: readonly WeightArray[],
  expected: readonly { name: string; shape: readonly number[] }[],
  label: string,
): void {
  const where = `${label}: ${layer.where ?? `layer "${layer.name}"`}`;
  if (weights.length !== expected.length) {
    throw new ShapeError(
      `${where}: expected ${expected.length} weights (${expected.map((e) => `${e.name} ${formatShape(e.shape)}`).join(', ') || 'none'}), got ${weights.length}`,
    );
  }
  weights.forEach((w, i) => {
    if (formatShape(w.shape) !== formatShape(expected[i].shape) || w.data.length !== expected[i].shape.reduce((a, b) => a * b, 1)) {
      throw new ShapeError(`${where} ${expected[i].name}: expected shape ${formatShape(expected[i].shape)}, got ${formatShape(w.shape)}`);
    }
    const bad = firstNonFinite(w.data);
    if (bad !== undefined) {
      throw new FileFormatError(
        `${where} ${expected[i].name}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at ${formatShape(unravelIndex(bad.index, w.shape))}`,
      );
    }
  });
}
