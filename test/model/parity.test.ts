/**
 * Layer path (tfjs, float32) against the hand path (float64) through runCheck, for what this folder adds:
 * Keras's default GRU (reset_after=True, our custom layer) and Keras 3's hard_sigmoid as the gate activation.
 * (The GRU grid itself is in test/parity/cells-grid.test.ts.) Tolerances are defaultTolerance(spec), as the CLI uses them; the negative controls show that they
 * still catch a wrong gate activation and a dropped recurrent bias.
 */
import { selectBackend } from '../../src/backends';
import { runCheck } from '../../src/check';
import { compareOutputs } from '../../src/compare/compare';
import { defaultTolerance } from '../../src/compare/tolerance';
import { forwardHand } from '../../src/hand/forward';
import { type ModelSpec, validateSpec } from '../../src/spec';
import type { RnnWeights } from '../../src/weights';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, LAYER_BACKENDS } from './helpers';

const SEED = 7;

/** Small enough to keep 33 checks to a few seconds; batch 3 and T 6 so that order bugs show. */
function smallSpec(overrides: Partial<ModelSpec>): ModelSpec {
  return validateSpec({ batch: 3, timeSteps: 6, inputDim: 4, units: 5, denseUnits: 2, ...overrides });
}

async function checkOn(backend: (typeof LAYER_BACKENDS)[number], spec: ModelSpec) {
  const result = await expectNoLeakedTensors(() => runCheck({ spec, seed: SEED, backend, precision: 'float64' }));
  expectClose(result.layerOutput, result.handOutput, defaultTolerance(spec));
  expect(result.report.pass).toBe(true);
  return result;
}

describe.each(LAYER_BACKENDS)('layer path vs hand path on %s', (backend) => {
  beforeAll(async () => {
    // Fails (never skips) when the backend cannot load: all three are set up by this project.
    await selectBackend(backend);
  });

  // The numeric grid of GRU(reset_after) x go_backwards x return_sequences x layers runs once, in
  // test/parity/cells-grid.test.ts; this checks what the report says about it.
  test("GRU resetAfter: the summary names Keras's class, the parity note, the weight shapes", async () => {
    const options = { layers: 2, goBackwards: true, returnSequences: true };
    const result = await checkOn(backend, smallSpec({ cell: 'gru', resetAfter: true, ...options }));
    // The summary names Keras's class; the parity note says the layer path runs rnn-parity's GRUResetAfter.
    expect(result.layers.slice(0, options.layers).map((l) => l.type)).toEqual(Array(options.layers).fill('GRU'));
    expect(result.layers[0].notes.map((n) => n.id)).toContain('gru-reset-after');
    expect(result.layers[0].weightShapes).toEqual([
      [4, 15],
      [5, 15],
      [2, 15],
    ]);
  });

  test.each([
    { cell: 'lstm', resetAfter: false },
    { cell: 'gru', resetAfter: true },
    { cell: 'gru', resetAfter: false },
  ] as const)("$cell (resetAfter $resetAfter) with Keras 3's hard_sigmoid gates", async ({ cell, resetAfter }) => {
    const spec = smallSpec({ cell, resetAfter, recurrentActivation: 'hard_sigmoid', layers: 2, returnSequences: true });
    const result = await checkOn(backend, spec);
    // Negative control: the same weights with tfjs's hardSigmoid in the hand path must not pass.
    const tfjsGates = withLayers(result.weights, (layer) => ({ ...layer, recurrentActivation: 'hard_sigmoid_tfjs' }));
    expect(compareOutputs(result.layerOutput, forwardHand(tfjsGates, result.input), defaultTolerance(spec)).pass).toBe(false);
  });

  test('negative control: dropping the recurrent bias row of a reset_after GRU is caught', async () => {
    const spec = smallSpec({ cell: 'gru', resetAfter: true });
    const result = await checkOn(backend, spec);
    const dropped = withLayers(result.weights, (layer) => ({ ...layer, recurrentBias: new Float32Array(layer.bias.length) }));
    expect(compareOutputs(result.layerOutput, forwardHand(dropped, result.input), defaultTolerance(spec)).pass).toBe(false);
  });
});

function withLayers(weights: RnnWeights, change: (layer: RnnWeights['recurrent'][number]) => RnnWeights['recurrent'][number]): RnnWeights {
  return { ...weights, recurrent: weights.recurrent.map(change) };
}
