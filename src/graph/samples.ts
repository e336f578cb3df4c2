/**
 * Where a check's samples come from, a chunk at a time: an array in memory, a .npy file read chunk by chunk
 * (src/io/npy-stream.ts), or NumPy's seeded stream drawn as it is needed. Either way both paths read the same
 * values, in float32 (integer ids exact), and bad values are refused naming their place in the whole array.
 *
 * How many samples make a chunk (defaultChunkSamples): enough to keep the per-call overhead small, few enough
 * that every value the hand path keeps for a chunk (each layer's output, float64) stays within CHUNK_VALUES.
 * A chunk is a whole number of tfjs predict batches (PREDICT_BATCH samples), so that the layer path sees the
 * very same batches as in one unchunked predict call and a chunked check reports exactly what an unchunked one
 * does (test/graph/streaming-check.test.ts).
 */
import { NumpyRandomState } from '../data/numpy-random';
import { ConfigError, ShapeError } from '../errors';
import { firstNonFinite, unravelIndex } from '../io/finite';
import type { NpyFile } from '../io/npy-stream';
import { formatShape, sizeOf, type NdArray } from '../tensor';
import type { GraphModel, Shape } from './model';
import { inferShapes } from './shapes';

/** tfjs's LayersModel.predict batch size (its default, which predictGraph uses). */
export const PREDICT_BATCH = 32;

/**
 * Values the hand path may hold for one chunk: 2^24 float64 = 128 MiB. Measured: the keras.io IRNN over the
 * 10,000 MNIST test images (784 steps) runs in 53 chunks of 192 with a peak RSS of 673 MB, tfjs-node included.
 */
const CHUNK_VALUES = 2 ** 24;

/** Samples of one array, read in chunks along the first axis. */
export interface SampleSource {
  /** The whole array's shape; shape[0] is the number of samples. */
  readonly shape: readonly number[];
  /** Samples [start, start + count) as [count, ...shape.slice(1)]. */
  read(start: number, count: number): NdArray;
  close?(): void;
}

/** An array in memory as a source (chunks are copies of its rows). */
export function arraySource(array: NdArray): SampleSource {
  const per = sizeOf(array.shape.slice(1));
  return {
    shape: array.shape,
    read: (start, count) =>
      start === 0 && count === array.shape[0]
        ? array
        : { shape: [count, ...array.shape.slice(1)], data: array.data.subarray(start * per, (start + count) * per) },
  };
}

/** A .npy file as a source: each read takes its rows from disk. The caller closes it. */
export function npySource(file: NpyFile): SampleSource {
  return { shape: file.shape, read: (start, count) => file.readSamples(start, count), close: () => file.close() };
}

/**
 * NumPy's seeded stream as a source: np.random.seed(seed); np.random.randn(*shape) (or randint(low, high, shape)
 * for token ids), drawn in order as chunks are read; reading from an earlier sample again restarts the stream.
 */
export function seededSource(seed: number, shape: readonly number[], ids?: { low: number; high: number }): SampleSource {
  const per = sizeOf(shape.slice(1));
  let state = new NumpyRandomState(seed);
  let next = 0;
  const draw = (count: number): Float64Array => (ids ? state.randint(ids.low, ids.high, count * per) : state.randn([count * per]));
  return {
    shape,
    read(start, count) {
      if (start < next) {
        state = new NumpyRandomState(seed);
        next = 0;
      }
      if (start > next) draw(start - next);
      next = start + count;
      return { shape: [count, ...shape.slice(1)], data: draw(count) };
    },
  };
}

/**
 * A source that checks and converts every chunk as both paths read it: float values rounded once to float32
 * (as Keras's predict casts them), integer ids kept exact; NaN or Inf refused, naming the element's place in
 * the whole array.
 * @param what how the array is named in messages, e.g. `input "x" (as float32, as both paths read it)`
 */
export function checkedSource(source: SampleSource, what: string, kind: 'float32' | 'ids' | 'as-is'): SampleSource {
  return {
    shape: source.shape,
    read(start, count) {
      const raw = source.read(start, count);
      const data = kind === 'float32' ? Float32Array.from(raw.data) : kind === 'ids' ? Float64Array.from(raw.data) : raw.data;
      const bad = firstNonFinite(data);
      if (bad !== undefined) {
        const per = sizeOf(source.shape.slice(1));
        const where = formatShape(unravelIndex(start * per + bad.index, source.shape));
        throw new ConfigError(`${what}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at ${where}`);
      }
      return { shape: raw.shape.slice(), data };
    },
    ...(source.close ? { close: () => source.close?.() } : {}),
  };
}

/**
 * The number of samples every source holds.
 * @throws ShapeError when they differ (several model inputs, or the expected outputs)
 */
export function sampleCount(sources: readonly SampleSource[], names: readonly string[]): number {
  const counts = sources.map((s) => s.shape[0]);
  const differs = counts.findIndex((n) => n !== counts[0]);
  if (differs > 0) throw new ShapeError(`${names[differs]}: expected ${counts[0]} samples (as ${names[0]}), got ${counts[differs]}`);
  return counts[0] ?? 0;
}

/**
 * The default chunk: whole predict batches, as many as keep the values the hand path holds for a chunk (every
 * layer's output, per sample, from the model's shapes at these inputs' sizes) within CHUNK_VALUES; at least one.
 */
export function defaultChunkSamples(model: GraphModel, inputShapes: readonly (readonly number[])[]): number {
  const concrete = model.inputs.map((input, i) => ({ ...input, shape: [1, ...inputShapes[i].slice(1)] }));
  const shapes = inferShapes(concrete, model.layers);
  const valuesOf = (shape: Shape | undefined) => (shape ?? []).slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);
  let perSample = inputShapes.reduce((n, shape) => n + sizeOf(shape.slice(1)), 0);
  for (const shape of shapes.values()) perSample += valuesOf(shape);
  for (const layer of model.layers) {
    // A layer over a sequence may hold a value per step and weight column inside it (a recurrent layer's x·W of
    // every step, [timeSteps, gates*units] per sample).
    const input = shapes.get(layer.inbound[0]);
    const columns = Math.max(0, ...layer.weights.map((w) => w.shape[w.shape.length - 1] ?? 0));
    if (input && input.length === 3) perSample += (input[1] ?? 1) * columns;
  }
  const batches = Math.floor(CHUNK_VALUES / Math.max(1, perSample) / PREDICT_BATCH);
  return Math.max(1, batches) * PREDICT_BATCH;
}

/**
 * Checks a chunk size the user chose.
 * @throws ConfigError unless it is a positive multiple of PREDICT_BATCH (the layer path's batches would change)
 */
export function checkChunkSamples(chunk: number): number {
  if (!Number.isSafeInteger(chunk) || chunk < PREDICT_BATCH || chunk % PREDICT_BATCH !== 0) {
    throw new ConfigError(
      `--chunk-size: expected a positive multiple of ${PREDICT_BATCH} (tfjs predict's batch, so that chunks change no batch of the layer path), got ${chunk}`,
    );
  }
  return chunk;
}
