/** Parity notes every recurrent kind may carry. */
import type { ParityNote } from '../kind';
import type { RecurrentConfig } from './config';

export function recurrentNotes(config: RecurrentConfig, recurrentActivation?: string): ParityNote[] {
  const notes: ParityNote[] = [];
  if (config.dropout > 0 || config.recurrentDropout > 0) {
    notes.push({
      id: 'dropout-inference',
      text: `dropout=${config.dropout}, recurrent_dropout=${config.recurrentDropout}: the identity at inference in Keras and tfjs; both paths skip it`,
    });
  }
  if (config.unroll) notes.push({ id: 'unroll', text: 'unroll=True: Keras unrolls the loop into ops, the same arithmetic; tfjs runs its loop' });
  if (recurrentActivation === 'sigmoid') {
    notes.push({ id: 'tfjs-default-recurrent-activation', text: "recurrent_activation sigmoid set explicitly: tfjs's default is its hardSigmoid" });
  }
  if (recurrentActivation === 'hard_sigmoid') {
    notes.push({
      id: 'hard-sigmoid',
      text: "hard_sigmoid is Keras 3's relu6(x + 3) / 6; tfjs's hardSigmoid is clip(0.2x + 0.5, 0, 1): the layer path uses a registered Keras-3 activation",
    });
  }
  return notes;
}
