/** The graph as Keras's model.summary() shows it: layer, type, output shape, parameters, inputs. */
import { layerKind } from '../layers/registry';
import type { ParityNote } from '../layers/kind';
import type { GraphModel, Shape } from './model';
import { inferShapes } from './shapes';

export interface LayerRow {
  readonly name: string;
  /** Keras's class name. */
  readonly type: string;
  readonly kind: string;
  /** Batch first, null = any. */
  readonly outputShape: Shape;
  readonly parameters: number;
  readonly weightShapes: number[][];
  /** What it reads: input or layer names. */
  readonly inbound: readonly string[];
  /** Short options: '32 units, tanh/sigmoid'. */
  readonly options: string;
  /** Where tfjs and Keras differ for this layer, and what the tool did. */
  readonly notes: readonly ParityNote[];
}

export function summarizeGraph(model: GraphModel): { rows: LayerRow[]; totalParameters: number } {
  const shapes = inferShapes(model.inputs, model.layers);
  const rows = model.layers.map((layer): LayerRow => {
    const kind = layerKind(layer.kind);
    return {
      name: layer.name,
      type: kind.kerasClass,
      kind: kind.kind,
      outputShape: shapes.get(layer.name) as Shape,
      parameters: layer.weights.reduce((n, w) => n + w.data.length, 0),
      weightShapes: layer.weights.map((w) => w.shape.slice()),
      inbound: layer.inbound,
      options: kind.describe ? kind.describe(layer.config) : '',
      notes: kind.parityNotes ? kind.parityNotes(layer.config) : [],
    };
  });
  return { rows, totalParameters: rows.reduce((n, r) => n + r.parameters, 0) };
}
