import * as tf from '@tensorflow/tfjs';
import { recurrentTfjsArgs } from '../recurrent/tfjs';
import type { SimpleRnnConfig } from '.';

type Args = Parameters<typeof tf.layers.simpleRNN>[0];

export function tfjsSimpleRnn(config: SimpleRnnConfig, name: string): tf.layers.Layer {
  return tf.layers.simpleRNN({ ...recurrentTfjsArgs(config, name) } as Args);
}

export { recurrentAfter } from '../recurrent/tfjs';
