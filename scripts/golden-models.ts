/**
 * The golden cases in models/keras-models/ (made by real Keras 3.15.1 on TensorFlow 2.21 with
 * scripts/keras-models/make_models.py; see its README): each folder holds the model file(s), input.npy
 * (or input-0.npy, input-1.npy, ...), Keras's float32 outputs expected.npy (or expected-0.npy, ...) and a
 * float64 Keras recomputation expected64.npy (expected64-0.npy, ...).
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../apps/cli/package-root';
import { readNpyFile } from '../src/io/npy';
import type { NdArray } from '../src/tensor';

export const KERAS_MODELS_DIR = path.join(packageRoot(), 'models', 'keras-models');

interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  /** Model files in this folder: model.keras, model.h5, tfjs/ (converter output). */
  readonly modelPaths: string[];
  readonly inputs: NdArray[];
  readonly expected: NdArray[];
  readonly expected64: NdArray[];
}

function numbered(dir: string, stem: string): NdArray[] {
  if (fs.existsSync(path.join(dir, `${stem}.npy`))) return [readNpyFile(path.join(dir, `${stem}.npy`))];
  const out: NdArray[] = [];
  for (let i = 0; fs.existsSync(path.join(dir, `${stem}-${i}.npy`)); i++) out.push(readNpyFile(path.join(dir, `${stem}-${i}.npy`)));
  return out;
}

/** Every case folder (one with a case.json), sorted by name. */
export function goldenCaseNames(): string[] {
  return fs
    .readdirSync(KERAS_MODELS_DIR)
    .filter((name) => fs.existsSync(path.join(KERAS_MODELS_DIR, name, 'case.json')))
    .sort();
}

export function loadGoldenCase(name: string): GoldenCase {
  const dir = path.join(KERAS_MODELS_DIR, name);
  const modelPaths = ['model.keras', 'model.h5', 'tfjs'].map((f) => path.join(dir, f)).filter((p) => fs.existsSync(p));
  return { name, dir, modelPaths, inputs: numbered(dir, 'input'), expected: numbered(dir, 'expected'), expected64: numbered(dir, 'expected64') };
}
