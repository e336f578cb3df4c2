/**
 * Token ids for an Embedding layer: every input value must be an integer in [0, vocabularySize).
 *
 * Neither framework gives a comparable answer for anything else, so the tool refuses it up front,
 * naming the first bad element and what Keras and tfjs would each have done with it.
 *
 * Measured (Keras 3.15.1 on TensorFlow 2.21.0, CPU; tfjs 4.22.0 on the cpu, wasm and tensorflow
 * (tfjs-node) backends), with an Embedding(input_dim=3) whose rows are [1,2], [3,4], [5,6]:
 *
 *   id               Keras 3 (TF backend, CPU)                   tfjs 4.22 (cpu, wasm, tfjs-node)
 *   3, 1000 (>= V)   InvalidArgumentError from tf.gather:        Error from the GatherV2 kernel:
 *                    "indices[0,0] = 3 is not in [0, 3)"         "GatherV2: the index value 3 is not in [0, 2]"
 *   -1 .. -V         wraps like a Python index (keras ops.take   Error: "GatherV2: the index value -1 is not
 *                    fixes negative indices): -1 -> row V-1      in [0, 2]"  -- the two disagree
 *   < -V (-4)        InvalidArgumentError (reports the wrapped   Error, as for -1
 *                    value: "indices[0,0] = -1 is not in [0, 3)")
 *   1.5, 2.9, -0.5   cast to int32, truncated toward zero        the same: 1, 2, 0 (the layer casts to int32)
 *                    (Embedding.call casts non-int inputs)
 *   NaN, +-Inf       the int32 cast gives INT32_MIN, so          cast to 0: row 0, no error  -- disagree
 *                    InvalidArgumentError ("indices[0,0] =
 *                    -2147483645 is not in [0, 3)")
 *   >= 2^31          as for NaN (INT32_MIN), for 2^31 and 1e10   float32, then int32 modulo 2^32: 2^31 and
 *                                                                1e10 throw (-2147483648, 1410065408), 2^32
 *                                                                and 2^32+2 read row 0 silently
 * tf.gather itself (TF) also raises for -1; the wrapping is Keras's. tfjs's gather wants int32
 * indices ("Argument 'indices' passed to 'gather' must be int32 tensor, but got float32 tensor");
 * its Embedding layer casts first. The three tfjs backends check the index in JS with the same
 * message (tfjs-backend-cpu, -wasm and tfjs-node kernels/GatherV2.js).
 *
 * The snippets that measured it (run from the repository root):
 *
 *   // node oov.js [node]   (NODE_PATH=node_modules when run from elsewhere)
 *   const tf = process.argv[2] === 'node' ? require('@tensorflow/tfjs-node') : require('@tensorflow/tfjs');
 *   (async () => {
 *     if (process.argv[2] !== 'node') await tf.setBackend('cpu');   // or require wasm + 'wasm'
 *     const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
 *     for (const ids of [[0, 2], [3], [-1], [1000], [1.5], [NaN]]) {
 *       try { console.log(ids, tf.gather(table, tf.tensor1d(ids, 'int32')).arraySync()); }
 *       catch (e) { console.log(ids, 'throws', e.message); }
 *     }
 *     const emb = tf.layers.embedding({ inputDim: 3, outputDim: 2 });
 *     emb.build([null, 3]); emb.setWeights([table]);
 *     for (const ids of [[3, -1, 0], [-0.5, 2.9, 1.5], [NaN, Infinity, 0]]) {
 *       try { console.log(ids, emb.apply(tf.tensor2d([ids])).arraySync()); }
 *       catch (e) { console.log(ids, 'throws', e.message); }
 *     }
 *   })();
 *
 *   # KERAS_BACKEND=tensorflow CUDA_VISIBLE_DEVICES= .cache/keras-venv/bin/python oov.py
 *   import numpy as np, keras
 *   emb = keras.layers.Embedding(3, 2); emb.build((None,))
 *   emb.embeddings.assign(np.array([[1, 2], [3, 4], [5, 6]], dtype="float32"))
 *   for ids in ([[3]], [[1000]], [[-1, -2, -3]], [[-4]], [[-0.5, 2.9, 1.5]], [[np.nan]], [[np.inf]]):
 *       try: print(ids, np.asarray(emb(np.array(ids))).tolist())
 *       except Exception as e: print(ids, type(e).__name__, e)
 *   # [[-1, -2, -3]] -> [[[5, 6], [3, 4], [1, 2]]]; the same through keras.Sequential(...).predict.
 */
