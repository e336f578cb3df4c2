/**
 * Random valid specs for the no-false-alarm sweep (scripts/no-false-alarms.ts): the correct hand path
 * must pass against the layer path on every one of them at the default tolerance.
 *
 * Bounds (every draw independent; uniform unless said otherwise):
 *   cell             simple, lstm, gru reset_after, gru reset_before (a quarter each)
 *   activation       tanh, relu, sigmoid, linear
 *   recurrentAct.    sigmoid, hard_sigmoid (Keras 3), hard_sigmoid_tfjs (LSTM and GRU; SimpleRNN has none)
 *   unitForgetBias   true or false (LSTM)
 *   layers           1..3
 *   returnSequences  true or false;  goBackwards  true or false
 *   batch            1..8
 *   timeSteps        1..1000, log-uniform: floor(1001^u), so about a third are 1..9 and a sixth 300..1000,
 *                    which keeps the longest runs rare and the whole sweep bounded
 *   inputDim         1..64
 *   units            1..128
 *   denseUnits       1..16
 *   seed             0..2^32-1 (the input's np.random.seed and the initializers' seed)
 * The largest spec (LSTM, 3 layers, batch 8, T 1000, units 128) takes a few seconds per backend.
 */
import { Mt19937 } from '../../src/data/mt19937';
import { MAX_SEED } from '../../src/data/numpy-random';
import { ACTIVATIONS, RECURRENT_ACTIVATIONS, validateSpec, type ModelSpec } from '../../src/spec';
import { CELL_VARIANTS } from './default-checks';

export const RANDOM_SPEC_BOUNDS = {
  layers: [1, 3],
  batch: [1, 8],
  timeSteps: [1, 1000],
  inputDim: [1, 64],
  units: [1, 128],
  denseUnits: [1, 16],
} as const;

export interface RandomCheck {
  readonly spec: ModelSpec;
  readonly seed: number;
}

/** Draws specs from one MT19937 stream, so a sweep seed names the same list of specs everywhere. */
export class RandomSpecs {
  private readonly rng: Mt19937;

  constructor(sweepSeed: number) {
    this.rng = new Mt19937(sweepSeed);
  }

  /** The next random valid spec and its seed. */
  next(): RandomCheck {
    const variant = this.pick(CELL_VARIANTS);
    const cell = variant === 'gru-after' || variant === 'gru-before' ? 'gru' : variant;
    const bounds = RANDOM_SPEC_BOUNDS;
    // Draw every field in a fixed order, whatever the cell, so one spec's draws never shift the next one's.
    const activation = this.pick(ACTIVATIONS);
    const recurrentActivation = this.pick(RECURRENT_ACTIVATIONS);
    const unitForgetBias = this.coin();
    const layers = this.integer(...bounds.layers);
    const returnSequences = this.coin();
    const goBackwards = this.coin();
    const batch = this.integer(...bounds.batch);
    const timeSteps = Math.min(bounds.timeSteps[1], Math.floor((bounds.timeSteps[1] + 1) ** this.rng.nextDouble()));
    const inputDim = this.integer(...bounds.inputDim);
    const units = this.integer(...bounds.units);
    const denseUnits = this.integer(...bounds.denseUnits);
    const seed = this.rng.nextUint32() % (MAX_SEED + 1);
    const spec = validateSpec({
      cell,
      activation,
      recurrentActivation: cell === 'simple' ? 'sigmoid' : recurrentActivation,
      unitForgetBias: cell === 'lstm' ? unitForgetBias : true,
      resetAfter: variant !== 'gru-before',
      layers,
      returnSequences,
      goBackwards,
      batch,
      timeSteps,
      inputDim,
      units,
      denseUnits,
    });
    return { spec, seed };
  }

  private integer(min: number, max: number): number {
    return min + Math.floor(this.rng.nextDouble() * (max - min + 1));
  }

  private coin(): boolean {
    return this.rng.nextDouble() < 0.5;
  }

  private pick<T>(choices: readonly T[]): T {
    return choices[this.integer(0, choices.length - 1)];
  }
}

/** The rnn-parity command that reruns one check, e.g. to reproduce a false alarm. */
export function reproduceCommand(check: RandomCheck, backend: string): string {
  const { spec, seed } = check;
  const flags = [
    `--backend ${backend}`,
    `--seed ${seed}`,
    `--cell ${spec.cell}`,
    `--layers ${spec.layers}`,
    `--batch ${spec.batch}`,
    `--timesteps ${spec.timeSteps}`,
    `--features ${spec.inputDim}`,
    `--units ${spec.units}`,
    `--outputs ${spec.denseUnits}`,
    `--activation ${spec.activation}`,
    ...(spec.cell === 'simple' ? [] : [`--recurrent-activation ${spec.recurrentActivation}`]),
    ...(spec.returnSequences ? ['--return-sequences'] : []),
    ...(spec.goBackwards ? ['--go-backwards'] : []),
    ...(spec.cell === 'gru' && !spec.resetAfter ? ['--no-reset-after'] : []),
    ...(spec.cell === 'lstm' && !spec.unitForgetBias ? ['--no-unit-forget-bias'] : []),
  ];
  return `rnn-parity ${flags.join(' ')}`;
}
