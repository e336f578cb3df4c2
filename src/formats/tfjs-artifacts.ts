/**
 * tfjs layers-model artifacts on disk (model.json + weight shards) -> GraphModel, read without
 * tf.loadLayersModel: the topology goes through the same architecture reader as Keras files (source
 * 'tfjs': activation names read as tfjs reads them), the weights straight from the shards.
 *
 *     model.json  {format: 'layers-model', generatedBy, convertedBy,
 *                  modelTopology: <model config> | {model_config: <model config>, keras_version, backend},
 *                  weightsManifest: [{paths: ['group1-shard1of2.bin', ...], weights: [{name, shape, dtype}]}]}
 *
 * Each manifest group's weights are its shards concatenated, in manifest order. tfjs's model.save names
 * a weight '<layer>/kernel'; tensorflowjs_converter from Keras 2 '<layer>/<cell>/kernel'. A weight
 * belongs to the layer whose name is its first path component (for a Keras 3 variable path such as
 * 'sequential/lstm/lstm_cell/kernel', the first component naming a layer); a layer's weights keep manifest order,
 * and assembleModel checks their count and shapes against the layer's kind.
 *
 * Everything is checked before a shard is read: float32 only (quantized or other dtypes refused by
 * name), every path inside the model's folder, every shard's size (fstat) against what its group needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FileFormatError } from '../errors';
import { assembleModel } from '../graph/assemble';
import type { WeightArray } from '../graph/model';
import { readArchitecture } from '../graph/read-config';
import { parseJsonText, previewJson } from '../io/json';
import { openRegularFile, readRange } from '../io/read-file';
import { readBounded } from '../keras/read';
import type { Blocker } from '../layers/read-context';
import type { ModelFile } from './keras-model';

export const TFJS_MODEL_JSON = 'model.json';
/**
 * Largest model.json read: 1 MiB, as src/io/model-artifacts.ts's MAX_MODEL_JSON_BYTES (not imported: that module
 * loads tfjs, and reading a file needs none).
 */
const MAX_MODEL_JSON_BYTES = 2 ** 20;
/** Most weight bytes read in all: 1 GiB, as src/io/model-artifacts.ts. */
const MAX_WEIGHT_BYTES = 2 ** 30;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One manifest entry, checked, with where its bytes are. */
interface ManifestWeight {
  readonly name: string;
  readonly shape: number[];
  /** Its group, and its byte offset in the group's concatenated shards. */
  readonly group: number;
  readonly offset: number;
  readonly bytes: number;
}

interface ManifestGroup {
  readonly files: string[];
  readonly bytes: number;
}

/** Folder and model.json of a path that names either. */
function tfjsModelJsonPath(target: string): { dir: string; jsonFile: string } {
  let isDir = false;
  try {
    isDir = fs.statSync(target).isDirectory();
  } catch {
    // readBounded names the missing file below
  }
  const jsonFile = isDir ? path.join(target, TFJS_MODEL_JSON) : target;
  return { dir: path.dirname(jsonFile), jsonFile };
}

/**
 * Resolves a manifest path inside `dir`.
 * @throws FileFormatError for an absolute path or one that leaves the folder.
 */
function shardPath(jsonFile: string, dir: string, relative: unknown, where: string): string {
  if (typeof relative !== 'string' || relative.length === 0) {
    throw new FileFormatError(`${jsonFile}: ${where}: expected a weight file path as a non-empty string, got ${previewJson(relative)}`);
  }
  const parts = relative.split(/[\\/]/);
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || parts.includes('..')) {
    throw new FileFormatError(`${jsonFile}: ${where}: expected a weight file inside ${dir} (a relative path without '..'), got ${previewJson(relative)}`);
  }
  const resolved = path.resolve(dir, relative);
  const inside = path.relative(path.resolve(dir), resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new FileFormatError(`${jsonFile}: ${where}: expected a weight file inside ${dir}, got ${previewJson(relative)}`);
  }
  return resolved;
}

