/**
 * What every fused layer shares around its cell: the RNN wrapper's options (goBackwards, returnSequences,
 * returnState, masks, initial states) done once for the whole sequence, outside the fused op, so that the
 * op itself sees a time-major sequence in processing order and returns one packed tensor.
 *
 * The packed output, [S, batch, units]: rows 0..R-1 are the outputs (R = timeSteps with returnSequences, else
 * 1: the last), then the states other than h (LSTM's c) when returnState. h's final state is the last
 * output (tfjs's rnn(): a masked step's output and state are both the previous h).
 *
 * Each cell's forward runs every step in its own tf.tidy, as tfjs's rnn() does, so that only the state (and,
 * when the tape records, what the backward keeps) outlives a step: with every intermediate of the sequence alive
 * until the end, tfjs-node slowed down more than linearly in T (measured, SimpleRNN(32), batch 1, loaded
 * machine: 66 ms at T = 1,000 but 2,052 ms at T = 10,000).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** What a cell's fused op receives. */
export interface SequenceArgs {
  /** [timeSteps, batch, inputDim], in processing order (reversed for goBackwards). */
  readonly x: tf.Tensor3D;
  /** [timeSteps, batch, 1] float 0/1 (1 = a real step), in processing order; null without a mask. */
  readonly mask: tf.Tensor3D | null;
  /** Initial states, each [batch, units]: [h] or [h, c]. */
  readonly states: tf.Tensor2D[];
  readonly returnSequences: boolean;
  readonly returnState: boolean;
}

/** The RNN options a fused layer reads from itself (tfjs's RNN fields). */
interface RecurrentLayer {
  readonly name: string;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly cell: { readonly units: number; readonly dropout?: number; readonly recurrentDropout?: number };
}

/**
 * Refuses what the fused layers do not implement (tfjs's stock layers do): stateful layers and dropout.
 * @throws ConfigError naming the option and its value
 */
export function assertFusable(layer: RecurrentLayer): void {
  if (layer.stateful) throw new ConfigError(`${layer.name}: expected stateful=false for a fused layer, got true`);
  for (const key of ['dropout', 'recurrentDropout'] as const) {
    const rate = layer.cell[key] ?? 0;
    if (rate !== 0) throw new ConfigError(`${layer.name}: expected ${key} 0 for a fused layer (use the tfjs layer for dropout), got ${rate}`);
  }
}

/**
 * RNN.call for a fused layer: x [batch, timeSteps, inputDim] (+ kwargs mask [batch, timeSteps], initialState)
 * -> output [batch, units] or [batch, timeSteps, units] (processing order), then the final states with
 * returnState.
 * @param stateCount 1 (h) or 2 (h, c)
 * @param run the cell's fused op on the prepared sequence; returns the packed [S, batch, units]
 */
export function fusedRecurrentCall(
  layer: RecurrentLayer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
  stateCount: number,
  run: (args: SequenceArgs) => tf.Tensor,
): tf.Tensor | tf.Tensor[] {
  return tf.tidy(() => {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const rawMask = (kwargs?.mask ?? null) as tf.Tensor | null;
    const given = (kwargs?.initialState ?? null) as tf.Tensor[] | null;
    const [batch, timeSteps] = x.shape;
    const units = layer.cell.units;
    if (given !== null && given.length !== stateCount) {
      throw new ConfigError(`${layer.name}: expected ${stateCount} initial state(s), got ${given.length}`);
    }
    const states = given !== null ? (given as tf.Tensor2D[]) : Array.from({ length: stateCount }, () => tf.zeros([batch, units]) as tf.Tensor2D);
    // [batch, timeSteps, inputDim] -> [timeSteps, batch, inputDim]
    let sequence = tf.transpose(x, [1, 0, 2]);
    let mask: tf.Tensor3D | null = null;
    if (rawMask !== null) {
      // Parity note: tfjs's rnn() casts the mask to bool and back to float32, then to [timeSteps, batch, 1].
      mask = tf.expandDims(tf.transpose(tf.cast(tf.cast(rawMask, 'bool'), 'float32'), [1, 0]), -1) as tf.Tensor3D;
    }
    if (layer.goBackwards) {
      sequence = tf.reverse(sequence, 0);
      if (mask !== null) mask = tf.reverse(mask, 0);
    }
    const packed = run({ x: sequence, mask, states, returnSequences: layer.returnSequences, returnState: layer.returnState });
    const rows = layer.returnSequences ? timeSteps : 1;
    const row = (r: number) => tf.reshape(tf.slice(packed, [r, 0, 0], [1, batch, units]), [batch, units]);
    // [timeSteps, batch, units] -> [batch, timeSteps, units]
    const output = layer.returnSequences ? tf.transpose(rows === packed.shape[0] ? packed : tf.slice(packed, 0, rows), [1, 0, 2]) : row(0);
    if (!layer.returnState) return output;
    return [output, row(rows - 1), ...Array.from({ length: stateCount - 1 }, (_, k) => row(rows + k))];
  });
}

/**
 * The mask of each step, as tfjs's rnn() applies it: kept = new * m + prev * (1 - m).
 * mask: [timeSteps, batch, 1] -> per step [batch, 1] pairs (m, 1 - m).
 */
export function stepMasks(mask: tf.Tensor3D | null): { keep: tf.Tensor[]; hold: tf.Tensor[] } | null {
  if (mask === null) return null;
  return { keep: tf.unstack(mask), hold: tf.unstack(tf.sub(1, mask)) };
}

/** new * m + prev * (1 - m): tfjs's rnn() blend of a masked step (exact for m in {0, 1}). */
export function blend(next: tf.Tensor, prev: tf.Tensor, keep: tf.Tensor, hold: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(next, keep), tf.mul(prev, hold));
}

/** Whether the tape records ops right now (a layer's call inside tf.grad / fit): the fused op then keeps what its backward needs. */
export function recording(): boolean {
  return tf.engine().isTapeOn();
}
