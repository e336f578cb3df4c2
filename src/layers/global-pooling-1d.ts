/**
 * What GlobalMaxPooling1D and GlobalAveragePooling1D share: the config (keepdims, data_format channels_last),
 * the output shape ([batch, channels], or [batch, 1, channels] with keepdims) and the hand forward over
 * every step. Plain TypeScript (no tfjs).
 */
import { ConfigError } from '../errors';
import type { Shape } from '../graph/model';
import type { Arithmetic } from '../hand/precision';
import { readCommonOptions } from './common-options';
import type { HandTensor, ParityNote } from './kind';
import type { ReadContext } from './read-context';
import { readChannelsLast, sequenceInput } from './window-1d';

type Raw = Readonly<Record<string, unknown>>;

export interface GlobalPooling1dConfig {
  readonly keepdims: boolean;
}

export function readGlobalPooling1dConfig(raw: Raw, ctx: ReadContext): GlobalPooling1dConfig {
  readCommonOptions(raw, ctx);
  readChannelsLast(raw, ctx);
  const config = { keepdims: ctx.bool(raw, 'keepdims', false) };
  ctx.finish(raw);
  return config;
}

/** [batch, timeSteps, channels] -> [batch, channels] ([batch, 1, channels] with keepdims). */
export function globalPooling1dOutputShape(kerasClass: string, config: GlobalPooling1dConfig, inputs: readonly Shape[]): Shape {
  const [, channels] = sequenceInput(kerasClass, inputs);
  return config.keepdims ? [inputs[0][0], 1, channels] : [inputs[0][0], channels];
}

/**
 * @param mode 'max': the largest step; 'avg': the sum over steps in step order, divided by timeSteps
 * @param input [batch, timeSteps, channels]
 * @throws ConfigError for a masked input to the average
 */
export function globalPooling1dForward(mode: 'max' | 'avg', config: GlobalPooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  // Keras's GlobalAveragePooling1D averages the unmasked steps only (tfjs's ignores the mask); not checked yet.
  if (mode === 'avg' && input.mask !== undefined) {
    throw new ConfigError(
      'GlobalAveragePooling1D: expected an input without a padding mask (Keras averages the unmasked steps only; rnn-parity does not check that yet), got a masked input',
    );
  }
  const [batch, timeSteps, channels] = input.shape;
  const x = input.data;
  const out = arith.alloc(batch * channels);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      let acc = x[b * timeSteps * channels + c];
      for (let t = 1; t < timeSteps; t++) {
        const v = x[(b * timeSteps + t) * channels + c];
        acc = mode === 'max' ? Math.max(acc, v) : arith.round(acc + v);
      }
      out[b * channels + c] = mode === 'max' ? acc : arith.round(acc / timeSteps);
    }
  }
  return { shape: config.keepdims ? [batch, 1, channels] : [batch, channels], data: out };
}

/** The note for keepdims=True, which tfjs's global pooling layers lack. */
export function keepdimsNotes(kerasClass: string, config: GlobalPooling1dConfig): ParityNote[] {
  if (!config.keepdims) return [];
  return [
    {
      id: 'global-pooling-keepdims',
      text: `${kerasClass} keepdims=True: tfjs 4.22's ${kerasClass} has no keepdims; the layer path adds the axis back ([batch, 1, channels]), as Keras outputs`,
    },
  ];
}
