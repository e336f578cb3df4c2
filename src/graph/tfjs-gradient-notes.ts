/**
 * Which of the layer path's tfjs gradient fixes (src/backends/*-fix.ts, applied at start-up) a model's gradient
 * check relied on, in words for the report: each named only where this model on this backend reaches the code
 * tfjs 4.22 gets wrong. No tfjs import: the notes are facts about the model and the backend.
 */
import { UNPACK_GRADIENT_NOTE } from '../backends/unpack-gradient-fix';
import type { BackendName } from '../backends/types';
import type { HandTensor } from '../layers/kind';
import type { GraphModel, TensorRef } from './model';

/** Kinds whose tfjs layer runs tfjs's rnn() (unstacking the sequence along time). */
const RECURRENT_KINDS = new Set(['simple-rnn', 'lstm', 'gru', 'bidirectional']);

/** Activations whose tfjs form selects with comparisons (src/layers/activations/custom-tfjs.ts) or sorts (sparsemax). */
const COMPARING_ACTIVATIONS = new Set(['sparse_plus', 'sparse_sigmoid', 'soft_shrink', 'hard_shrink', 'sparsemax']);

function activationsOf(config: unknown): string[] {
  const c = config as { activation?: unknown; recurrentActivation?: unknown; layer?: { config?: unknown }; forward?: { config?: unknown } };
  const own = [c.activation, c.recurrentActivation].filter((a): a is string => typeof a === 'string');
  // Wrappers (TimeDistributed, Bidirectional) hold their inner layer's config.
  return [...own, ...(c.layer?.config ? activationsOf(c.layer.config) : []), ...(c.forward?.config ? activationsOf(c.forward.config) : [])];
}

const AVG_POOL_NOTE =
  "tfjs 4.22's AvgPool gradient with padding 'same' divides edge windows by the pool size on cpu and wasm (its forward and TF divide by the steps covered); rnn-parity re-registers that gradient as a 'valid' pool of the padded input";
const DILATED_CONV_NOTE =
  'tfjs 4.22 refuses the gradient of a dilated convolution; rnn-parity differentiates it as the convolution with the dilated kernel written out (zeros between the taps)';
const WASM_CONV_NOTE = 'tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel; rnn-parity computes the filter gradient as the forward convolution it is';
const WASM_GATHER_NOTE =
  "tfjs-backend-wasm 4.22 has no UnsortedSegmentSum kernel (Gather's gradient); rnn-parity sums the embedding rows' gradients as oneHot(ids)^T . dy";

function missingGradientsNote(kernels: readonly string[]): string {
  return `tfjs 4.22 has no gradient for ${kernels.join(', ')} (TF defines the comparisons as not differentiable and TopK's as a scatter); rnn-parity registers them, so that this model can be differentiated at all`;
}

/**
 * @param values the hand forward's tensors (their concrete shapes tell a one-step sequence)
 * @param layer what the layer path reported: whether the Unpack fix was needed, which gradients it registered
 */
export function tfjsGradientFixNotes(
  model: GraphModel,
  values: ReadonlyMap<TensorRef, HandTensor>,
  backend: BackendName,
  layer: { readonly unpackFixed: boolean; readonly addedGradients: readonly string[] },
): string[] {
  // Every layer, and the layer a TimeDistributed wraps, as { kind, config, inbound }.
  const all = model.layers.flatMap((l) => {
    const inner = l.kind === 'time-distributed' ? (l.config as { layer: { kind: { kind: string }; config: unknown } }).layer : undefined;
    return inner ? [l, { ...l, kind: inner.kind.kind, config: inner.config }] : [l];
  });
  const has = (test: (l: (typeof all)[number]) => boolean): boolean => all.some(test);
  const notes: string[] = [];
  if (layer.unpackFixed && has((l) => RECURRENT_KINDS.has(l.kind) && (values.get(l.inbound[0]) as HandTensor | undefined)?.shape[1] === 1)) {
    notes.push(UNPACK_GRADIENT_NOTE);
  }
  if (layer.addedGradients.length > 0 && has((l) => l.kind === 'masking' || activationsOf(l.config).some((a) => COMPARING_ACTIVATIONS.has(a)))) {
    notes.push(missingGradientsNote(layer.addedGradients));
  }
  if (backend !== 'tensorflow' && has((l) => l.kind === 'average-pooling-1d' && (l.config as { padding: string }).padding === 'same'))
    notes.push(AVG_POOL_NOTE);
  if (has((l) => l.kind === 'conv1d' && (l.config as { dilationRate: number }).dilationRate > 1)) notes.push(DILATED_CONV_NOTE);
  if (backend === 'wasm' && has((l) => l.kind === 'conv1d')) notes.push(WASM_CONV_NOTE);
  if (backend === 'wasm' && has((l) => l.kind === 'embedding')) notes.push(WASM_GATHER_NOTE);
  return notes;
}
