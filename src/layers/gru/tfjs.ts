import * as tf from '@tensorflow/tfjs';
import type { Shape, WeightArray } from '../../graph/model';
import { GRUResetAfter } from '../../model/layers';
import { tfjsActivation } from '../activations/tfjs';
import { recurrentTfjsArgs } from '../recurrent/tfjs';
import type { GruConfig } from '.';

type Args = Parameters<typeof tf.layers.gru>[0];

export function tfjsGru(config: GruConfig, name: string): tf.layers.Layer {
  const recurrentActivation = tfjsActivation(config.recurrentActivation);
  if (config.resetAfter) {
    // Parity note: Keras's default GRU (reset_after=True, bias [2, 3*units]); tfjs has no such layer.
    // GRUResetAfter always holds a bias; without use_bias it gets zeros (tfjsWeights), which adds exactly nothing.
    const args = recurrentTfjsArgs(config, name);
    const zeros = tf.initializers.zeros();
    return new GRUResetAfter({
      name,
      units: config.units,
      activation: args.activation,
      recurrentActivation,
      returnSequences: config.returnSequences,
      returnState: config.returnState,
      goBackwards: config.goBackwards,
      kernelInitializer: zeros,
      recurrentInitializer: zeros,
      biasInitializer: zeros,
    });
  }
  // Parity note: tfjs's GRU applies the reset gate before the recurrent matmul (Keras's reset_after=False).
  return tf.layers.gru({ ...recurrentTfjsArgs(config, name), recurrentActivation } as Args);
}

/** GRUResetAfter always has a bias: a use_bias=False layer gets a zero [2, 3*units] one. */
export function gruTfjsWeights(config: GruConfig, weights: readonly WeightArray[], _inputs: readonly Shape[]): WeightArray[] {
  if (!config.resetAfter || config.useBias) return weights.slice();
  const shape = [2, 3 * config.units];
  return [...weights, { name: 'bias', shape, data: new Float32Array(shape[0] * shape[1]) }];
}

export { recurrentAfter } from '../recurrent/tfjs';
