/** Bidirectional on the hand path: both held layers' own forwards, the backward sequence flipped, merged. */
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, WeightData } from '../kind';
import type { BidirectionalConfig } from '.';

/** Reverses axis 1 of [batch, timeSteps, units] (a copy). Its own inverse: flips outputs and their gradients alike. */
export function flipTime(x: Pick<HandTensor, 'shape' | 'data'>): Float64Array | Float32Array {
  const [batch, timeSteps, units] = x.shape;
  const out = x.data.slice();
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < timeSteps; t++) {
      const from = (b * timeSteps + t) * units;
      const to = (b * timeSteps + (timeSteps - 1 - t)) * units;
      for (let j = 0; j < units; j++) out[to + j] = x.data[from + j];
    }
  }
  return out;
}

/**
 * @param weights the forward layer's weights, then the backward layer's
 * @param inputs [batch, timeSteps, features] (with its mask, when one reaches it)
 * @returns concat: [..., unitsF + unitsB]; sum, ave, mul: [..., units]
 */
export function bidirectionalForward(
  config: BidirectionalConfig,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  arith: Arithmetic,
): HandTensor {
  return bidirectionalForwardAll(config, weights, inputs, arith)[0];
}

/** merge_mode=None: [forward output, flipped backward output], each with the input's mask when a sequence. */
export function bidirectionalForwardAll(
  config: BidirectionalConfig,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  arith: Arithmetic,
): HandTensor[] {
  const forwardCount = config.forward.kind.weightShapes(
    config.forward.config,
    inputs.map((x) => x.shape),
  ).length;
  const y = config.forward.kind.forward(config.forward.config, weights.slice(0, forwardCount), inputs, arith) as HandTensor;
  const yRevRaw = config.backward.kind.forward(config.backward.config, weights.slice(forwardCount), inputs, arith) as HandTensor;
  const yRev = y.shape.length === 3 ? flipTime(yRevRaw) : yRevRaw.data;
  const { round } = arith;
  if (config.mergeMode === null) {
    const mask = y.shape.length === 3 ? inputs[0].mask : undefined;
    return [y, mask ? { shape: yRevRaw.shape, data: yRev, mask } : { shape: yRevRaw.shape, data: yRev }];
  }
  if (config.mergeMode === 'concat') {
    const a = y.shape[y.shape.length - 1];
    const b = yRevRaw.shape[yRevRaw.shape.length - 1];
    const rows = y.data.length / a;
    const out = arith.alloc(rows * (a + b));
    for (let r = 0; r < rows; r++) {
      out.set(y.data.subarray(r * a, (r + 1) * a), r * (a + b));
      out.set(yRev.subarray(r * b, (r + 1) * b), r * (a + b) + a);
    }
    return [{ shape: [...y.shape.slice(0, -1), a + b], data: out }];
  }
  const out = arith.alloc(y.data.length);
  for (let i = 0; i < out.length; i++) {
    const f = y.data[i];
    const r = yRev[i];
    // Parity note: Keras's ave is (y + y_rev) / 2, two float32 operations.
    out[i] = config.mergeMode === 'sum' ? round(f + r) : config.mergeMode === 'mul' ? round(f * r) : round(round(f + r) / 2);
  }
  return [{ shape: y.shape, data: out }];
}
