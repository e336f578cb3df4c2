/**
 * The initial weights of the MNIST model, drawn in plain TypeScript from NumPy's RandomState stream
 * (src/data), so a seed gives the same starting point on every backend and in Keras (scripts/keras-mnist
 * loads them). Two schemes:
 *   keras    Keras 3's LSTM and Dense defaults: kernel glorot_uniform, recurrent kernel orthogonal,
 *            bias 0 with the forget gate at 1 (unit_forget_bias); head kernel glorot_uniform, bias 0.
 *   seed-002 what seed 002's TF1 graph draws: BasicLSTMCell's one [inputDim + units, 4*units] kernel,
 *            glorot_uniform (TF1's default initializer), split into kernel and recurrent kernel; bias 0
 *            plus forget_bias=1.0; head weights and bias tf.random_normal, standard deviation 1.
 */
import { ConfigError } from '../../src/errors';
import { NumpyRandomState } from '../../src/data/numpy-random';
import { LSTM_GATE } from '../../src/hand/lstm';
import { gateOffset } from '../../src/hand/linalg';

export const INIT_SCHEMES = ['keras', 'seed-002'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** Each scheme in a line, for records and reports. */
export const INIT_DESCRIPTIONS: Readonly<Record<InitScheme, string>> = {
  keras: 'Keras 3 defaults: LSTM kernel glorot_uniform, recurrent kernel orthogonal, bias 0 with forget gate 1; Dense kernel glorot_uniform, bias 0',
  'seed-002':
    "seed 002's TF1 draws: one glorot_uniform [inputDim + units, 4*units] LSTM kernel split in two, bias 0 with forget gate 1; Dense kernel and bias normal(0, 1)",
};

/** The MNIST model's weights in tfjs's getWeights() order, each row-major float32. */
interface LstmDenseWeights {
  /** [inputDim, 4*units], columns [i|f|c|o] */
  readonly kernel: Float32Array;
  /** [units, 4*units] */
  readonly recurrentKernel: Float32Array;
  /** [4*units] */
  readonly bias: Float32Array;
  /** [units, classes] */
  readonly denseKernel: Float32Array;
  /** [classes] */
  readonly denseBias: Float32Array;
}

/** uniform(-limit, limit) as Keras's GlorotUniform draws it: limit = sqrt(6 / (fanIn + fanOut)). */
function glorotUniform(rng: NumpyRandomState, fanIn: number, fanOut: number, count: number): Float64Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = -limit + 2 * limit * rng.randomSample();
  return out;
}

/**
 * A [rows, cols] matrix with orthonormal rows (rows <= cols), as Keras's Orthogonal(gain=1) makes it:
 * a standard normal [cols, rows] matrix, its Q factor (signs fixed so R's diagonal is positive), transposed.
 * Q by modified Gram-Schmidt in float64 (128 vectors of 512: orthonormal to ~1e-15).
 */
export function orthogonalRows(rng: NumpyRandomState, rows: number, cols: number): Float64Array {
  if (rows > cols) throw new ConfigError(`orthogonalRows: expected rows <= cols, got ${rows} x ${cols}`);
  // [cols, rows] row-major, read as `rows` column vectors of length `cols`; kept transposed: q[r * cols + c].
  const normal = rng.randn([cols, rows]);
  const q = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) q[r * cols + c] = normal[c * rows + r];
  for (let r = 0; r < rows; r++) {
    const v = r * cols;
    for (let prev = 0; prev < r; prev++) {
      const u = prev * cols;
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += q[u + c] * q[v + c];
      for (let c = 0; c < cols; c++) q[v + c] -= dot * q[u + c];
    }
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += q[v + c] * q[v + c];
    norm = Math.sqrt(norm);
    for (let c = 0; c < cols; c++) q[v + c] /= norm;
  }
  return q;
}

/** [4*units] zeros with the forget gate's block at 1. */
function forgetBiasOne(units: number): Float32Array {
  const bias = new Float32Array(4 * units);
  bias.fill(1, gateOffset(LSTM_GATE.f, units), gateOffset(LSTM_GATE.f, units) + units);
  return bias;
}

/**
 * Draws the initial weights of LSTM(units) over inputDim features + Dense(classes).
 * @param seed integer in [0, 2**32 - 1]; NumPy's RandomState(seed) draws kernel, recurrent kernel, head in that order
 * @throws ConfigError for an unknown scheme.
 */
export function initialWeights(scheme: InitScheme, seed: number, inputDim: number, units: number, classes: number): LstmDenseWeights {
  const rng = new NumpyRandomState(seed);
  const width = 4 * units;
  if (scheme === 'keras') {
    return {
      kernel: Float32Array.from(glorotUniform(rng, inputDim, width, inputDim * width)),
      recurrentKernel: Float32Array.from(orthogonalRows(rng, units, width)),
      bias: forgetBiasOne(units),
      denseKernel: Float32Array.from(glorotUniform(rng, units, classes, units * classes)),
      denseBias: new Float32Array(classes),
    };
  }
  if (scheme === 'seed-002') {
    // TF1's BasicLSTMCell: one kernel [inputDim + units, 4*units] applied to concat([x, h]); rows 0..inputDim-1
    // multiply x, the rest h. Its gate order [i|c|f|o] differs from ours, which does not matter for i.i.d. draws.
    const joint = glorotUniform(rng, inputDim + units, width, (inputDim + units) * width);
    return {
      kernel: Float32Array.from(joint.subarray(0, inputDim * width)),
      recurrentKernel: Float32Array.from(joint.subarray(inputDim * width)),
      bias: forgetBiasOne(units),
      denseKernel: Float32Array.from(rng.randn([units, classes])),
      denseBias: Float32Array.from(rng.randn([classes])),
    };
  }
  throw new ConfigError(`init: expected one of ${INIT_SCHEMES.join(', ')}, got ${JSON.stringify(scheme)}`);
}
