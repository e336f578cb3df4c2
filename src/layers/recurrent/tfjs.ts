/** The tfjs options every recurrent kind passes, all explicit: no tfjs default can slip in. */
import { tfjsActivation } from '../activations/tfjs';
import type { RecurrentConfig } from './config';

export function recurrentTfjsArgs(config: RecurrentConfig, name: string) {
  return {
    name,
    units: config.units,
    activation: tfjsActivation(config.activation),
    useBias: config.useBias,
    returnSequences: config.returnSequences,
    goBackwards: config.goBackwards,
  } as const;
}
