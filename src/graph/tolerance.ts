/**
 * One tolerance policy for every entry point (flags, tfjs artifacts, Keras files, trained models):
 *
 * 1. The default atol grows with the model's longest dot product K (src/compare/tolerance.ts has the
 *    measurements): atol = 2e-6 * max(1, sqrt(K / 16)), rtol = 1e-6. K is the largest of the layers'
 *    reduction sizes (a recurrent layer's inputDim + units, a Dense layer's inputDim).
 * 2. When a comparison fails at the default and the user set no atol, the model's own float32 floor is
 *    measured (max |hand path in float32 - hand path in float64| over that output) and the comparison is
 *    judged at atol = max(default, 16 * floor) (FLOOR_FACTOR's evidence is in src/compare/tolerance.ts):
 *    relu and linear recurrences over many steps leave unit scale, where a fixed atol means nothing.
 *    Every comparison of the same output uses the same widened atol, Keras's ones included.
 * 3. An explicit --atol is never widened; NaN and Inf never pass.
 */
import type { Tolerance } from '../compare/compare';
import { BASE_ATOL, DEFAULT_RTOL } from '../compare/tolerance';
import { layerKind } from '../layers/registry';
import type { GraphModel } from './model';
import { inboundShapes, inferShapes } from './shapes';

/** Dot-product length up to which BASE_ATOL applies unscaled (src/compare/tolerance.ts). */
const BASE_REDUCTION = 16;

/** The longest dot product any layer reduces over. */
export function graphReductionSize(model: GraphModel): number {
  const shapes = inferShapes(model.inputs, model.layers);
  return model.layers.reduce((k, layer) => Math.max(k, layerKind(layer.kind).reductionSize(layer.config, inboundShapes(layer, shapes))), 1);
}

/** The default tolerance of a float32 path against the float64 hand path, for this model. */
export function graphTolerance(model: GraphModel): Tolerance {
  const scale = Math.max(1, Math.sqrt(graphReductionSize(model) / BASE_REDUCTION));
  return { atol: BASE_ATOL * scale, rtol: DEFAULT_RTOL };
}
