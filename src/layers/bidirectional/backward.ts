/**
 * Bidirectional's backward pass: the merge's gradient split into the two held layers' output gradients (the
 * backward layer's flipped back to its processing order), then each held kind's own backward (BPTT, with the
 * mask and zero_output_for_mask the forward gave it); the input's gradient is the sum of both layers'.
 * Plain TypeScript, no tfjs.
 */
import { ConfigError } from '../../errors';
import type { Arithmetic } from '../../hand/precision';
import type { HandTensor, LayerGradients, WeightData } from '../kind';
import type { RecurrentConfig } from '../recurrent/config';
import type { WrappedLayer } from '../wrapped';
import type { BidirectionalConfig } from '.';
import { flipTime } from './hand';

type Gradient = Float64Array | Float32Array;

/** The fault seam of Bidirectional's backward (apps/faults/gradients/; tests only): each hook replaces one step of the real code. */
interface BidirectionalBackwardFaults {
  /** Flips the backward layer's output gradient from input order to its processing order (real: flipTime). */
  readonly flipGradient?: (gradient: Pick<HandTensor, 'shape' | 'data'>) => Gradient;
}

/**
 * dL/d(inputs) and dL/d(weights) of bidirectionalForwardAll.
 * @param weights the forward layer's weights, then the backward layer's
 * @param inputs [batch, timeSteps, features] (with its mask, when one reaches it)
 * @param outputGrads one per output: the merged output's ([..., unitsF + unitsB] for concat, [..., units]
 *   for sum, ave, mul), or with merge_mode None the forward output's, then the (flipped) backward output's
 * @param faults fault hooks (tests only); none in the shipped path
 * @returns inputs: the sum of both held layers' input gradients; weights: the forward layer's, then the backward layer's
 * @throws ConfigError when a held kind has no backward.
 */
export function bidirectionalBackward(
  config: BidirectionalConfig,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  outputGrads: readonly Gradient[],
  arith: Arithmetic,
  faults?: BidirectionalBackwardFaults,
): LayerGradients {
  const shapes = inputs.map((x) => x.shape);
  const forwardCount = config.forward.kind.weightShapes(config.forward.config, shapes).length;
  const forwardWeights = weights.slice(0, forwardCount);
  const backwardWeights = weights.slice(forwardCount);
  const backwardShape = config.backward.kind.outputShape(config.backward.config, shapes) as number[];
  const sequence = backwardShape.length === 3;

  const outputs = () => {
    const y = config.forward.kind.forward(config.forward.config, forwardWeights, inputs, arith) as HandTensor;
    const yRevRaw = config.backward.kind.forward(config.backward.config, backwardWeights, inputs, arith) as HandTensor;
    return { y: y.data, yRev: sequence ? flipTime(yRevRaw) : yRevRaw.data };
  };
  const { dForward, dBackwardFlipped } = mergeBackward(config, outputGrads, backwardShape[backwardShape.length - 1], outputs, arith);
  // The backward layer emitted its sequence in processing order; the merge read it flipped.
  const flipGradient = faults?.flipGradient ?? flipTime;
  const dBackward = sequence ? flipGradient({ shape: backwardShape, data: dBackwardFlipped }) : dBackwardFlipped;

  const forwardGradients = heldBackward(config.forward, forwardWeights, inputs, dForward, arith);
  const backwardGradients = heldBackward(config.backward, backwardWeights, inputs, dBackward, arith);
  return {
    inputs: forwardGradients.inputs.map((g, k) => summed(g, backwardGradients.inputs[k], arith)),
    weights: [...forwardGradients.weights, ...backwardGradients.weights],
  };
}

/**
 * The merge's backward: dL/d y (forward layer's output) and dL/d y_rev (backward layer's, flipped to input order).
 * @param backwardUnits the backward output's last axis (concat's split point is the forward's)
 * @param outputs the two outputs, computed only where the merge needs them (mul)
 */
function mergeBackward(
  config: BidirectionalConfig,
  outputGrads: readonly Gradient[],
  backwardUnits: number,
  outputs: () => { y: Gradient; yRev: Gradient },
  arith: Arithmetic,
): { dForward: Gradient; dBackwardFlipped: Gradient } {
  const { round } = arith;
  const g = arith.load(outputGrads[0]);
  switch (config.mergeMode) {
    case null:
      return { dForward: g, dBackwardFlipped: arith.load(outputGrads[1]) };
    case 'concat': {
      // [..., unitsF + unitsB] -> [..., unitsF] and [..., unitsB], row by row
      const forwardUnits = config.forward.config.units;
      const total = forwardUnits + backwardUnits;
      const rows = g.length / total;
      const dForward = arith.alloc(rows * forwardUnits);
      const dBackwardFlipped = arith.alloc(rows * backwardUnits);
      for (let r = 0; r < rows; r++) {
        dForward.set(g.subarray(r * total, r * total + forwardUnits), r * forwardUnits);
        dBackwardFlipped.set(g.subarray(r * total + forwardUnits, (r + 1) * total), r * backwardUnits);
      }
      return { dForward, dBackwardFlipped };
    }
    case 'sum':
      return { dForward: g, dBackwardFlipped: g };
    case 'ave': {
      // (y + y_rev) / 2
      const half = g.map((v) => round(v / 2));
      return { dForward: half, dBackwardFlipped: half };
    }
    case 'mul': {
      const { y, yRev } = outputs();
      return { dForward: g.map((v, i) => round(v * yRev[i])), dBackwardFlipped: g.map((v, i) => round(v * y[i])) };
    }
  }
}

/** A held layer's backward, with zero gradients for its extra outputs (return_state) that Bidirectional does not pass on. */
function heldBackward(
  layer: WrappedLayer<RecurrentConfig>,
  weights: readonly WeightData[],
  inputs: readonly HandTensor[],
  dOutput: Gradient,
  arith: Arithmetic,
): LayerGradients {
  if (!layer.kind.backward) throw new ConfigError(`Bidirectional: the held ${layer.kind.kerasClass} has no backward pass`);
  const shapes = inputs.map((x) => x.shape);
  const extra = layer.kind.extraOutputShapes?.(layer.config, shapes) ?? [];
  const zeros = extra.map((shape) => arith.alloc(shape.reduce<number>((n, d) => n * (d ?? 0), 1)));
  return layer.kind.backward(layer.config, weights, inputs, [dOutput, ...zeros], arith);
}

/** a + b elementwise (an input both layers read); null where neither takes a gradient. */
function summed(a: Gradient | null, b: Gradient | null, arith: Arithmetic): Gradient | null {
  if (a === null || b === null) return a ?? b;
  return a.map((v, i) => arith.round(v + b[i]));
}
