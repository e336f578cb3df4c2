/**
 * Shared pieces of the model-format tests: fixture folders, the hand forward pass over a fixture's input
 * compared with Keras's expected outputs, and the max errors measured (printed once per suite).
 */
import fs from 'node:fs';
import path from 'node:path';
import { forwardGraph } from '../../src/graph/hand-forward';
import type { GraphModel } from '../../src/graph/model';
import { readNpyFile } from '../../src/io/npy';
import type { NdArray } from '../../src/tensor';
import { expectClose } from '../helpers/expect-close';

export const ROOT = path.join(__dirname, '..', '..');
export const LEGACY_DIR = path.join(ROOT, 'test', 'fixtures', 'legacy-h5');
export const GOLDEN_DIR = path.join(ROOT, 'models', 'keras-models');

/**
 * Keras computes in float32, the hand path in float64: on these small models (a few layers of 3-16 units,
 * inputs ~N(0, 1), weights in [-0.6, 0.6]) the two differ by about 3e-7 (float32 rounding of outputs of
 * size ~1, accumulated over a dozen steps). 2e-6 leaves a margin of ~6x while still failing on any real
 * difference (a swapped gate, a dropped bias, a wrong activation move outputs by 1e-2 or more).
 */
const KERAS_TOLERANCE = { atol: 2e-6, rtol: 0 };

/** input.npy (or input-0.npy, input-1.npy ...) of a fixture folder, in order. */
export function fixtureInputs(dir: string): NdArray[] {
  if (fs.existsSync(path.join(dir, 'input.npy'))) return [readNpyFile(path.join(dir, 'input.npy'))];
  const out: NdArray[] = [];
  for (let i = 0; fs.existsSync(path.join(dir, `input-${i}.npy`)); i++) out.push(readNpyFile(path.join(dir, `input-${i}.npy`)));
  return out;
}

/** expected.npy (or expected-0.npy, expected-1.npy ...): Keras float32 model.predict, in output order. */
export function fixtureExpected(dir: string): NdArray[] {
  if (fs.existsSync(path.join(dir, 'expected.npy'))) return [readNpyFile(path.join(dir, 'expected.npy'))];
  const out: NdArray[] = [];
  for (let i = 0; fs.existsSync(path.join(dir, `expected-${i}.npy`)); i++) out.push(readNpyFile(path.join(dir, `expected-${i}.npy`)));
  return out;
}

/** Max |hand - expected| over every output, after asserting each is within `tolerance`. */
export function expectForwardMatches(model: GraphModel, inputs: readonly NdArray[], expected: readonly NdArray[], tolerance = KERAS_TOLERANCE): number {
  const outputs = forwardGraph(model, inputs);
  expect(outputs).toHaveLength(expected.length);
  return Math.max(...outputs.map((out, i) => expectClose(out, expected[i], tolerance).maxAbsError));
}

/** The layers as [name, kind, inbound] for comparing with a source's description. */
export function layerSummary(model: GraphModel): [string, string, string[]][] {
  return model.layers.map((l) => [l.name, l.kind, [...l.inbound]]);
}

/** Bitwise equality of two float32 arrays (NaN-safe, -0 != +0). */
export function expectSameBits(actual: Float32Array, expected: ArrayLike<number>, what: string): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(Float32Array.from(expected).buffer);
  if (a.length !== b.length) throw new Error(`${what}: expected ${b.length} values, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`${what}: element ${i}: expected ${Float32Array.from(expected)[i]}, got ${actual[i]}`);
  }
}

/** Errors measured by a suite, printed at its end (the report quotes them). */
export const measured: Record<string, number> = {};
export function printMeasured(suite: string): void {
  afterAll(() => {
    if (Object.keys(measured).length > 0 && process.env.RNN_PARITY_PRINT_ERRORS) {
      console.log(
        `${suite} max |hand - reference|:\n${Object.entries(measured)
          .map(([k, v]) => `  ${k}: ${v.toExponential(2)}`)
          .join('\n')}`,
      );
    }
  });
}
