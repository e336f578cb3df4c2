/**
 * No false alarms from the gradient check: the correct code through checkGradients (cpu backend, default
 * tolerances, the four losses) on random graphs of every kind (test/helpers/random-graph.ts) and on masked token
 * and Masking models (apps/faults/gradients/masked-models.ts).
 *
 * 1. Random graphs: hand vs finite differences always passes (the hand backward is right), and every failing layer
 *    vs hand comparison has a diagnosed cause (apps/faults/gradients/diagnose.ts): a tfjs divergence with a
 *    reproducer in apps/faults/gradients/known-issues.ts (a GlobalMaxPooling1D tie, LayerNormalization over one
 *    feature), or the float32 floor (the hand path in float32 is as far off: the
 *    tolerance, not tfjs). A model tfjs cannot differentiate (layerPathError) is a tfjs finding, not a comparison.
 *    `npm run gradient-faults` runs the same over 1600+ graphs and prints the causes and the worst ratios.
 * 2. Masked models: the same, and tfjs differentiates every one (no layerPathError). Seen over 600 random runs: one
 *    float32-floor failure (a TimeDistributed bias gradient, 2.0e-5 against the tolerance 2e-5, the float32 hand path
 *    8.9e-6), none else.
 *
 * fast-check prints the seed and the model on failure.
 */
import fc from 'fast-check';
import { selectBackend } from '../../src/backends';
import { checkedCase, diagnoseFailures } from '../../apps/faults/gradients/diagnose';
import { buildMaskedModel, type MaskedModelChoice } from '../../apps/faults/gradients/masked-models';
import { sweepLoss } from '../../apps/faults/gradients/no-false-alarms';
import { checkGradients, type GradientCheckResult } from '../../src/graph/gradient-check';
import type { GraphModel } from '../../src/graph/model';
import type { LossName } from '../../src/gradients/losses';
import type { NdArray } from '../../src/tensor';
import { randomGraphArb } from '../helpers/random-graph';

/** About 50 ms a run on cpu (diagnosis included where a comparison fails). */
const GRAPH_RUNS = { numRuns: 40 };
const MASKED_RUNS = { numRuns: 20 };

beforeAll(async () => {
  await selectBackend('cpu');
});

/**
 * Throws unless hand vs finite differences passes on every tensor and every other failing comparison has a
 * diagnosed cause (not 'unexplained').
 */
function expectExplained(
  model: GraphModel,
  loss: LossName,
  seed: number,
  batch: number,
  inputs: readonly NdArray[] | undefined,
  result: GradientCheckResult,
): void {
  const fdFailures = result.rows.filter((row) => row.comparisons.some((c) => c.pair === 'hand vs finite differences' && !c.difference.pass));
  if (fdFailures.length > 0) throw new Error(`hand vs finite differences fails on ${fdFailures.map((r) => r.name).join(', ')} (${loss}, seed ${seed})`);
  const unexplained = diagnoseFailures(checkedCase(model, loss, seed, batch, inputs), result).filter((d) => d.cause === 'unexplained');
  if (unexplained.length > 0)
    throw new Error(`unexplained (${loss}, seed ${seed}): ${unexplained.map((d) => `${d.tensor} ${d.pair}: ${d.detail}`).join('; ')}`);
}

test('random graphs: finite differences always agree, and every layer-vs-hand failure has a known cause', async () => {
  await fc.assert(
    fc.asyncProperty(randomGraphArb, fc.nat({ max: 3 }), fc.nat({ max: 1000 }), async (graph, lossIndex, seed) => {
      const { model, batch } = graph;
      const loss = sweepLoss(
        model.outputs.map((o) => graph.shapes.get(o)?.at(-1) as number),
        lossIndex,
      );
      const result = await checkGradients({ model, backend: 'cpu', loss, seed, batch });
      expectExplained(model, loss, seed, batch, undefined, result);
    }),
    GRAPH_RUNS,
  );
});

const maskedChoiceArb: fc.Arbitrary<MaskedModelChoice> = fc.record({
  tokens: fc.boolean(),
  batch: fc.integer({ min: 1, max: 5 }),
  timeSteps: fc.integer({ min: 1, max: 6 }),
  vocabulary: fc.integer({ min: 2, max: 12 }),
  width: fc.integer({ min: 1, max: 4 }),
  padding: fc.constantFrom('pre' as const, 'post' as const),
  recurrent: fc.array(fc.constantFrom('simple' as const, 'lstm' as const, 'gru-after' as const, 'gru-before' as const), { minLength: 1, maxLength: 2 }),
  bidirectional: fc.boolean(),
  mergeMode: fc.constantFrom('concat' as const, 'sum' as const, 'ave' as const, 'mul' as const),
  returnSequences: fc.boolean(),
  goBackwards: fc.boolean(),
  zeroOutputForMask: fc.boolean(),
  timeDistributed: fc.boolean(),
  seed: fc.nat({ max: 100000 }),
});

test('masked token and Masking models: tfjs differentiates them, finite differences agree, every failure has a known cause', async () => {
  await fc.assert(
    fc.asyncProperty(maskedChoiceArb, fc.nat({ max: 3 }), async (choice, lossIndex) => {
      const { model, input } = buildMaskedModel(choice);
      const loss = sweepLoss([2], lossIndex);
      const result = await checkGradients({ model, backend: 'cpu', loss, seed: choice.seed, inputs: [input] });
      const failing = result.rows.flatMap((row) =>
        row.comparisons
          .filter((c) => !c.difference.pass)
          .map((c) => `${row.name} ${c.pair}: ${c.difference.scaledMaxError.toExponential(2)} > ${c.difference.tolerance}`),
      );
      if (failing.length > 0 || result.layerPathError !== undefined) throw new Error(`${loss}: ${result.layerPathError ?? failing.join('; ')}`);
    }),
    MASKED_RUNS,
  );
});
