/**
 * What the gradient tests of the conv, pooling, normalization and merge kinds share (conv-pool-gradients,
 * normalization-gradients, merge-gradients): seeded float64 tensors, the float32 mode's distance from float64,
 * and one input's gradient on hand-picked values. Loads no tfjs.
 */
import type { AnyLayerKind, HandTensor } from '../../src/layers/kind';
import { arithmeticFor, type Precision } from '../../src/hand/precision';
import { kindGradients, relativeMaxError, seededValues, type KindGradientCase } from '../helpers/kind-gradients';

/** A seeded float64 tensor (standard normal times `scale`: ties have probability 0), with `mask` where given. */
export function seededTensor(shape: readonly number[], seed: number, mask?: Uint8Array, scale = 1): HandTensor {
  const data = seededValues(
    seed,
    shape.reduce((a, b) => a * b, 1),
    scale,
  );
  return mask ? { shape, data, mask } : { shape, data };
}

/**
 * The largest relative error (relativeMaxError: max |float32 - float64| / max |float64|, per tensor) of the
 * float32 mode's gradients against float64's, over every input and weight gradient of the case.
 */
export function float32Error(c: KindGradientCase): number {
  const exact = kindGradients(c, 'float64');
  const rounded = kindGradients(c, 'float32');
  const pairs = [...exact.inputs.map((g, i) => [g, rounded.inputs[i]]), ...exact.weights.map((g, i) => [g, rounded.weights[i]])];
  return Math.max(...pairs.map(([a, b]) => relativeMaxError(b as Float32Array, a as Float64Array)));
}

/** dL/d each input of a weightless kind on `inputs` with dL/dy = dy, in `precision`. */
export function inputGradients(
  kind: AnyLayerKind,
  config: unknown,
  inputs: readonly HandTensor[],
  dy: readonly number[],
  precision: Precision = 'float64',
): number[][] {
  if (!kind.backward) throw new Error(`${kind.kind}: no backward`);
  const grads = kind.backward(config, [], inputs, [Float64Array.from(dy)], arithmeticFor(precision));
  return grads.inputs.map((g) => Array.from(g ?? []));
}
