/**
 * What MaxPooling1D and AveragePooling1D share: the config (pool_size, strides (null: pool_size), padding
 * valid | same, data_format channels_last), the output shape, and the hand forward over the windows.
 * With padding same, a window that hangs over an edge pools the steps it covers only (TensorFlow's
 * max_pool and avg_pool, which Keras 3 calls: the average divides by the number of covered steps, not by
 * pool_size). Plain TypeScript (no tfjs).
 */
import type { Shape } from '../graph/model';
import type { Arithmetic } from '../hand/precision';
import { readCommonOptions } from './common-options';
import type { HandTensor } from './kind';
import type { ReadContext } from './read-context';
import { readChannelsLast, readSize1d, sequenceInput, windowOutputLength, windowPadLeft } from './window-1d';

type Raw = Readonly<Record<string, unknown>>;

export interface Pooling1dConfig {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';
}

const PADDINGS = ['valid', 'same'] as const;

/** Reads a pooling layer's config: pool_size (default 2), strides (absent or null: pool_size), padding. */
export function readPooling1dConfig(raw: Raw, ctx: ReadContext): Pooling1dConfig {
  readCommonOptions(raw, ctx);
  readChannelsLast(raw, ctx);
  const poolSize = readSize1d(raw, ctx, 'pool_size', 2);
  const config = { poolSize, strides: readSize1d(raw, ctx, 'strides', poolSize), padding: ctx.choice(raw, 'padding', PADDINGS, 'valid') };
  ctx.finish(raw);
  return config;
}

/** [batch, timeSteps, channels] -> [batch, outSteps, channels]. */
export function pooling1dOutputShape(kerasClass: string, config: Pooling1dConfig, inputs: readonly Shape[]): Shape {
  const [length, channels] = sequenceInput(kerasClass, inputs);
  return [inputs[0][0], windowOutputLength(kerasClass, length, config.poolSize, config.strides, 1, config.padding), channels];
}

/**
 * @param mode 'max': the largest covered step; 'avg': their sum in step order, divided by their count
 * @param input [batch, timeSteps, channels]
 * @returns [batch, outSteps, channels]
 */
export function pooling1dForward(kerasClass: string, mode: 'max' | 'avg', config: Pooling1dConfig, input: HandTensor, arith: Arithmetic): HandTensor {
  const [batch, timeSteps, channels] = input.shape;
  const { poolSize, strides, padding } = config;
  const outSteps = windowOutputLength(kerasClass, timeSteps, poolSize, strides, 1, padding) as number;
  const padLeft = windowPadLeft(timeSteps, poolSize, strides, 1, padding);
  const x = input.data;
  const out = arith.alloc(batch * outSteps * channels);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      // The window's steps inside the sequence: [first, last).
      const start = t * strides - padLeft;
      const first = Math.max(start, 0);
      const last = Math.min(start + poolSize, timeSteps);
      const o = (b * outSteps + t) * channels;
      for (let c = 0; c < channels; c++) {
        let acc = x[(b * timeSteps + first) * channels + c];
        for (let s = first + 1; s < last; s++) {
          const v = x[(b * timeSteps + s) * channels + c];
          acc = mode === 'max' ? Math.max(acc, v) : arith.round(acc + v);
        }
        out[o + c] = mode === 'max' ? acc : arith.round(acc / (last - first));
      }
    }
  }
  return { shape: [batch, outSteps, channels], data: out };
}

export function describePooling1d(config: Pooling1dConfig): string {
  return `pool ${config.poolSize}${config.strides === config.poolSize ? '' : `, stride ${config.strides}`}, ${config.padding}`;
}