import { ConfigError } from '../errors';
import { formatShape, NdArray } from '../tensor';

/** Largest vocabulary accepted: token ids are int32 in both frameworks. */
export const MAX_VOCABULARY_SIZE = 2 ** 31 - 1;

/** The C-order position of flat index `i`: [sample, step] for a [batch, timeSteps] input. */
function positionOf(i: number, shape: readonly number[]): string {
  if (shape.length === 0) return '[]';
  const position = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis]!;
    position[axis] = dim > 0 ? i % dim : 0;
    i = dim > 0 ? Math.floor(i / dim) : 0;
  }
  return formatShape(position);
}

/** What Keras 3 (TF, CPU) and tfjs 4.22 do with `value` as an index into `v` rows (see the table above). */
function whatEachDoes(value: number, v: number): string {
  const tfjsThrows = `tfjs throws "GatherV2: the index value ${value} is not in [0, ${v - 1}]"`;
  if (!Number.isFinite(value)) {
    return `Keras casts it to int32 (INT32_MIN) and tf.gather raises InvalidArgumentError, while tfjs casts it to 0 and silently reads row 0`;
  }
  if (!Number.isInteger(value)) {
    const truncated = Math.trunc(value) === 0 ? 0 : Math.trunc(value); // no "-0"
    const tail = truncated >= 0 && truncated < v ? 'and both read that row' : 'and then fail as for that id';
    return `Keras and tfjs both cast it to int32, truncating toward zero to ${truncated}, ${tail}; pass integers`;
  }
  if (value >= 2 ** 31) {
    return `Keras's int32 cast gives INT32_MIN and tf.gather raises InvalidArgumentError, while tfjs wraps it modulo 2^32 (after rounding to float32) and throws or silently reads whatever row that lands on`;
  }
  if (value >= v) {
    return `Keras 3 (TF backend, CPU) raises InvalidArgumentError in tf.gather ("indices[...] = ${value} is not in [0, ${v})") and ${tfjsThrows}`;
  }
  if (value >= -v) {
    return `Keras 3 wraps a negative id like a Python index and reads row ${v + value}, while ${tfjsThrows}: the two would disagree`;
  }
  return `Keras 3 wraps it to ${v + value}, still out of range, and tf.gather raises InvalidArgumentError; ${tfjsThrows}`;
}

/**
 * Checks that `input` holds token ids for an Embedding with `vocabularySize` rows: every value an
 * integer in [0, vocabularySize). NumPy-drawn ids (seededIntegers) and integer .npy files (readNpy,
 * `integral: true`) arrive as Float64Array data holding the exact integers.
 * @param input e.g. [batch, timeSteps] token ids; any shape (positions are printed in C order).
 * @param vocabularySize the Embedding's input_dim (Keras) / inputDim (tfjs): an integer >= 1.
 * @param where what the input is, for the message, e.g. 'input "input_layer"'.
 * @throws ConfigError naming the first bad element's position ([sample, step] for a 2-d input), its
 *   value, and what Keras and tfjs would each do with it; or for an invalid vocabularySize.
 */
export function checkTokenIds(input: NdArray, vocabularySize: number, where: string): void {
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1 || vocabularySize > MAX_VOCABULARY_SIZE) {
    throw new ConfigError(`${where}: expected a vocabulary size (Embedding input_dim) from 1 to ${MAX_VOCABULARY_SIZE}, got ${String(vocabularySize)}`);
  }
  const { data, shape } = input;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    if (Number.isInteger(value) && value >= 0 && value < vocabularySize) continue;
    const what = Number.isInteger(value) ? `an id outside [0, ${vocabularySize})` : 'a non-integer id';
    throw new ConfigError(
      `${where}: expected integer token ids in [0, ${vocabularySize}) (the Embedding's vocabulary), ` +
        `got ${what}, ${String(value)} at ${positionOf(i, shape)}: ${whatEachDoes(value, vocabularySize)}`,
    );
  }
}
