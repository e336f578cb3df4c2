/**
 * The default checks the fault suite runs every fault against: a few small seeded specs per cell, the
 * notebook first. Shapes are chosen so that every fault in the catalogue applies somewhere: a square
 * spec (inputDim = units = denseUnits) for the transposition and kernel-swap faults, batch > 1 for
 * layout faults, goBackwards with returnSequences, a two-layer stack, and each recurrent activation.
 */
import { validateSpec, type ModelSpec } from '../../src/spec';

export interface DefaultCheck {
  /** e.g. 'simple notebook', 'lstm square seq'. */
  readonly name: string;
  readonly spec: ModelSpec;
  /** Seeds the input (np.random.seed) and the initializers, as runCheck does. */
  readonly seed: number;
}

/** The table's cell column: GRU's two variants are different cells to a hand-path author. */
export type CellVariant = 'simple' | 'lstm' | 'gru-after' | 'gru-before';
export const CELL_VARIANTS: readonly CellVariant[] = ['simple', 'lstm', 'gru-after', 'gru-before'];

/** simple, lstm, gru-after (Keras's default, reset_after=True) or gru-before (tfjs's GRU). */
export function cellVariant(spec: ModelSpec): CellVariant {
  if (spec.cell !== 'gru') return spec.cell;
  return spec.resetAfter ? 'gru-after' : 'gru-before';
}

function check(name: string, seed: number, partial: Partial<ModelSpec>): DefaultCheck {
  return { name, seed, spec: validateSpec(partial) };
}

/** Shapes shared by the gated cells' checks; `extra` picks the cell and its recurrent activation. */
function gatedChecks(
  label: string,
  extra: Partial<ModelSpec>,
  backwardsActivation: ModelSpec['recurrentActivation'],
  stackActivation: ModelSpec['recurrentActivation'],
): DefaultCheck[] {
  return [
    check(`${label} default`, 42, { ...extra, batch: 4, timeSteps: 10, inputDim: 3, units: 5, denseUnits: 2 }),
    check(`${label} square seq`, 7, { ...extra, batch: 3, timeSteps: 10, inputDim: 6, units: 6, denseUnits: 6, returnSequences: true }),
    check(`${label} backwards seq ${backwardsActivation}`, 11, {
      ...extra,
      recurrentActivation: backwardsActivation,
      batch: 2,
      timeSteps: 9,
      inputDim: 4,
      units: 5,
      denseUnits: 3,
      returnSequences: true,
      goBackwards: true,
    }),
    check(`${label} stack x2 ${stackActivation}`, 13, {
      ...extra,
      recurrentActivation: stackActivation,
      batch: 2,
      timeSteps: 8,
      inputDim: 3,
      units: 5,
      denseUnits: 2,
      layers: 2,
    }),
  ];
}

/**
 * 17 checks: SimpleRNN 5 (the notebook, batch 4, square sequences, backwards sequences, a stack of 2),
 * then 4 each for LSTM, GRU reset_after and GRU reset_before (default, square sequences, backwards
 * sequences, a stack of 2), spread over the three recurrent activations. All tanh, unitForgetBias on.
 */
export const DEFAULT_CHECKS: readonly DefaultCheck[] = [
  check('simple notebook', 42, {}),
  check('simple batch 4', 42, { batch: 4 }),
  check('simple square seq', 7, { batch: 4, timeSteps: 12, inputDim: 6, units: 6, denseUnits: 6, returnSequences: true }),
  check('simple backwards seq', 11, { batch: 3, timeSteps: 9, inputDim: 4, units: 5, denseUnits: 3, returnSequences: true, goBackwards: true }),
  check('simple stack x2', 13, { batch: 2, timeSteps: 8, inputDim: 3, units: 5, denseUnits: 2, layers: 2 }),
  ...gatedChecks('lstm', { cell: 'lstm' }, 'hard_sigmoid', 'hard_sigmoid_tfjs'),
  ...gatedChecks('gru-after', { cell: 'gru', resetAfter: true }, 'hard_sigmoid_tfjs', 'hard_sigmoid'),
  ...gatedChecks('gru-before', { cell: 'gru', resetAfter: false }, 'hard_sigmoid', 'hard_sigmoid_tfjs'),
];
