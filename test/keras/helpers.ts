/**
 * Shared pieces of the Keras tests: the committed golden cases, and hostile .keras files built in memory
 * from them (config.json edited, a member dropped or replaced) so that no binary test file is committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { readNpyFile } from '../../src/io/npy';
import type { ModelSpec } from '../../src/spec';
import type { NdArray } from '../../src/tensor';

export const KERAS_DIR = path.join(__dirname, '..', '..', 'models', 'keras');
export const USER_DIR = path.join(__dirname, '..', '..', 'models', 'keras-user');

/** One committed case: models/keras/<name>/{model.keras, input.npy, expected.npy, expected64.npy, case.json}. */
interface GoldenCase {
  readonly name: string;
  readonly file: string;
  readonly spec: ModelSpec;
  readonly input: NdArray;
  /** Keras 3.15.1 model.predict, float32. */
  readonly expected: NdArray;
  /** NumPy float64 loop over the same weights. */
  readonly expected64: NdArray;
}

/** Every case folder, sorted; the list is read from disk so that a new case is tested without editing this file. */
export const CASE_NAMES: readonly string[] = fs
  .readdirSync(KERAS_DIR)
  .filter((name) => fs.existsSync(path.join(KERAS_DIR, name, 'case.json')))
  .sort();

export function loadCase(name: string): GoldenCase {
  const dir = path.join(KERAS_DIR, name);
  return {
    name,
    file: path.join(dir, 'model.keras'),
    spec: JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')).spec,
    input: readNpyFile(path.join(dir, 'input.npy')),
    expected: readNpyFile(path.join(dir, 'expected.npy')),
    expected64: readNpyFile(path.join(dir, 'expected64.npy')),
  };
}

/** The members of a committed .keras file: config.json (parsed), metadata.json and model.weights.h5 (bytes). */
export interface KerasMembers {
  config: any;
  members: Record<string, Uint8Array>;
}

export function readMembers(file: string): KerasMembers {
  const members = unzipSync(new Uint8Array(fs.readFileSync(file)));
  return { config: JSON.parse(Buffer.from(members['config.json']).toString('utf8')), members };
}

/** Re-zips members (config.json from `config`), stored like Keras writes them. */
function zipMembers({ config, members }: KerasMembers): Uint8Array {
  const out: Record<string, Uint8Array> = { ...members, 'config.json': new Uint8Array(Buffer.from(JSON.stringify(config))) };
  return zipSync(out, { level: 0 });
}

/** A copy of a committed case's .keras with `edit` applied to its config and members. */
export function editedKeras(caseName: string, edit: (keras: KerasMembers) => void): Uint8Array {
  const keras = readMembers(path.join(KERAS_DIR, caseName, 'model.keras'));
  edit(keras);
  return zipMembers(keras);
}

/** Layer k of a config.json (0 is the InputLayer in every committed case). */
export function layerConfig(config: any, k: number): Record<string, unknown> {
  return config.config.layers[k].config;
}

/** Reproducible bytes (a 32-bit LCG), for "random bytes" files that are the same on every run. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}
