/**
 * Parity of the layer path (tfjs layers on each backend) and the hand path (float64), for seeded
 * SimpleRNN specs: the notebook's, batches (the "N>1" exercise), every activation, sequences,
 * go_backwards, stacks, and a long sequence. Default tolerances (src/compare/tolerance.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/backends';
import { runCheck } from '../../src/check';
import { defaultTolerance } from '../../src/compare/tolerance';
import { forwardHand } from '../../src/hand/forward';
import { validateSpec, type ModelSpec } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';

const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];

const SPECS: [title: string, spec: Partial<ModelSpec>, seed: number][] = [
  ['notebook 1/10/3/5', {}, 42],
  ['batch 4 (the N>1 exercise)', { batch: 4 }, 1],
  ['relu', { activation: 'relu', batch: 2 }, 2],
  ['sigmoid', { activation: 'sigmoid', batch: 2 }, 3],
  ['linear', { activation: 'linear', batch: 2 }, 4],
  ['return sequences', { returnSequences: true, batch: 3 }, 5],
  ['go backwards', { goBackwards: true, batch: 2 }, 6],
  ['go backwards + sequences', { goBackwards: true, returnSequences: true, batch: 2 }, 7],
  ['2 layers', { layers: 2, batch: 2, units: 7 }, 8],
  ['wide 8/20/16/64', { batch: 8, timeSteps: 20, inputDim: 16, units: 64, denseUnits: 4 }, 9],
  ['long T=1000', { timeSteps: 1000, inputDim: 4, units: 16 }, 10],
];

describe.each(BACKENDS)('SimpleRNN parity on %s', (backend) => {
  test.each(SPECS)('%s (seed %#)', async (_title, partial, seed) => {
    const spec = validateSpec(partial);
    const before = tf.memory().numTensors;
    const result = await runCheck({ spec, seed, backend, precision: 'float64' });
    expect(result.backend.name).toBe(backend);
    expect(result.report.shapeMatch).toBe(true);
    expect(result.report.pass).toBe(true);
    expectClose(result.layerOutput, result.handOutput, defaultTolerance(spec));
    expect(tf.memory().numTensors).toBe(before);
  });
});

test('the float32 hand path sits at the float32 floor: within the default tolerance of the float64 one', async () => {
  const spec = validateSpec({ batch: 4, timeSteps: 50, units: 32, inputDim: 8 });
  const result = await runCheck({ spec, seed: 11, backend: 'cpu', precision: 'float64' });
  const float32 = forwardHand(result.weights, result.input, 'float32');
  expectClose(float32, result.handOutput, defaultTolerance(spec));
  // ... and it is not the same computation: some element differs from the float64 result.
  expect(float32.data.some((v, i) => v !== result.handOutput.data[i])).toBe(true);
});

// Seed 0 included: tfjs's initializers take seed 0 to mean "unseeded" (Math.random).
test.each([0, 42])('same seed, same bytes: two runs with seed %i give identical weights and outputs', async (seed) => {
  const spec = validateSpec({ batch: 2 });
  const a = await runCheck({ spec, seed, backend: 'cpu', precision: 'float64' });
  const b = await runCheck({ spec, seed, backend: 'cpu', precision: 'float64' });
  expect(Buffer.from(b.weights.recurrent[0].kernel.data.buffer)).toEqual(Buffer.from(a.weights.recurrent[0].kernel.data.buffer));
  expect(Buffer.from(b.layerOutput.data.buffer)).toEqual(Buffer.from(a.layerOutput.data.buffer));
  expect(Buffer.from(b.handOutput.data.buffer)).toEqual(Buffer.from(a.handOutput.data.buffer));
});

test('a different seed gives different weights and input', async () => {
  const spec = validateSpec({});
  const a = await runCheck({ spec, seed: 1, backend: 'cpu', precision: 'float64' });
  const b = await runCheck({ spec, seed: 2, backend: 'cpu', precision: 'float64' });
  expect(a.weights.recurrent[0].kernel.data).not.toEqual(b.weights.recurrent[0].kernel.data);
  expect(a.input.data).not.toEqual(b.input.data);
});

test('the seeded weights are the same bytes on every backend (tfjs draws them in JavaScript)', async () => {
  const spec = validateSpec({ cell: 'lstm', units: 8 });
  const kernels = [];
  for (const backend of BACKENDS) {
    kernels.push((await runCheck({ spec, seed: 5, backend, precision: 'float64' })).weights.recurrent[0].recurrentKernel.data);
  }
  expect(kernels[1]).toEqual(kernels[0]);
  expect(kernels[2]).toEqual(kernels[0]);
});
