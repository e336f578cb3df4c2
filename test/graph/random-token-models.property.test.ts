/**
 * Random masked sequence models (what test/helpers/random-graph.ts does not draw): token ids with padding
 * through Embedding(mask_zero) or float sequences through Masking, then 1-2 recurrent layers or a
 * Bidirectional, maybe Dropout / TimeDistributed(Dense), then Dense. Property: the layer path and the hand
 * path agree at the default tolerance on the cpu backend, whatever the padding (pre, post, all-padding rows).
 */
import fc from 'fast-check';
import { NumpyRandomState } from '../../src/data/numpy-random';
import { checkModel } from '../../src/graph/check';
import type { GraphLayer, GraphModel, Shape } from '../../src/graph/model';
import { inboundShapes, inferShapes } from '../../src/graph/shapes';
import type { BidirectionalConfig } from '../../src/layers/bidirectional';
import type { RecurrentConfig } from '../../src/layers/recurrent/config';
import { layerKind } from '../../src/layers/registry';
import type { NdArray } from '../../src/tensor';

/** About 80 ms a run on cpu. */
const RUNS = { numRuns: 25 };

interface Choice {
  tokens: boolean;
  batch: number;
  timeSteps: number;
  vocabulary: number;
  width: number;
  padding: 'pre' | 'post';
  recurrent: ('simple-rnn' | 'lstm' | 'gru')[];
  bidirectional: boolean;
  mergeMode: BidirectionalConfig['mergeMode'];
  returnSequences: boolean;
  goBackwards: boolean;
  timeDistributed: boolean;
  seed: number;
}

const choiceArb: fc.Arbitrary<Choice> = fc.record({
  tokens: fc.boolean(),
  batch: fc.integer({ min: 1, max: 5 }),
  timeSteps: fc.integer({ min: 1, max: 6 }),
  vocabulary: fc.integer({ min: 2, max: 12 }),
  width: fc.integer({ min: 1, max: 4 }),
  padding: fc.constantFrom('pre', 'post'),
  recurrent: fc.array(fc.constantFrom('simple-rnn', 'lstm', 'gru'), { minLength: 1, maxLength: 2 }),
  bidirectional: fc.boolean(),
  mergeMode: fc.constantFrom('concat', 'sum', 'ave', 'mul'),
  returnSequences: fc.boolean(),
  goBackwards: fc.boolean(),
  timeDistributed: fc.boolean(),
  seed: fc.nat({ max: 1000 }),
});

function recurrentConfig(kind: string, units: number, returnSequences: boolean, goBackwards: boolean): RecurrentConfig {
  const base: RecurrentConfig = {
    units,
    activation: 'tanh',
    useBias: true,
    returnSequences,
    goBackwards,
    unroll: false,
    zeroOutputForMask: false,
    returnState: false,
    dropout: 0,
    recurrentDropout: 0,
  };
  if (kind === 'lstm') return { ...base, recurrentActivation: 'sigmoid', unitForgetBias: true } as RecurrentConfig;
  if (kind === 'gru') return { ...base, recurrentActivation: 'sigmoid', resetAfter: true } as RecurrentConfig;
  return base;
}

/** The model and an input whose sample i is padded on min(i, T) steps. */
function build(c: Choice): { model: GraphModel; input: NdArray } {
  const random = new NumpyRandomState(c.seed);
  const drafts: Omit<GraphLayer, 'weights'>[] = [];
  const input = c.tokens
    ? { name: 'ids', shape: [null, c.timeSteps] as Shape, dtype: 'int32' as const }
    : { name: 'x', shape: [null, c.timeSteps, c.width] as Shape };
  const add = (kind: string, config: unknown) =>
    drafts.push({ name: `${kind.replace(/-/g, '_')}_${drafts.length}`, kind, config, inbound: [drafts.length ? drafts[drafts.length - 1].name : input.name] });
  if (c.tokens) add('embedding', { inputDim: c.vocabulary, outputDim: c.width, maskZero: true });
  else add('masking', { maskValue: 0 });
  add('dropout', { rate: 0.5, noiseShape: null, seed: null });
  const last = c.recurrent.length - 1;
  c.recurrent.forEach((kind, k) => {
    const sequences = k < last || c.returnSequences || c.timeDistributed;
    if (c.bidirectional && k === last) {
      const held = layerKind(kind);
      const forward = recurrentConfig(kind, 2 + k, sequences, false);
      add('bidirectional', {
        forward: { kind: held, config: { ...forward, zeroOutputForMask: sequences } },
        backward: { kind: held, config: { ...forward, goBackwards: true, zeroOutputForMask: sequences } },
        mergeMode: c.mergeMode,
        explicitBackward: false,
      } satisfies BidirectionalConfig);
    } else add(kind, recurrentConfig(kind, 2 + k, sequences, c.goBackwards));
  });
  if (c.timeDistributed) add('time-distributed', { layer: { kind: layerKind('dense'), config: { units: 2, activation: 'linear', useBias: true } } });
  add('dense', { units: 2, activation: 'tanh', useBias: true });
  const shapes = inferShapes([input], drafts);
  const layers = drafts.map((d) => ({
    ...d,
    weights: layerKind(d.kind)
      .weightShapes(d.config, inboundShapes(d, shapes))
      .map((w) => {
        const data = new Float32Array(w.shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < data.length; i++) data[i] = random.randomSample() - 0.5;
        return { name: w.name, shape: w.shape.slice(), data };
      }),
  }));
  const { batch, timeSteps, width } = c;
  const data = c.tokens ? new Float64Array(batch * timeSteps) : new Float32Array(batch * timeSteps * width);
  const perStep = c.tokens ? 1 : width;
  for (let b = 0; b < batch; b++) {
    const pad = Math.min(b, timeSteps);
    for (let t = 0; t < timeSteps; t++) {
      const padded = c.padding === 'post' ? t >= timeSteps - pad : t < pad;
      for (let j = 0; j < perStep; j++) {
        const i = (b * timeSteps + t) * perStep + j;
        data[i] = padded ? 0 : c.tokens ? 1 + ((b * 7 + t * 3) % (c.vocabulary - 1)) : random.randomSample() + 0.25;
      }
    }
  }
  return {
    model: { topology: 'Sequential', inputs: [input], layers, outputs: [layers[layers.length - 1].name] },
    input: { shape: c.tokens ? [batch, timeSteps] : [batch, timeSteps, width], data },
  };
}

test('masked token and Masking models: layer path = hand path at the default tolerance (cpu)', async () => {
  await fc.assert(
    fc.asyncProperty(choiceArb, async (c) => {
      const { model, input } = build(c);
      const result = await checkModel({ model, backend: 'cpu', precision: 'float64', seed: 0, inputs: [input] });
      const [comparison] = result.comparisons;
      if (!comparison.report.pass) throw new Error(`layer vs hand: max |diff| ${comparison.report.maxAbsError} at ${comparison.report.worstIndex}`);
    }),
    RUNS,
  );
});
