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
    // The weights are set right after building; zeros skip tfjs's default orthogonal recurrent initializer,
    // a QR that took 39 s for LSTM(128) on the cpu backend.
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  } as const;
}
