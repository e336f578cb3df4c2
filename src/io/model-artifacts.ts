/**
 * Saving and loading models as tfjs's standard artifacts: DIR/model.json (topology + weights manifest)
 * and DIR/weights.bin (float32, little-endian, in manifest order). The same files load in any tfjs
 * program with tf.loadLayersModel('file://DIR/model.json'); we read and write them ourselves so that
 * every backend (not only tfjs-node's file:// handler) can use them, and writes are atomic.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, FileFormatError } from '../errors';
import { writeFilesAtomic } from './atomic-write';
import { firstNonFinite } from './finite';
import { parseJsonText, previewJson } from './json';
import { openRegularFile, readRange } from './read-file';
// Registers rnn-parity's custom layers (GRUResetAfter, hardSigmoidKeras3) so that saved models load.
import '../model/layers';

export const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Largest weights.bin we read: 1 GiB, far above any model this tool builds (LSTM(128) is 330 KB). */
const MAX_WEIGHT_BYTES = 2 ** 30;
/**
 * Largest model.json we read: 1 MiB, about 20 times a 16-layer model's. (16 MiB of JSON took 2 s to
 * parse, past the one second in which a bad file must be refused.)
 */
export const MAX_MODEL_JSON_BYTES = 2 ** 20;

/** What we record beside tfjs's own fields, in model.json's userDefinedMetadata. */
interface SavedModelMetadata {
  readonly generatedBy: string;
  readonly seed?: number;
  /** train-mnist: how the initial weights were drawn (apps/mnist/init.ts). */
  readonly init?: string;
  /** train-mnist: the model's input is ((byte / 255) - mean) / std; use the same numbers to feed it. */
  readonly pixelScaling?: { readonly name: string; readonly mean: number; readonly std: number };
}

/**
 * Writes DIR/weights.bin and DIR/model.json as one atomic pair (DIR is created if missing): both are
 * written to temporary files first, and a failure leaves the earlier pair in DIR as it was, never a new
 * weights.bin beside an old model.json.
 *
 * The files are what tfjs's model.save writes (topology from model.toJSON, every weight under its
 * originalName, float32 little-endian in model.weights order), but the bytes are gathered here rather
 * than by tfjs's encodeWeights, which refuses typed arrays from another JavaScript realm: under jest (or a
 * vm context) tfjs-node's weights are Node's Float32Arrays, and model.save failed with "Unsupported
 * TypedArray subtype".
 * @throws ConfigError naming DIR and the fs error code (ENOTDIR, EACCES, ENOSPC...) when it cannot be written;
 *   FileFormatError for a weight that is not float32.
 */
export async function saveModelArtifacts(model: tf.LayersModel, dir: string, metadata: SavedModelMetadata): Promise<void> {
  writable(dir, () => fs.mkdirSync(dir, { recursive: true }));
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Float32Array[] = [];
  for (const weight of model.weights) {
    if (weight.dtype !== 'float32') throw new FileFormatError(`model: expected float32 weights, got ${weight.dtype} for ${weight.originalName}`);
    // [..shape] -> flat float32, copied into this realm's Float32Array
    chunks.push(Float32Array.from(await weight.read().data<'float32'>()));
    weightSpecs.push({ name: weight.originalName, shape: weight.shape.slice() as number[], dtype: 'float32' });
  }
  const weightBytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    weightBytes.set(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset);
    offset += chunk.byteLength;
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: model.toJSON(null, false) as object,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: weightSpecs }],
    userDefinedMetadata: { rnnParity: metadata as unknown as object },
  };
  // model.json last: it is the file that makes the pair loadable.
  writable(dir, () =>
    writeFilesAtomic([
      { target: path.join(dir, WEIGHTS_BIN), bytes: weightBytes },
      { target: path.join(dir, MODEL_JSON), bytes: `${JSON.stringify(modelJson)}\n` },
    ]),
  );
}

/** Runs a write into `dir`; an fs error becomes a ConfigError naming the directory (exit code 2, not a crash). */
function writable<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new ConfigError(`weights: expected a writable directory at ${dir}, got ${code}`);
  }
}

/**
 * Reads a whole regular file after bounding its size.
 * @throws ConfigError for a missing or unopenable file; FileFormatError for a directory, FIFO or device,
 *   or a file over `limit` bytes.
 */
