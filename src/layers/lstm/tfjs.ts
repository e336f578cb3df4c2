import * as tf from '@tensorflow/tfjs';
import { tfjsActivation } from '../activations/tfjs';
import { recurrentTfjsArgs } from '../recurrent/tfjs';
import type { LstmConfig } from '.';

type Args = Parameters<typeof tf.layers.lstm>[0];

export function tfjsLstm(config: LstmConfig, name: string): tf.layers.Layer {
  // Parity note: tfjs's default recurrentActivation is hardSigmoid; Keras's is sigmoid. Always passed.
  // unitForgetBias only shapes the initial bias, which the weights then overwrite.
  return tf.layers.lstm({
    ...recurrentTfjsArgs(config, name),
    recurrentActivation: tfjsActivation(config.recurrentActivation),
    unitForgetBias: config.unitForgetBias,
  } as Args);
}

export { recurrentAfter } from '../recurrent/tfjs';
