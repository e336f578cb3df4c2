/**
 * Shape inference over a graph: every layer's output shape from its inputs', through its kind.
 * With symbolic inputs ([null, 10, 3]) it gives the summary's shapes; with concrete ones the hand path's.
 */
import { ShapeError } from '../errors';
import { layerKind } from '../layers/registry';
import { tensorRef, type GraphInput, type Shape } from './model';

interface ShapedLayer {
  readonly name: string;
  readonly kind: string;
  readonly config: unknown;
  readonly inbound: readonly string[];
}

/**
 * @returns output shape of every input and layer, by name
 * @throws ShapeError naming the layer whose input does not fit.
 */
export function inferShapes(inputs: readonly GraphInput[], layers: readonly ShapedLayer[]): Map<string, Shape> {
  const shapes = new Map<string, Shape>(inputs.map((i) => [i.name, i.shape]));
  for (const layer of layers) {
    const inputShapes = inboundShapes(layer, shapes);
    shapes.set(layer.name, layerOutputShape(layer, inputShapes));
    // Extra outputs (return_state) are `layer:1`, `layer:2`, ...
    const kind = layerKind(layer.kind);
    kind.extraOutputShapes?.(layer.config, inputShapes).forEach((shape, k) => shapes.set(tensorRef(layer.name, k + 1), shape));
  }
  return shapes;
}

export function inboundShapes(layer: ShapedLayer, shapes: ReadonlyMap<string, Shape>): Shape[] {
  return layer.inbound.map((from) => {
    const shape = shapes.get(from);
    if (shape === undefined) throw new ShapeError(`layer "${layer.name}": expected its input "${from}" to come before it, got none`);
    return shape;
  });
}

function layerOutputShape(layer: ShapedLayer, inputs: readonly Shape[]): Shape {
  try {
    return layerKind(layer.kind).outputShape(layer.config, inputs);
  } catch (error) {
    if (error instanceof ShapeError) throw new ShapeError(`layer "${layer.name}": ${error.message}`);
    throw error;
  }
}

/** "[None, 10, 3]" as Keras prints shapes. */
export function formatSymbolicShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}