function readBounded(file: string, limit: number): Uint8Array {
  let opened: { fd: number; size: number };
  try {
    opened = openRegularFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`weights: expected a file at ${file}, got none`);
    throw new ConfigError(`weights: expected a readable file at ${file}, got ${code ?? (error as Error).message}`);
  }
  const { fd, size } = opened;
  try {
    if (size > limit) throw new FileFormatError(`${file}: expected at most ${limit} bytes, got ${size}`);
    return readRange(fd, 0, size);
  } finally {
    fs.closeSync(fd);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseModelJson(file: string): tf.io.ModelJSON {
  const json = parseJsonText(Buffer.from(readBounded(file, MAX_MODEL_JSON_BYTES)).toString('utf8'), file);
  if (!isObject(json) || !isObject(json.modelTopology) || !Array.isArray(json.weightsManifest)) {
    const got = isObject(json) ? `keys ${previewJson(Object.keys(json))}` : previewJson(json);
    throw new FileFormatError(`${file}: expected tfjs model.json with modelTopology and weightsManifest, got ${got}`);
  }
  return json as unknown as tf.io.ModelJSON;
}

/**
 * Checks each manifest entry and returns the byte count the weights need (float32 only).
 * @throws FileFormatError naming the entry: not an object, a dtype other than float32, quantized, a shape
 *   that is not a list of non-negative integers, or more than MAX_WEIGHT_BYTES in all.
 */
function manifestByteLength(file: string, specs: readonly unknown[]): number {
  let bytes = 0;
  specs.forEach((spec, k) => {
    if (!isObject(spec)) throw new FileFormatError(`${file}: weight ${k}: expected a manifest entry {name, shape, dtype}, got ${previewJson(spec)}`);
    const name = `weight ${k} ${previewJson(spec.name)}`;
    if (spec.dtype !== 'float32') throw new FileFormatError(`${file}: ${name}: expected dtype float32, got ${previewJson(spec.dtype)}`);
    if (spec.quantization !== undefined && spec.quantization !== null) {
      throw new FileFormatError(`${file}: ${name}: expected unquantized weights, got quantization ${previewJson(spec.quantization)}`);
    }
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new FileFormatError(`${file}: ${name}: expected a shape of non-negative integers, got ${previewJson(shape)}`);
    }
    bytes += 4 * shape.reduce((a: number, b: number) => a * b, 1);
    if (bytes > MAX_WEIGHT_BYTES) {
      throw new FileFormatError(`${file}: ${name} ${previewJson(shape)}: expected at most ${MAX_WEIGHT_BYTES} bytes of weights in all, got more`);
    }
  });
  return bytes;
}

/**
 * Refuses NaN and Inf in the weights: no check on them can pass (a NaN reaches every output through the
 * recurrence), so they are a bad input (exit code 2), named here, not a tolerance failure found later.
 * @param values the whole weights.bin as float32, in manifest order
 */
function checkFiniteWeights(file: string, specs: readonly tf.io.WeightsManifestEntry[], values: Float32Array): void {
  let offset = 0;
  specs.forEach((spec, k) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bad = firstNonFinite(values.subarray(offset, offset + size));
    if (bad !== undefined) {
      throw new FileFormatError(
        `${file}: weight ${k} ${previewJson(spec.name)}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at element ${bad.index}`,
      );
    }
    offset += size;
  });
}

/**
 * Loads DIR/model.json and the weight files it names into a tf.LayersModel on the active backend.
 * @throws ConfigError when DIR or a file is missing; FileFormatError for a malformed or inconsistent file,
 *   or weights holding NaN or Inf.
 */
export async function loadModelArtifacts(dir: string): Promise<{ model: tf.LayersModel; metadata?: SavedModelMetadata }> {
  const jsonFile = path.join(dir, MODEL_JSON);
  const json = parseModelJson(jsonFile);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const files: string[] = [];
  for (const group of json.weightsManifest as unknown[]) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FileFormatError(`${jsonFile}: expected weightsManifest groups with paths and weights, got ${previewJson(group)}`);
    }
    for (const relative of group.paths as unknown[]) {
      if (typeof relative !== 'string') {
        throw new FileFormatError(`${jsonFile}: expected weight file paths as strings, got ${previewJson(relative)}`);
      }
      const resolved = path.resolve(dir, relative);
      if (path.dirname(resolved) !== path.resolve(dir)) {
        throw new FileFormatError(`${jsonFile}: expected weight files inside ${dir}, got ${previewJson(relative)}`);
      }
      files.push(resolved);
    }
    weightSpecs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
  }
  const expectedBytes = manifestByteLength(jsonFile, weightSpecs);
  // Each file is bounded by what the manifest still needs, so listing one file many times reads no more.
  const chunks: Uint8Array[] = [];
  let read = 0;
  for (const file of files) {
    chunks.push(readBounded(file, Math.max(0, expectedBytes - read)));
    read += chunks[chunks.length - 1].byteLength;
  }
  const weightData = Buffer.concat(chunks);
  if (weightData.byteLength !== expectedBytes) {
    throw new FileFormatError(`${dir}: expected ${expectedBytes} bytes of weights for the manifest, got ${weightData.byteLength}`);
  }
  const arrayBuffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  checkFiniteWeights(jsonFile, weightSpecs, new Float32Array(arrayBuffer));
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: arrayBuffer }));
  } catch (error) {
    throw new FileFormatError(`${jsonFile}: expected a tfjs layers model, got an error building it (${(error as Error).message.split('\n')[0]})`);
  }
  const metadata = (json.userDefinedMetadata as { rnnParity?: SavedModelMetadata } | undefined)?.rnnParity;
  return { model, metadata };
}
