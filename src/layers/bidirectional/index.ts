/**
 * Bidirectional: one recurrent layer reads the sequence forwards, a second (go_backwards) reads it
 * backwards, and their outputs are merged: concat (default), sum, ave or mul. Keras `Bidirectional`, tfjs
 * `Bidirectional`. Weights: the forward layer's, then the backward layer's, each in its kind's order.
 *
 * Parity note (Keras 3 bidirectional.py): the backward output sequence is flipped back to input order before
 * the merge; both layers get zero_output_for_mask = return_sequences, so a padded step of a returned
 * sequence is zero.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Shape, WeightArray } from '../../graph/model';
import { readCommonOptions } from '../common-options';
import type { LayerKind, ParityNote } from '../kind';
import type { RecurrentConfig } from '../recurrent/config';
import { readWrappedLayer, type WrappedLayer } from '../wrapped';
import { bidirectionalBackward } from './backward';
import { bidirectionalForward, bidirectionalForwardAll } from './hand';

const MERGE_MODES = ['concat', 'sum', 'ave', 'mul'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

export interface BidirectionalConfig {
  readonly forward: WrappedLayer<RecurrentConfig>;
  readonly backward: WrappedLayer<RecurrentConfig>;
  /** null: Keras's merge_mode=None, two outputs (forward, then the flipped backward as `layer:1`). */
  readonly mergeMode: MergeMode | null;
  /** Whether the file named a backward_layer (else Keras made it from the forward one, go_backwards=True). */
  readonly explicitBackward: boolean;
}

const RECURRENT_KINDS = ['simple-rnn', 'lstm', 'gru'];

/** Keras's force_zero_output_for_mask, applied to a held layer's config. */
function forcedZeroOutput(layer: WrappedLayer<RecurrentConfig>, goBackwards?: boolean): WrappedLayer<RecurrentConfig> {
  const config = { ...layer.config, zeroOutputForMask: layer.config.returnSequences, ...(goBackwards === undefined ? {} : { goBackwards }) };
  return { kind: layer.kind, config };
}

function shapes(config: BidirectionalConfig, inputs: readonly Shape[]): { forward: Shape; backward: Shape } {
  return {
    forward: config.forward.kind.outputShape(config.forward.config, inputs),
    backward: config.backward.kind.outputShape(config.backward.config, inputs),
  };
}

export const bidirectional: LayerKind<BidirectionalConfig> = {
  kind: 'bidirectional',
  kerasClass: 'Bidirectional',
  tfjsClasses: ['Bidirectional'],
  readConfig(raw, ctx) {
    readCommonOptions(raw, ctx);
    const mergeValue = ctx.value(raw, 'merge_mode');
    let mergeMode: MergeMode | null = 'concat';
    if (mergeValue === null) mergeMode = null;
    else if (mergeValue !== undefined) mergeMode = ctx.choice(raw, 'merge_mode', MERGE_MODES, 'concat');
    const forward = readWrappedLayer(raw, 'layer', ctx, RECURRENT_KINDS) as WrappedLayer<RecurrentConfig> | undefined;
    const backwardRead =
      raw.backward_layer === undefined || raw.backward_layer === null
        ? undefined
        : (readWrappedLayer(raw, 'backward_layer', ctx, RECURRENT_KINDS) as WrappedLayer<RecurrentConfig> | undefined);
    ctx.ignore('backward_layer');
    if (backwardRead && !backwardRead.config.goBackwards)
      ctx.block('backward_layer.go_backwards', false, 'expected true: the backward layer reads the sequence backwards');
    if (forward && forward.config.goBackwards) ctx.block('layer.go_backwards', true, 'expected false for the forward layer');
    if (forward && forward.config.returnState) ctx.block('layer.return_state', true, 'expected false', 'Bidirectional with return_state is not checked yet');
    ctx.finish(raw);
    if (!forward) return { forward: undefined, backward: undefined, mergeMode, explicitBackward: false } as unknown as BidirectionalConfig;
    const backward = backwardRead ?? { kind: forward.kind, config: forward.config };
    return {
      forward: forcedZeroOutput(forward),
      // Keras makes the default backward layer from the forward layer's config with go_backwards=True.
      backward: forcedZeroOutput(backward, backwardRead ? undefined : true),
      mergeMode,
      explicitBackward: backwardRead !== undefined,
    };
  },
  outputShape(config, inputs) {
    const { forward, backward } = shapes(config, inputs);
    const last = forward.length - 1;
    if (config.mergeMode !== 'concat') return forward;
    // concat:
    const f = forward[last];
    const b = backward[last];
    return [...forward.slice(0, last), f === null || b === null ? null : f + b];
  },
  extraOutputShapes: (config, inputs) => (config.mergeMode === null ? [shapes(config, inputs).backward] : []),
  forwardAll: (config, weights, inputs, arith) => bidirectionalForwardAll(config, weights, inputs, arith),
  weightShapes(config, inputs) {
    const prefix = (side: string, list: { name: string; shape: readonly number[] }[]) => list.map((w) => ({ name: `${side}/${w.name}`, shape: w.shape }));
    return [
      ...prefix('forward', config.forward.kind.weightShapes(config.forward.config, inputs)),
      ...prefix('backward', config.backward.kind.weightShapes(config.backward.config, inputs)),
    ];
  },
  forward: (config, weights, inputs, arith) => bidirectionalForward(config, weights, inputs, arith),
  backward: (config, weights, inputs, outputGrads, arith) => bidirectionalBackward(config, weights, inputs, outputGrads, arith),
  computeMask: (config, inputs) => (config.forward.config.returnSequences ? inputs[0]?.mask : undefined),
  tfjsLayer(config, name): tf.layers.Layer {
    const { tfjsBidirectional } = require('./tfjs') as typeof import('./tfjs');
    return tfjsBidirectional(config, name);
  },
  tfjsWeights(config, weights, inputs) {
    // Each half as its own kind holds it in tfjs (a GRUResetAfter half without use_bias gets a zero bias).
    const count = config.forward.kind.weightShapes(config.forward.config, inputs).length;
    const half = (layer: WrappedLayer<RecurrentConfig>, list: readonly WeightArray[]) =>
      layer.kind.tfjsWeights ? layer.kind.tfjsWeights(layer.config, list, inputs) : list.slice();
    return [...half(config.forward, weights.slice(0, count)), ...half(config.backward, weights.slice(count))];
  },
  tfjsAfterEveryOutput: true,
  tfjsAfter(config, name) {
    const { bidirectionalAfter } = require('./tfjs') as typeof import('./tfjs');
    return bidirectionalAfter(config, name);
  },
  reductionSize: (config, inputs) =>
    Math.max(config.forward.kind.reductionSize(config.forward.config, inputs), config.backward.kind.reductionSize(config.backward.config, inputs)),
  parityNotes(config) {
    const inner = (config.forward.kind.parityNotes?.(config.forward.config) ?? []) as ParityNote[];
    return [
      ...inner,
      {
        id: 'bidirectional',
        text: `forward and backward ${config.forward.kind.kerasClass} merged by ${config.mergeMode ?? 'None (two outputs)'}; the backward sequence is flipped back to input order first`,
      },
    ];
  },
  describe: (config) => `${config.forward.kind.kerasClass}(${config.forward.kind.describe?.(config.forward.config) ?? ''}) x 2, ${config.mergeMode ?? 'None'}`,
};
