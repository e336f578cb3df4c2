/**
 * Reads a folder of Keras's gradients, as scripts/keras-models/make_gradients.py writes it (GradientTape on
 * the saved model and on its float64 rebuild):
 *
 *   manifest.json   { loss, seed, lossValue: { float32, float64 },
 *                     inputs:  [{ input, index, shape, float32: file, float64: file }],
 *                     weights: [{ layer, index, path, shape, float32: file, float64: file }] }
 *   *.npy           one gradient each (float32 / float64)
 *
 * Weights are named by layer and position in Keras's layer.weights, which is the graph's weight order; the
 * result is keyed by the gradient check's tensor names (`input "x"`, `layer/weight`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileFormatError } from '../errors';
import type { KerasGradients } from '../graph/gradient-check';
import type { GraphModel } from '../graph/model';
import { lossName, type LossName } from '../gradients/losses';
import type { NdArray } from '../tensor';
import { parseJsonText } from './json';
import { readNpyFile } from './npy';

interface KerasGradientFolder {
  readonly loss: LossName;
  readonly seed: number;
  readonly lossValue: { readonly float32?: number; readonly float64?: number };
  readonly gradients: KerasGradients;
}

interface Entry {
  readonly shape: readonly number[];
  readonly float32?: string;
  readonly float64?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @throws FileFormatError naming the folder and the field when the manifest or a file does not fit `model`.
 */
export function readKerasGradients(dir: string, model: GraphModel): KerasGradientFolder {
  const manifestPath = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new FileFormatError(
      `--expect-gradients: expected a folder with manifest.json, got ${dir} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  const manifest = parseJsonText(text, manifestPath);
  if (!isRecord(manifest) || !Array.isArray(manifest.weights) || !Array.isArray(manifest.inputs)) {
    throw new FileFormatError(`${manifestPath}: expected an object with "inputs" and "weights" lists, got ${JSON.stringify(manifest).slice(0, 80)}`);
  }
  const seed = manifest.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new FileFormatError(`${manifestPath}: expected an integer "seed", got ${JSON.stringify(seed)}`);
  const float32 = new Map<string, NdArray>();
  const float64 = new Map<string, NdArray>();
  const load = (name: string, entry: Entry): void => {
    for (const [precision, map] of [
      ['float32', float32],
      ['float64', float64],
    ] as const) {
      const file = entry[precision];
      if (file === undefined) continue;
      if (typeof file !== 'string' || file.includes('/') || file.includes('\\')) {
        throw new FileFormatError(`${manifestPath}: ${name}: expected a file name in the folder, got ${JSON.stringify(file)}`);
      }
      const array = readNpyFile(path.join(dir, file));
      if (array.shape.join(',') !== entry.shape.join(',')) {
        throw new FileFormatError(`${path.join(dir, file)}: expected shape [${entry.shape.join(', ')}] (manifest), got [${array.shape.join(', ')}]`);
      }
      map.set(name, array);
    }
  };
  for (const raw of manifest.inputs as unknown[]) {
    if (!isRecord(raw) || typeof raw.index !== 'number' || !Array.isArray(raw.shape)) {
      throw new FileFormatError(`${manifestPath}: expected inputs entries { index, shape, float32, float64 }, got ${JSON.stringify(raw)}`);
    }
    const input = model.inputs[raw.index];
    if (input === undefined) throw new FileFormatError(`${manifestPath}: input index ${raw.index}: expected < ${model.inputs.length}`);
    load(`input "${input.name}"`, raw as unknown as Entry);
  }
  for (const raw of manifest.weights as unknown[]) {
    if (!isRecord(raw) || typeof raw.layer !== 'string' || typeof raw.index !== 'number' || !Array.isArray(raw.shape)) {
      throw new FileFormatError(`${manifestPath}: expected weights entries { layer, index, shape, float32, float64 }, got ${JSON.stringify(raw)}`);
    }
    const layer = model.layers.find((l) => l.name === raw.layer);
    const weight = layer?.weights[raw.index];
    if (weight === undefined) {
      throw new FileFormatError(`${manifestPath}: expected a weight ${raw.index} of layer "${raw.layer}" in the model, got none`);
    }
    load(`${raw.layer}/${weight.name}`, raw as unknown as Entry);
  }
  const lossValue = isRecord(manifest.lossValue) ? manifest.lossValue : {};
  return {
    loss: lossName(String(manifest.loss)),
    seed,
    lossValue: {
      ...(typeof lossValue.float32 === 'number' ? { float32: lossValue.float32 } : {}),
      ...(typeof lossValue.float64 === 'number' ? { float64: lossValue.float64 } : {}),
    },
    gradients: { ...(float32.size > 0 ? { float32 } : {}), ...(float64.size > 0 ? { float64 } : {}) },
  };
}