/** Checks the manifest and lays out each weight's bytes. */
function readManifest(jsonFile: string, dir: string, manifest: unknown[]): { groups: ManifestGroup[]; weights: ManifestWeight[] } {
  const groups: ManifestGroup[] = [];
  const weights: ManifestWeight[] = [];
  let total = 0;
  manifest.forEach((group, g) => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FileFormatError(`${jsonFile}: weightsManifest[${g}]: expected {paths: [...], weights: [...]}, got ${previewJson(group)}`);
    }
    const files = group.paths.map((p, k) => shardPath(jsonFile, dir, p, `weightsManifest[${g}].paths[${k}]`));
    let offset = 0;
    group.weights.forEach((spec, k) => {
      if (!isObject(spec) || typeof spec.name !== 'string') {
        throw new FileFormatError(`${jsonFile}: weightsManifest[${g}].weights[${k}]: expected {name, shape, dtype}, got ${previewJson(spec)}`);
      }
      const where = `weight ${JSON.stringify(spec.name)}`;
      if (spec.quantization !== undefined && spec.quantization !== null) {
        throw new FileFormatError(`${jsonFile}: ${where}: expected unquantized float32 weights, got quantization ${previewJson(spec.quantization)}`);
      }
      if (spec.dtype !== 'float32') throw new FileFormatError(`${jsonFile}: ${where}: expected dtype float32, got ${previewJson(spec.dtype)}`);
      const shape = spec.shape;
      if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new FileFormatError(`${jsonFile}: ${where}: expected a shape of non-negative integers, got ${previewJson(shape)}`);
      }
      const bytes = 4 * (shape as number[]).reduce((a, b) => a * b, 1);
      total += bytes;
      if (!Number.isSafeInteger(total) || total > MAX_WEIGHT_BYTES) {
        throw new FileFormatError(`${jsonFile}: ${where} ${previewJson(shape)}: expected at most ${MAX_WEIGHT_BYTES} bytes of weights in all, got more`);
      }
      weights.push({ name: spec.name, shape: (shape as number[]).slice(), group: g, offset, bytes });
      offset += bytes;
    });
    groups.push({ files, bytes: offset });
  });
  return { groups, weights };
}

/**
 * Reads a group's shards after checking their sizes (fstat) add up to what the group's weights need.
 * @throws FileFormatError naming the shard and the first weight it cannot hold (too short), or the extra bytes.
 */
