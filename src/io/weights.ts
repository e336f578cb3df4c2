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
import { writeFileAtomic } from './atomic-write';
// Registers rnn-parity's custom layers (GRUResetAfter, hardSigmoidKeras3) so that saved models load.
import '../model/layers';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Largest weights.bin we read: 1 GiB, far above any model this tool builds (LSTM(128) is 330 KB). */
const MAX_WEIGHT_BYTES = 2 ** 30;
/** Largest model.json we read. */
const MAX_MODEL_JSON_BYTES = 16 * 2 ** 20;

/** What we record beside tfjs's own fields, in model.json's userDefinedMetadata. */
export interface SavedModelMetadata {
  readonly generatedBy: string;
  readonly seed?: number;
}

/**
 * Writes DIR/weights.bin then DIR/model.json, each atomically (DIR is created if missing).
 * A failure leaves any earlier files in DIR as they were.
 */
export async function saveModelArtifacts(model: tf.LayersModel, dir: string, metadata: SavedModelMetadata): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightData || !artifacts.weightSpecs) throw new FileFormatError('model: expected weights to save, got none');
      const weightBytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
        userDefinedMetadata: { rnnParity: metadata as unknown as object },
      };
      writeFileAtomic(path.join(dir, WEIGHTS_BIN), weightBytes);
      writeFileAtomic(path.join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightBytes.byteLength } };
    }),
  );
}

function readBounded(file: string, limit: number): Buffer {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new ConfigError(`weights: expected a file at ${file}, got none`);
  }
  if (size > limit) throw new FileFormatError(`${file}: expected at most ${limit} bytes, got ${size}`);
  return fs.readFileSync(file);
}

function parseModelJson(file: string): tf.io.ModelJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readBounded(file, MAX_MODEL_JSON_BYTES).toString('utf8'));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof FileFormatError) throw error;
    throw new FileFormatError(`${file}: expected JSON, got a parse error (${(error as Error).message})`);
  }
  const json = parsed as Partial<tf.io.ModelJSON> | null;
  if (!json || typeof json !== 'object' || typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw new FileFormatError(`${file}: expected tfjs model.json with modelTopology and weightsManifest, got ${JSON.stringify(Object.keys(json ?? {}))}`);
  }
  return json as tf.io.ModelJSON;
}

/** Checks each manifest entry and returns the byte count the weights need (float32 only). */
function manifestByteLength(file: string, specs: tf.io.WeightsManifestEntry[]): number {
  let bytes = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new FileFormatError(`${file}: weight ${spec.name}: expected dtype float32, got ${spec.dtype}`);
    if (spec.quantization) throw new FileFormatError(`${file}: weight ${spec.name}: expected unquantized weights, got ${JSON.stringify(spec.quantization)}`);
    if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new FileFormatError(`${file}: weight ${spec.name}: expected a shape of non-negative integers, got ${JSON.stringify(spec.shape)}`);
    }
    bytes += 4 * spec.shape.reduce((a, b) => a * b, 1);
    if (bytes > MAX_WEIGHT_BYTES) throw new FileFormatError(`${file}: expected at most ${MAX_WEIGHT_BYTES} bytes of weights, got more`);
  }
  return bytes;
}

/**
 * Loads DIR/model.json and the weight files it names into a tf.LayersModel on the active backend.
 * @throws ConfigError when DIR or a file is missing; FileFormatError for a malformed or inconsistent file.
 */
export async function loadModelArtifacts(dir: string): Promise<{ model: tf.LayersModel; metadata?: SavedModelMetadata }> {
  const jsonFile = path.join(dir, MODEL_JSON);
  const json = parseModelJson(jsonFile);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FileFormatError(`${jsonFile}: expected weightsManifest groups with paths and weights, got ${JSON.stringify(group)}`);
    }
    for (const relative of group.paths) {
      const resolved = path.resolve(dir, relative);
      if (path.dirname(resolved) !== path.resolve(dir)) {
        throw new FileFormatError(`${jsonFile}: expected weight files inside ${dir}, got ${JSON.stringify(relative)}`);
      }
      chunks.push(readBounded(resolved, MAX_WEIGHT_BYTES));
    }
    weightSpecs.push(...group.weights);
  }
  const expectedBytes = manifestByteLength(jsonFile, weightSpecs);
  const weightData = Buffer.concat(chunks);
  if (weightData.byteLength !== expectedBytes) {
    throw new FileFormatError(`${dir}: expected ${expectedBytes} bytes of weights for the manifest, got ${weightData.byteLength}`);
  }
  const arrayBuffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: arrayBuffer }));
  } catch (error) {
    throw new FileFormatError(`${jsonFile}: expected a tfjs layers model, got an error building it (${(error as Error).message.split('\n')[0]})`);
  }
  const metadata = (json.userDefinedMetadata as { rnnParity?: SavedModelMetadata } | undefined)?.rnnParity;
  return { model, metadata };
}
