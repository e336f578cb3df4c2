/**
 * Pieces of the Keras tests that speak the graph API (readModelFile, GraphModel): a case's model read
 * from bytes or from a file, the architecture of a committed case, a model's weights as bit patterns,
 * and the error checks every refusal test shares.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, FileFormatError, ShapeError } from '../../src/errors';
import { readKerasZip, type ModelFile } from '../../src/formats/keras-model';
import type { GraphModel } from '../../src/graph/model';
import { readArchitecture, type Architecture } from '../../src/graph/read-config';
import { UnsupportedModelError } from '../../src/graph/unsupported';
import { readKerasArchive } from '../../src/keras/archive';
import type { Blocker } from '../../src/layers/read-context';
import { float32Bits } from '../model/helpers';
import { KERAS_DIR } from './helpers';

/** A committed case's model.keras, read as the CLI reads it. */
export function casePath(name: string): string {
  return path.join(KERAS_DIR, name, 'model.keras');
}

/** readKerasZip on in-memory bytes (what readModelFile calls for a zip). */
export function readKerasBytes(bytes: Uint8Array, label = 'hostile.keras'): ModelFile {
  return readKerasZip(bytes, label);
}

/** The architecture a .keras file's config.json describes, with no blockers (asserted). */
export function architectureOf(kerasFile: string): Architecture {
  const archive = readKerasArchive(new Uint8Array(fs.readFileSync(kerasFile)), kerasFile);
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(archive.config, 'keras', blockers);
  expect(blockers).toEqual([]);
  return architecture;
}

/** Every weight of a model, in layer order then the kind's weight order, as float32 bit patterns. */
export function weightBits(model: GraphModel): { layer: string; name: string; shape: number[]; bits: number[] }[] {
  return model.layers.flatMap((l) => l.weights.map((w) => ({ layer: l.name, name: w.name, shape: [...w.shape], bits: float32Bits(w.data) })));
}

/** A fresh temporary directory (removed by the returned function). */
export function temporaryDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rnn-parity-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type TypedErrorClass = typeof ConfigError | typeof ShapeError | typeof FileFormatError | typeof UnsupportedModelError;

/**
 * Checks the shape of a refusal's message: one line naming the file for every error, except an
 * UnsupportedModelError, whose first line sums up (naming the file) and whose every other line is one
 * blocker ("  - layer ...").
 */
export function expectRefusalMessage(error: Error, label: string): void {
  const [first, ...rest] = error.message.split('\n');
  expect(first.startsWith(`${label}: `)).toBe(true);
  if (error instanceof UnsupportedModelError) {
    if (error.blockers.length === 1) {
      // One blocker is one line.
      expect(first.startsWith(`${label}: expected a model rnn-parity can check, got 1 blocker: `)).toBe(true);
      expect(rest).toEqual([]);
    } else {
      expect(first).toBe(`${label}: expected a model rnn-parity can check, got ${error.blockers.length} blockers:`);
      expect(rest).toHaveLength(error.blockers.length);
      for (const line of rest) expect(line).toMatch(/^ {2}- \S/);
    }
  } else {
    expect(rest).toEqual([]);
  }
}

/** The error `read` throws (failing when it returns). */
export function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got a successful read');
}
