/**
 * checkTokenIds: integer token ids in [0, vocabularySize), refused otherwise with the first bad
 * element's [sample, step], its value and what Keras and tfjs would each do (measured; see
 * src/data/token-ids.ts). The tfjs half of that claim is re-measured here on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../src/errors';
import { seededIntegers } from '../../src/data/numpy-random';
import { checkTokenIds, MAX_VOCABULARY_SIZE } from '../../src/data/token-ids';
import { NdArray } from '../../src/tensor';

const ids = (rows: number[][]): NdArray => ({ shape: [rows.length, rows[0]!.length], data: Float64Array.from(rows.flat()) });
const WHERE = 'input "tokens"';

function messageOf(input: NdArray, vocabularySize: number): string {
  try {
    checkTokenIds(input, vocabularySize, WHERE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('accepts token ids', () => {
  test('every id from 0 to vocabularySize - 1, in any dtype holder', () => {
    expect(() =>
      checkTokenIds(
        ids([
          [0, 1, 2],
          [2, 1, 0],
        ]),
        3,
        WHERE,
      ),
    ).not.toThrow();
    expect(() => checkTokenIds({ shape: [1, 2], data: Float32Array.from([0, 9]) }, 10, WHERE)).not.toThrow();
    expect(() => checkTokenIds({ shape: [1, 1], data: Float64Array.from([-0]) }, 1, WHERE)).not.toThrow();
    expect(() => checkTokenIds({ shape: [0, 5], data: new Float64Array(0) }, 1, WHERE)).not.toThrow();
  });

  test('NumPy-seeded ids from seededIntegers(seed, shape, 0, V)', () => {
    const drawn = seededIntegers(42, [8, 50], 0, 20000);
    expect(() => checkTokenIds(drawn, 20000, WHERE)).not.toThrow();
    // A vocabulary one smaller than the largest id drawn + 1 is refused at the first such id.
    const largest = Math.max(...drawn.data);
    const first = drawn.data.indexOf(largest);
    expect(messageOf(drawn, largest)).toContain(`, ${largest} at [${Math.floor(first / 50)},${first % 50}]:`);
  });
});

describe('refuses, naming [sample, step], the value and what each framework does', () => {
  test('an id equal to the vocabulary size: both raise', () => {
    expect(
      messageOf(
        ids([
          [0, 1, 2],
          [1, 3, 0],
        ]),
        3,
      ),
    ).toBe(
      'input "tokens": expected integer token ids in [0, 3) (the Embedding\'s vocabulary), got an id outside [0, 3), 3 at [1,1]: ' +
        'Keras 3 (TF backend, CPU) raises InvalidArgumentError in tf.gather ("indices[...] = 3 is not in [0, 3)") and ' +
        'tfjs throws "GatherV2: the index value 3 is not in [0, 2]"',
    );
  });

  test('a negative id within the vocabulary: Keras wraps it, tfjs throws', () => {
    expect(
      messageOf(
        ids([
          [0, 1],
          [2, -1],
        ]),
        3,
      ),
    ).toBe(
      'input "tokens": expected integer token ids in [0, 3) (the Embedding\'s vocabulary), got an id outside [0, 3), -1 at [1,1]: ' +
        'Keras 3 wraps a negative id like a Python index and reads row 2, while tfjs throws "GatherV2: the index value -1 is not in [0, 2]": the two would disagree',
    );
  });

  test('a negative id past -vocabularySize: both raise', () => {
    expect(messageOf(ids([[-4]]), 3)).toContain(
      'got an id outside [0, 3), -4 at [0,0]: Keras 3 wraps it to -1, still out of range, and tf.gather raises InvalidArgumentError; tfjs throws',
    );
  });

  test('a fraction: both truncate toward zero', () => {
    expect(messageOf(ids([[0, 1.5]]), 3)).toBe(
      'input "tokens": expected integer token ids in [0, 3) (the Embedding\'s vocabulary), got a non-integer id, 1.5 at [0,1]: ' +
        'Keras and tfjs both cast it to int32, truncating toward zero to 1, and both read that row; pass integers',
    );
    expect(messageOf(ids([[-0.5]]), 3)).toContain('-0.5 at [0,0]: Keras and tfjs both cast it to int32, truncating toward zero to 0, and both read that row');
    expect(messageOf(ids([[3.5]]), 3)).toContain('truncating toward zero to 3, and then fail as for that id');
  });

  test.each([NaN, Infinity, -Infinity])('%p: Keras raises, tfjs reads row 0', (value) => {
    expect(
      messageOf(
        ids([
          [0, 0],
          [0, value],
        ]),
        3,
      ),
    ).toContain(
      `got a non-integer id, ${String(value)} at [1,1]: Keras casts it to int32 (INT32_MIN) and tf.gather raises InvalidArgumentError, while tfjs casts it to 0 and silently reads row 0`,
    );
  });

  test('ids past int32', () => {
    expect(messageOf(ids([[2 ** 32]]), 3)).toContain("4294967296 at [0,0]: Keras's int32 cast gives INT32_MIN");
  });

  test('the first bad element is the one named (C order), for any rank', () => {
    expect(
      messageOf(
        ids([
          [0, 0, 0],
          [0, 7, -1],
        ]),
        5,
      ),
    ).toContain(' 7 at [1,1]:');
    expect(messageOf({ shape: [2, 2, 2], data: Float64Array.from([0, 0, 0, 0, 0, 0, 0, 9]) }, 5)).toContain(' 9 at [1,1,1]:');
    expect(messageOf({ shape: [3], data: Float64Array.from([0, 1, 5]) }, 5)).toContain(' 5 at [2]:');
  });

  test.each([0, -1, 1.5, NaN, MAX_VOCABULARY_SIZE + 1])('vocabulary size %p is refused', (v) => {
    expect(() => checkTokenIds(ids([[0]]), v, WHERE)).toThrow(ConfigError);
    expect(() => checkTokenIds(ids([[0]]), v, WHERE)).toThrow(
      `input "tokens": expected a vocabulary size (Embedding input_dim) from 1 to 2147483647, got ${String(v)}`,
    );
  });
});

describe('what the message says about tfjs still holds (tfjs 4.22, cpu backend)', () => {
  let warn: jest.SpyInstance;
  beforeAll(async () => {
    // tfjs's one-time "install our node backend" banner: noise here.
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await tf.setBackend('cpu');
  });
  afterAll(() => warn.mockRestore());

  function embedding(): tf.layers.Layer {
    const layer = tf.layers.embedding({ inputDim: 3, outputDim: 2 });
    layer.build([null, 3]);
    layer.setWeights([
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ]);
    return layer;
  }
  const apply = (layer: tf.layers.Layer, row: number[]): number[][] => ((layer.apply(tf.tensor2d([row])) as tf.Tensor).arraySync() as number[][][])[0]!;

  test.each([3, -1, -4, 1000])('id %p: the Embedding throws the GatherV2 error quoted', (id) => {
    expect(() => apply(embedding(), [0, id, 0])).toThrow(`GatherV2: the index value ${id} is not in [0, 2]`);
    const message = messageOf(ids([[0, id, 0]]), 3);
    expect(message).toContain(`tfjs throws "GatherV2: the index value ${id} is not in [0, 2]"`);
  });

  test('fractions truncate toward zero, NaN and Infinity read row 0', () => {
    expect(apply(embedding(), [-0.5, 2.9, 1.5])).toEqual([
      [1, 2],
      [5, 6],
      [3, 4],
    ]);
    expect(apply(embedding(), [NaN, Infinity, -Infinity])).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  });
});