function readGroup(jsonFile: string, group: ManifestGroup, g: number, weights: readonly ManifestWeight[]): Uint8Array {
  const opened: { file: string; fd: number; size: number }[] = [];
  try {
    for (const file of group.files) {
      try {
        opened.push({ file, ...openRegularFile(file) });
      } catch (error) {
        if (error instanceof FileFormatError) throw error;
        throw new FileFormatError(
          `${jsonFile}: expected the weight file ${file} the manifest names, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }
    const size = opened.reduce((n, o) => n + o.size, 0);
    if (size !== group.bytes) {
      const mine = weights.filter((w) => w.group === g);
      const short = mine.find((w) => w.offset + w.bytes > size);
      const lastFile = opened[opened.length - 1]?.file ?? '(no files)';
      if (short !== undefined) {
        throw new FileFormatError(
          `${jsonFile}: weight ${JSON.stringify(short.name)} ${JSON.stringify(short.shape)}: expected bytes ${short.offset}..${short.offset + short.bytes} of weightsManifest[${g}]'s files (${group.bytes} bytes in all), got ${size} bytes (${opened.map((o) => `${path.basename(o.file)} ${o.size}`).join(', ') || 'no files'}): shard ${lastFile} too short`,
        );
      }
      throw new FileFormatError(
        `${jsonFile}: weightsManifest[${g}]: expected ${group.bytes} bytes of weights in its files, got ${size} (${lastFile} holds bytes no weight accounts for)`,
      );
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const o of opened) {
      const chunk = readRange(o.fd, 0, o.size);
      if (chunk.length !== o.size) throw new FileFormatError(`${o.file}: expected ${o.size} bytes, got ${chunk.length} (the file shrank while read)`);
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  } finally {
    for (const o of opened) fs.closeSync(o.fd);
  }
}

/** float32 little-endian bytes -> values (a DataView: right on any host). */
function float32s(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/**
 * Reads tfjs artifacts.
 * @param target the model's folder, or its model.json
 * @throws FileFormatError for a missing or malformed model.json, a manifest entry that is not plain float32,
 *   a path leaving the folder, a shard too short or too long, a weight no layer owns; ShapeError, FileFormatError
 *   from assembleModel for a missing, extra, misshapen or non-finite weight; UnsupportedModelError listing every blocker.
 */
export function readTfjsArtifacts(target: string): ModelFile {
  const { dir, jsonFile } = tfjsModelJsonPath(target);
  const text = Buffer.from(readBounded(jsonFile, MAX_MODEL_JSON_BYTES, Infinity, 'a readable tfjs model.json')).toString('utf8');
  const json = parseJsonText(text, jsonFile);
  if (!isObject(json) || !isObject(json.modelTopology) || !Array.isArray(json.weightsManifest)) {
    const got = isObject(json) ? `keys ${previewJson(Object.keys(json))}` : previewJson(json);
    throw new FileFormatError(`${jsonFile}: expected a tfjs model.json with modelTopology and weightsManifest, got ${got}`);
  }
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new FileFormatError(`${jsonFile}: expected format "layers-model" (a graph model has no layers to check), got ${previewJson(json.format)}`);
  }
  const { groups, weights } = readManifest(jsonFile, dir, json.weightsManifest);
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(json.modelTopology, 'tfjs', blockers);
  const byLayer = new Map<string, ManifestWeight[]>();
  const layerNames = new Set(architecture.layers.map((l) => l.name));
  for (const w of weights) {
    // '<layer>/kernel', '<layer>/<cell>/kernel'; from Keras 3 variable paths also '<model>/<layer>/...'
    // (converter output of a Keras 3 .h5): the first component that names a layer owns the weight.
    const parts = w.name.split('/');
    const owner = layerNames.has(parts[0]) ? parts[0] : (parts.slice(1, -1).find((p) => layerNames.has(p)) ?? parts[0]);
    if (blockers.length === 0 && !layerNames.has(owner)) {
      throw new FileFormatError(
        `${jsonFile}: weight ${JSON.stringify(w.name)}: expected a name starting with a layer's name (${[...layerNames].join(', ') || 'no layers'}), got ${JSON.stringify(owner)}`,
      );
    }
    byLayer.set(owner, [...(byLayer.get(owner) ?? []), w]);
  }
  // Shards are read only once the architecture reads (assembleModel refuses blockers before any weight).
  let data: Uint8Array[] | undefined;
  const model = assembleModel(
    architecture,
    blockers,
    (layer, _index, expected): WeightArray[] => {
      data ??= groups.map((group, g) => readGroup(jsonFile, group, g, weights));
      return (byLayer.get(layer.name) ?? []).map((w, k) => ({
        name: expected[k]?.name ?? w.name,
        shape: w.shape.slice(),
        data: float32s(data![w.group], w.offset, w.bytes / 4),
      }));
    },
    jsonFile,
  );
  // Shard sizes are checked even for a model whose layers hold no weights.
  data ??= groups.map((group, g) => readGroup(jsonFile, group, g, weights));
  const modelTopology = json.modelTopology;
  const kerasVersion = isObject(modelTopology) && typeof modelTopology.keras_version === 'string' ? modelTopology.keras_version : undefined;
  const writer = [
    typeof json.generatedBy === 'string' ? json.generatedBy : kerasVersion !== undefined ? `Keras ${kerasVersion}` : undefined,
    typeof json.convertedBy === 'string' ? `converted by ${json.convertedBy}` : undefined,
  ].filter((s): s is string => s !== undefined);
  return { model, format: 'tfjs', ...(writer.length ? { writer: writer.join(', ') } : {}) };
}
