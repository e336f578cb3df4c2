/**
 * Layer-path problems the no-false-alarm sweep found, each as a minimal reproducer (the check fails on the correct
 * hand code because tfjs computes something else). scripts/gradient-fault-table.ts runs them and says which still
 * fail; apps/faults/gradients/diagnose.ts names the same causes when the sweep meets them in random models.
 *
 *   go-backwards-zero-output-for-mask   go_backwards + return_sequences + zero_output_for_mask + a mask (the forward
 *     already): Keras zeroes output s (processing order) where the step it read, T - 1 - s, is padding
 *     (keras/src/backend/tensorflow/rnn.py reverses the mask with the inputs); the hand path does the same
 *     (src/hand/recurrent.ts). The layer path's ZeroMaskedSteps (src/model/layers/zero-masked-steps.ts, added by
 *     recurrentAfter in src/layers/recurrent/tfjs.ts) multiplies output s by mask[s], the unreversed mask. Keras
 *     3.15.1, Masking -> SimpleRNN(1, linear, kernels 1, no bias, go_backwards, return_sequences,
 *     zero_output_for_mask) on [[1], [2], [0], [0]] gives [0, 0, 2, 3]; the layer path gave [0, 0, 0, 0]. Fixed:
 *     ZeroMaskedSteps reverses the mask after a go_backwards layer (test/layers/zero-output-for-mask-backwards.test.ts).
 *   layer-normalization-without-gamma-or-beta   LayerNormalization(center=False) or (scale=False): tfjs's gradient
 *     throws (Cannot read properties of undefined (reading 'id' / 'dataId')); checkGradients reports a layerPathError.
 *     The same tfjs bug as BatchNormalization's without gamma or beta (docs/gradients.md), which the layer path works
 *     around by holding gamma = 1 / beta = 0; fixed the same way for LayerNormalization (layerNormalizationTfjsWeights).
 *   global-max-pooling-tie   GlobalMaxPooling1D over tied values: tfjs gives every tied step the whole gradient, TF
 *     splits it (known: src/layers/global-pooling-1d-backward.ts, docs/gradients.md): RepeatVector -> GlobalMaxPooling1D,
 *     or relu units dead on every step -> BatchNormalization -> GlobalMaxPooling1D, as the sweep met them.
 *   layer-normalization-one-feature   LayerNormalization over a last axis of size 1: its exact input gradient is 0,
 *     and Keras's float32 GradientTape gives exactly 0 (TF 2.21, epsilon 1e-5 and 1e-3); tfjs's leaves a residue of
 *     about one float32 ulp of |dy gamma| / sqrt(epsilon) (two terms that should cancel, rounded in different
 *     orders): 2.4e-7 to 1.5e-5 measured. Where the same input takes a ~1e-2 gradient from another branch, that is
 *     48x the tolerance (the reproducer: 1.5e-5 on 7.2e-3); alone (exact gradient 0, compared absolutely) it passes.
 * Plain TypeScript, no tfjs.
 */
import type { GraphInput, GraphModel } from '../../../src/graph/model';
import type { LossName } from '../../../src/gradients/losses';
import { seededNormal } from '../../../src/data/numpy-random';
import { layerKind } from '../../../src/layers/registry';
import type { NdArray } from '../../../src/tensor';
import { cellLayer, chainOf, modelOf } from './fault-models';

interface KnownIssue {
  readonly id: string;
  /** What fails, in a few words. */
  readonly summary: string;
  readonly model: GraphModel;
  readonly inputs: readonly NdArray[];
  readonly loss: LossName;
  /** checkGradients' seed (the loss targets). */
  readonly seed: number;
  /** Where it shows: the forward comparison already, or the gradients only. */
  readonly shows: 'forward' | 'gradients';
}

const LN = { axis: -1, epsilon: 1e-5 };

/**
 * Two inputs (random graph 86 of fc.sample(graphChoiceArb, { numRuns: 500, seed: 46 }), reduced): x [2 steps, 1]
 * reaches a TimeDistributed(Dense(6, softsign)) head through Concatenate, and GlobalMaxPooling1D ->
 * LayerNormalization over its 1 feature.
 */
function layerNormalizationOneFeature(): GraphModel {
  const inputs: GraphInput[] = [
    { name: 'a', shape: [null, 3, 1] },
    { name: 'x', shape: [null, 2, 1] },
  ];
  const dense = { kind: layerKind('dense'), config: { units: 6, activation: 'softsign', useBias: false } };
  return modelOf(
    inputs,
    [
      { name: 'concatenate', kind: 'concatenate', config: { axis: -2 }, inbound: ['a', 'x'] },
      { name: 'dense', kind: 'time-distributed', config: { layer: dense }, inbound: ['concatenate'] },
      { name: 'pool', kind: 'global-max-pooling-1d', config: { keepdims: true }, inbound: ['x'] },
      { name: 'norm', kind: 'layer-normalization', config: { ...LN, center: true, scale: true }, inbound: ['pool'] },
    ],
    ['dense', 'norm'],
    1,
  );
}

/** A seeded normal tensor as float32 (np.random.seed(seed); randn(*shape)). */
function normal(seed: number, shape: number[]): NdArray {
  const drawn = seededNormal(seed, shape);
  return { shape, data: Float32Array.from(drawn.data) };
}

/** Every known issue, with its reproducer. */
export function knownIssues(): KnownIssue[] {
  const sequence = (timeSteps: number, features: number): GraphInput => ({ name: 'x', shape: [null, timeSteps, features] });
  const ramp = (shape: number[]): NdArray => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.1 + 0.1 * i) });
  return [
    {
      id: 'go-backwards-zero-output-for-mask',
      summary: 'Masking -> SimpleRNN(go_backwards, return_sequences, zero_output_for_mask): the layer path zeroes the wrong steps',
      model: chainOf(
        sequence(4, 1),
        [{ kind: 'masking', config: { maskValue: 0 } }, cellLayer('simple', 2, { returnSequences: true, goBackwards: true, zeroOutputForMask: true })],
        1,
      ),
      inputs: [{ shape: [1, 4, 1], data: Float32Array.from([1, 2, 0, 0]) }],
      loss: 'sum-squares',
      seed: 0,
      shows: 'forward',
    },
    {
      id: 'layer-normalization-without-gamma-or-beta',
      summary: "LayerNormalization(center=False): tfjs's gradient throws",
      model: chainOf(sequence(2, 3), [{ kind: 'layer-normalization', config: { ...LN, center: false, scale: true } }], 1),
      inputs: [ramp([1, 2, 3])],
      loss: 'sum-squares',
      seed: 0,
      shows: 'gradients',
    },
    {
      id: 'global-max-pooling-tie',
      summary: 'RepeatVector(3) -> GlobalMaxPooling1D: three tied steps; tfjs gives each the whole gradient',
      model: chainOf(
        { name: 'x', shape: [null, 2] },
        [
          { kind: 'repeat-vector', config: { n: 3 } },
          { kind: 'global-max-pooling-1d', config: { keepdims: false } },
        ],
        1,
      ),
      inputs: [ramp([1, 2])],
      loss: 'sum-squares',
      seed: 0,
      shows: 'gradients',
    },
    {
      id: 'layer-normalization-one-feature',
      summary: 'LayerNormalization over 1 feature: tfjs leaves 1.5e-5 where the gradient is 0 (Keras: 0), on an input whose gradient is 7.2e-3',
      model: layerNormalizationOneFeature(),
      inputs: [normal(2, [2, 3, 1]), normal(102, [2, 2, 1])],
      loss: 'mse',
      seed: 2,
      shows: 'gradients',
    },
  ];
}
