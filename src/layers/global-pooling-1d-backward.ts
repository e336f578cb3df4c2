/**
 * The backward pass GlobalMaxPooling1D and GlobalAveragePooling1D share. Plain TypeScript (no tfjs).
 *   max: Keras's ops.max is tf.reduce_max, whose gradient (TF's _MinOrMaxGrad) splits each output's gradient
 *        equally among the steps equal to the max: (indicator / count) * dy. Measured in TF 2.21: x = [1, 3, 3, 2, 3]
 *        (one channel), dL/dy = 1 gives dL/dx = [0, 1/3, 1/3, 0, 1/3] in float32 and float64.
 *        Parity note: tfjs 4.22's max gradient (gradForMinAndMax: dy * (x == max)) gives every tied step the
 *        whole gradient instead (measured on the cpu backend: [0, 1, 1, 0, 1]); we follow TF.
 *   avg: Keras's ops.mean (tf.reduce_mean): dy / timeSteps to every step.
 */
import { ConfigError } from '../errors';
import type { FloatBuffer } from '../hand/linalg';
import type { Arithmetic } from '../hand/precision';
import type { HandTensor } from './kind';

/**
 * @param mode 'max' or 'avg', as the forward
 * @param input [batch, timeSteps, channels]
 * @param outputGrad dL/dy [batch, channels] (or [batch, 1, channels] with keepdims: the same values)
 * @returns dL/dx [batch, timeSteps, channels]
 * @throws ConfigError for a masked input to the average, as the forward
 */
export function globalPooling1dBackward(mode: 'max' | 'avg', input: HandTensor, outputGrad: ArrayLike<number>, arith: Arithmetic): FloatBuffer {
  if (mode === 'avg' && input.mask !== undefined) {
    throw new ConfigError(
      'GlobalAveragePooling1D: expected an input without a padding mask (Keras averages the unmasked steps only; rnn-parity does not check that yet), got a masked input',
    );
  }
  const [batch, timeSteps, channels] = input.shape;
  const x = input.data;
  const dx = arith.alloc(x.length);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const dy = outputGrad[b * channels + c];
      const at = (t: number): number => (b * timeSteps + t) * channels + c;
      if (mode === 'avg') {
        const share = arith.round(dy / timeSteps);
        for (let t = 0; t < timeSteps; t++) dx[at(t)] = share;
        continue;
      }
      let largest = x[at(0)];
      for (let t = 1; t < timeSteps; t++) largest = Math.max(largest, x[at(t)]);
      let ties = 0;
      for (let t = 0; t < timeSteps; t++) if (x[at(t)] === largest) ties++;
      const share = arith.round(arith.round(1 / ties) * dy);
      for (let t = 0; t < timeSteps; t++) if (x[at(t)] === largest) dx[at(t)] = share;
    }
  }
  return dx;
}
