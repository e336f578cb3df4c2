/**
 * What SimpleRNN, LSTM and GRU configs share, read once: units, activations, use_bias, the RNN wrapper's
 * options (return_sequences, go_backwards, unroll, stateful, return_state) and the inference identities
 * (dropout, recurrent_dropout). Plain TypeScript.
 */
import { readActivation } from '../activations/names';
import { ignoreTrainingOptions, readCommonOptions } from '../common-options';
import type { ReadContext } from '../read-context';

/** Largest units accepted, so a typo is refused before anything is allocated. */
const MAX_UNITS = 4096;

export interface RecurrentConfig {
  readonly units: number;
  /** Keras 3 name of an elementwise activation. */
  readonly activation: string;
  readonly useBias: boolean;
  /** true: every step's output [batch, timeSteps, units]; false: the last [batch, units]. */
  readonly returnSequences: boolean;
  /** Also outputs the final state: h (and c for LSTM), each [batch, units], as outputs 1 (and 2). */
  readonly returnState: boolean;
  /** Reads the steps from last to first; outputs stay in processing order. */
  readonly goBackwards: boolean;
  /** Keras unrolls the time loop into ops; the same arithmetic, kept for the report. */
  readonly unroll: boolean;
  /** With a mask: a padded step outputs zeros instead of repeating the previous output (Keras's default false). */
  readonly zeroOutputForMask: boolean;
  /** Identity at inference; kept for the report. */
  readonly dropout: number;
  readonly recurrentDropout: number;
}

type Raw = Readonly<Record<string, unknown>>;

/**
 * Reads the shared options; the cell kinds read their own (recurrent_activation, reset_after, ...) and then
 * call ctx.finish.
 */
export function readRecurrentConfig(raw: Raw, ctx: ReadContext): RecurrentConfig {
  readCommonOptions(raw, ctx);
  ignoreTrainingOptions(ctx, 'kernel', 'recurrent', 'bias');
  ctx.ignore('implementation', 'use_cudnn');
  ctx.only(raw, 'stateful', false, 'a stateful layer carries state between batches; check it with stateful=False');

  ctx.only(raw, 'time_major', false);
  if (raw.zero_output_for_mask === true && raw.return_sequences !== true) {
    ctx.block(
      'zero_output_for_mask',
      true,
      'expected false when the layer returns its last step only',
      'Keras then zeroes the last output of a padded sequence; tfjs has no such option',
    );
  }
  return {
    units: ctx.positiveInt(raw, 'units', MAX_UNITS),
    activation: readActivation(ctx, raw, 'activation', 'tanh', false),
    useBias: ctx.bool(raw, 'use_bias', true),
    returnSequences: ctx.bool(raw, 'return_sequences', false),
    returnState: ctx.bool(raw, 'return_state', false),
    goBackwards: ctx.bool(raw, 'go_backwards', false),
    unroll: ctx.bool(raw, 'unroll', false),
    zeroOutputForMask: ctx.bool(raw, 'zero_output_for_mask', false),
    dropout: ctx.number(raw, 'dropout', 0, 0, 1),
    recurrentDropout: ctx.number(raw, 'recurrent_dropout', 0, 0, 1),
  };
}

/**
 * A recurrent cell's gate activation: Keras's default is sigmoid, tfjs's is its own hardSigmoid; a config
 * without the key means its writer's default.
 */
export function readRecurrentActivation(raw: Raw, ctx: ReadContext): string {
  return readActivation(ctx, raw, 'recurrent_activation', ctx.source === 'tfjs' ? 'hard_sigmoid_tfjs' : 'sigmoid', false);
}
