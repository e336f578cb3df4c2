/**
 * Where the two paths part: every layer's output on the layer path against the hand path's (float64), on the
 * same inputs, with the error per time step for sequence outputs. The layer path is the model rebuilt with every
 * layer as an output (after each kind's tfjs fix-ups, so a layer's value is what the next layer reads).
 */
import { selectBackend, type BackendChoice } from '../backends';
import { compareOutputs } from '../compare/compare';
import { maxAbs } from '../gradients/compare-gradients';
import type { NdArray } from '../tensor';
import { forwardGraph } from './hand-forward';
import type { GraphModel } from './model';

export interface LayerError {
  readonly layer: string;
  /** The layer's output shape on these inputs. */
  readonly shape: number[];
  /** max |layer path - hand path| over the layer's output; NaN when a value is not finite. */
  readonly maxAbsError: number;
  /** max |a| of the hand path's output, to put the error in proportion. */
  readonly maxAbs: number;
  /** For [batch, timeSteps, features] outputs: the max error at each time step. */
  readonly perStep?: number[];
}

/**
 * Each layer's error, in graph order.
 * @param inputs one per model input, batch first (a few samples are enough: every layer's output is kept)
 * @throws BackendUnavailableError; ShapeError for inputs that do not fit
 */
export async function layerErrors(
  model: GraphModel,
  inputs: readonly NdArray[],
  backend: BackendChoice,
  layerImpl: 'tfjs' | 'fused' = 'tfjs',
): Promise<LayerError[]> {
  await selectBackend(backend);
  const everyLayer: GraphModel = { ...model, topology: 'Functional', outputs: model.layers.map((l) => l.name) };
  const hand = forwardGraph(everyLayer, inputs, 'float64');
  const { buildTfjsModel, predictGraph } = await import('./tfjs-model');
  const tfModel = buildTfjsModel(everyLayer, { layerImpl });
  try {
    const layer = predictGraph(tfModel, inputs, model.inputs);
    return model.layers.map((l, i) => {
      const report = compareOutputs(layer[i], hand[i], { atol: 0, rtol: 0 });
      const finite = report.nonFinite.actual + report.nonFinite.expected === 0;
      return {
        layer: l.name,
        shape: hand[i].shape.slice(),
        maxAbsError: finite ? report.maxAbsError : NaN,
        maxAbs: maxAbs(hand[i].data),
        ...(report.perStepMaxAbsError ? { perStep: report.perStepMaxAbsError } : {}),
      };
    });
  } finally {
    tfModel.dispose();
  }
}
