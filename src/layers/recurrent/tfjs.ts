/** The tfjs options every recurrent kind passes, all explicit: no tfjs default can slip in. */
import type * as tf from '@tensorflow/tfjs';
import { ZeroMaskedSteps } from '../../model/layers';
import { tfjsActivation } from '../activations/tfjs';
import type { RecurrentConfig } from './config';

export function recurrentTfjsArgs(config: RecurrentConfig, name: string) {
  return {
    name,
    units: config.units,
    activation: tfjsActivation(config.activation),
    useBias: config.useBias,
    returnSequences: config.returnSequences,
    returnState: config.returnState,
    goBackwards: config.goBackwards,
    // The weights are set right after building; zeros skip tfjs's default orthogonal recurrent initializer,
    // a QR that took 39 s for LSTM(128) on the cpu backend.
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    biasInitializer: 'zeros',
  } as const;
}

/**
 * Parity note: tfjs's RNN has no zero_output_for_mask; a returned sequence's padded steps repeat the previous
 * output there. Zeroing them after the layer is what Keras computes (real steps are multiplied by 1); with
 * go_backwards the outputs are in processing order, so the mask is reversed to match (Keras 3.15.1, measured:
 * input [[1],[2],[0],[0]] masked at 0 gives [0, 0, 2, 3]-shaped outputs zeroed at output steps 0 and 1).
 */
export function recurrentAfter(config: RecurrentConfig, name: string): tf.layers.Layer[] {
  return config.zeroOutputForMask && config.returnSequences
    ? [new ZeroMaskedSteps({ name: `${name}_zero_masked_steps`, reverseTime: config.goBackwards })]
    : [];
}
