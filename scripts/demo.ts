/**
 * npm run demo: the seed notebooks (/work/shared/seeds) as one walk-through, no notebook needed.
 *
 *   Seed 000        a 3-neuron tanh RNN unrolled by hand over t = 0 and t = 1 in TF1:
 *                     Y0 = tanh(X0·Wx + b);  Y1 = tanh(Y0·Wy + X1·Wx + b)
 *   Seed 001        the same with 5 neurons, 3 inputs and the book's 4-instance mini-batch
 *   Seed 002        the LSTM(128) MNIST classifier trained by `rnn-parity train-mnist` (models/mnist-lstm): its
 *                     accuracy and logits on the seed's first 128 test images, one training step's gradients and
 *                     one Keras-form Adam update, each tfjs against the hand path
 *   Seeds 003/004   Keras SimpleRNN(5) + Dense(2) on np.random.randn(1, 10, 3), then the notebook's NumPy loop
 *                     h = tanh(x_t·Wx + h·Wh + bh);  y = h·Wo + bo
 *                   and the notebook's "bonus exercise": the same loop for N > 1 samples at once
 *
 * Every section builds the tfjs layer on one backend, reads its float32 weights, computes the same outputs by
 * hand in plain float64 loops written out below, and compares them at defaultTolerance (src/compare/tolerance.ts).
 *
 * Usage: node dist/scripts/demo.js [--backend auto|tensorflow|cpu|wasm|cuda]
 * Exit codes (apps/cli/exit-codes.ts): 0 every comparison passes, 1 one does not, 2 bad flag, 3 backend unavailable.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backends';
import { exitCodeFor } from '../apps/cli/exit-codes';
import { describeBackend } from '../apps/cli/format-report';
import type { Tolerance } from '../src/compare/compare';
import { formatTolerance } from '../src/compare/summary';
import { BASE_ATOL, DEFAULT_RTOL, defaultTolerance } from '../src/compare/tolerance';
import { seededNormal } from '../src/data/numpy-random';
import { forwardHand } from '../src/hand/forward';
import { buildModel } from '../src/model/build';
import { extractWeights } from '../src/model/extract';
import { predictLayers } from '../src/model/predict';
import { DEFAULT_SPEC, validateSpec } from '../src/spec';
import { formatShape, type NdArray } from '../src/tensor';
import type { RnnWeights } from '../src/weights';
import { parseDemoArgs } from './demo/args';
import { ComparisonLog } from './demo/comparison-log';
import { formatMatrix, formatVector, header, say, sideBySide } from './demo/print';
import { mnistSection } from './demo/mnist';
import { textSection } from './demo/text';
import { dot, float32, fromMatrix, plus, plusRow, stackSteps, stepOf, tanh, toNdArray, toRows, toRows3, zeros, type Rows } from './demo/rows';

/** Seeds every tfjs initializer here (tfjs treats seed 0 as "unseeded", so no section uses 0). */
const WEIGHT_SEED = 42;
/**
 * Two float64 computations of the same formula over the same weights differ only in summation order
 * (a few ulps, ~1e-16); 1e-12 says "the same arithmetic", far below float32's ~1e-8 error floor.
 */
const FLOAT64_SAME: Tolerance = { atol: 1e-12, rtol: 0 };
/** tanh counts as saturated within this of ±1: there float32 and float64 both print ±1, whatever the weights. */
const SATURATED = 1e-6;

/** How many values lie within SATURATED of +1 or -1. */
function countSaturated(m: Rows): number {
  return m.flat().filter((v) => Math.abs(v) >= 1 - SATURATED).length;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds 000 and 001: the TF1 graph, two time steps unrolled by hand.
// ---------------------------------------------------------------------------------------------------------------

/**
 * Seed 000/001's graph, exactly as the TF1 code writes it, in plain loops (float64):
 *   Y0 = tanh(X0·Wx + b)
 *   Y1 = tanh(Y0·Wy + X1·Wx + b)
 * X0, X1: [batch, inputs]; Wx: [inputs, units]; Wy: [units, units]; b: [units] -> Y0, Y1: [batch, units].
 */
export function unrollTwoSteps(X0: Rows, X1: Rows, Wx: Rows, Wy: Rows, b: number[]): { Y0: Rows; Y1: Rows } {
  const batch = X0.length;
  const inputs = Wx.length;
  const units = b.length;
  const Y0 = zeros(batch, units);
  const Y1 = zeros(batch, units);
  for (let n = 0; n < batch; n++) {
    // Y0 = tanh(X0·Wx + b): [inputs] x [inputs, units] -> [units]
    for (let j = 0; j < units; j++) {
      let z = 0;
      for (let i = 0; i < inputs; i++) z += X0[n][i] * Wx[i][j];
      Y0[n][j] = Math.tanh(z + b[j]);
    }
    // Y1 = tanh(Y0·Wy + X1·Wx + b): [units] x [units, units] + [inputs] x [inputs, units] -> [units]
    for (let j = 0; j < units; j++) {
      let z = 0;
      for (let k = 0; k < units; k++) z += Y0[n][k] * Wy[k][j];
      for (let i = 0; i < inputs; i++) z += X1[n][i] * Wx[i][j];
      Y1[n][j] = Math.tanh(z + b[j]);
    }
  }
  return { Y0, Y1 };
}

/**
 * The tfjs layer for seeds 000/001. TF1's static_rnn(BasicRNNCell(units), [X0, X1]) is exactly a SimpleRNN
 * over [batch, 2, inputs] returning both steps' outputs: same tanh, same shared Wx, Wy and b, zero initial state.
 * Wx and Wy are N(0, 1) like the seeds' tf.random_normal. The seeds' b is tf.zeros; here it is uniform in
 * [-0.5, 0.5), so that a dropped or misplaced bias would show.
 */
function buildTwoStepRnn(units: number, inputs: number, seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.simpleRNN({
        units,
        activation: 'tanh',
        returnSequences: true,
        inputShape: [2, inputs],
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed }),
        recurrentInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: seed + 1 }),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 2 }),
      }),
    ],
  });
}

/** The layer's weights as the seeds name them: kernel = Wx [inputs, units], recurrentKernel = Wy [units, units], bias = b [units]. */
function readTwoStepWeights(model: tf.Sequential): { Wx: Rows; Wy: Rows; b: number[] } {
  const [kernel, recurrentKernel, bias] = model.layers[0].getWeights();
  return { Wx: kernel.arraySync() as Rows, Wy: recurrentKernel.arraySync() as Rows, b: bias.arraySync() as number[] };
}

/** Runs [X0, X1] through the tfjs layer and through unrollTwoSteps, prints both and compares them. */
function checkTwoSteps(log: ComparisonLog, section: string, label: string, model: tf.Sequential, X0: Rows, X1: Rows, tolerance: Tolerance): void {
  const { Wx, Wy, b } = readTwoStepWeights(model);
  // [batch, 2, inputs]: instance n reads X0[n] at t = 0, then X1[n] at t = 1
  const input = toNdArray(stackSteps([X0, X1]));
  const layerOutput = predictLayers(model, input); // [batch, 2, units]
  const { Y0, Y1 } = unrollTwoSteps(X0, X1, Wx, Wy, b);
  const labels = (name: string) => X0.map((_, n) => `${name}[${n}]`);
  say(
    ...sideBySide(
      [...labels('Y0'), ...labels('Y1')],
      [...stepOf(layerOutput, 0), ...stepOf(layerOutput, 1)],
      [...Y0, ...Y1],
      ['tfjs layer (float32)', 'by hand (float64)'],
    ),
  );
  const units = b.length;
  say(
    `  saturated (within ${SATURATED.toExponential()} of ±1): Y0 ${countSaturated(Y0)} of ${Y0.length * units}, Y1 ${countSaturated(Y1)} of ${Y1.length * units}`,
  );
  const report = log.compare(section, label, layerOutput, toNdArray(stackSteps([Y0, Y1])), tolerance);
  if (report.worstIndex !== null) {
    // Why the worst element is the worst: float32 rounds each term of tanh's argument z to ~6e-8 of the term's own
    // size, so where large terms cancel to a small z, the error is that of the terms, not of z.
    const [n, t, j] = report.worstIndex;
    const x = t === 0 ? X0[n] : X1[n];
    const terms = [b[j], ...x.map((xi, i) => xi * Wx[i][j])]; // X·Wx + b
    if (t === 1) terms.push(...Y0[n].map((yk, k) => yk * Wy[k][j])); // + Y0·Wy
    const z = terms.reduce((sum, v) => sum + v, 0);
    const size = terms.reduce((sum, v) => sum + Math.abs(v), 0);
    say(`  at that element tanh's argument z = ${z.toFixed(2)} is a sum of terms of total size ${size.toFixed(2)}; float32's error grows with the latter`);
  }
}

function seed000(log: ComparisonLog): void {
  const section = 'seed 000';
  say(...header('Seed 000: 3 neurons, 2 inputs, two time steps unrolled by hand (TF1)'));
  say('  TF1:  y0 = tanh(x0·Wx + b);  y1 = tanh(y0·Wy + x1·Wx + b)');
  say('  tfjs: static_rnn over [X0, X1] is tf.layers.simpleRNN({units: 3, returnSequences: true}) on [batch, 2, 2]');
  const spec = validateSpec({ batch: 3, timeSteps: 2, inputDim: 2, units: 3, returnSequences: true });
  const tolerance = defaultTolerance(spec);
  const model = buildTwoStepRnn(3, 2, WEIGHT_SEED * 100);
  try {
    const { Wx, Wy, b } = readTwoStepWeights(model);
    say(
      `  weights (seeded N(0,1) as tf.random_normal; b uniform, not zeros): Wx ${formatShape([Wx.length, Wx[0].length])}, Wy ${formatShape([Wy.length, Wy[0].length])}, b ${formatShape([b.length])}`,
    );
    say(...formatMatrix(Wx, '    Wx = '), ...formatMatrix(Wy, '    Wy = '));
    say(`    b  = ${formatVector(b)}`);
    say(`  tolerance: ${formatTolerance(tolerance)}`);

    const X0 = [
      [0, 1],
      [2, 3],
      [4, 5],
    ]; // t = 0
    const X1 = [
      [100, 101],
      [102, 103],
      [104, 105],
    ]; // t = 1
    say('', "  Case A, the seed's batch: X0 = [[0,1],[2,3],[4,5]], X1 = [[100,101],[102,103],[104,105]]");
    checkTwoSteps(log, section, "seed's inputs", model, X0, X1, tolerance);
    say(
      "  Inputs near 100 push Y1 into tanh's flat tails (the saturated count above): ±1 in float32 and float64",
      '  alike, so there the comparison cannot tell a right formula from a wrong one. Case B scales X by 1/100.',
    );

    // X / 100 rounded to float32 once, so that both paths read exactly the same inputs
    const scale = (X: Rows) => float32(X.map((row) => row.map((v) => v / 100)));
    say('', '  Case B, unsaturated: X0 / 100, X1 / 100 (as float32)');
    checkTwoSteps(log, section, 'inputs / 100', model, scale(X0), scale(X1), tolerance);
  } finally {
    model.dispose();
  }
}

function seed001(log: ComparisonLog): void {
  const section = 'seed 001';
  say(...header('Seed 001: 5 neurons, 3 inputs, a 4-instance mini-batch over two time steps'));
  say('  Same graph: Y0 = tanh(X0·Wx + b);  Y1 = tanh(Y0·Wy + X1·Wx + b)');
  say('  The book prints Y0_val[0] = [-0.2964572  0.82874775 -0.34216955 -0.75720584  0.19011548] from unseeded');
  say('  tf.random_normal weights it never prints: its numbers cannot be reproduced. We check the formula, not the numbers.');
  const spec = validateSpec({ batch: 4, timeSteps: 2, inputDim: 3, units: 5, returnSequences: true });
  const tolerance = defaultTolerance(spec);
  const model = buildTwoStepRnn(5, 3, WEIGHT_SEED * 100 + 10);
  try {
    const { Wx, Wy, b } = readTwoStepWeights(model);
    say(
      `  weights (seeded N(0,1); b uniform): Wx ${formatShape([Wx.length, Wx[0].length])}, Wy ${formatShape([Wy.length, Wy[0].length])}, b ${formatShape([b.length])}`,
    );
    say(`  tolerance: ${formatTolerance(tolerance)}`);
    //          instance 0, instance 1, instance 2, instance 3
    const X0 = [
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 0, 1],
    ]; // t = 0
    const X1 = [
      [9, 8, 7],
      [0, 0, 0],
      [6, 5, 4],
      [3, 2, 1],
    ]; // t = 1
    say('  X0_batch = [[0,1,2],[3,4,5],[6,7,8],[9,0,1]], X1_batch = [[9,8,7],[0,0,0],[6,5,4],[3,2,1]]');
    checkTwoSteps(log, section, "book's mini-batch", model, X0, X1, tolerance);
  } finally {
    model.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds 003 and 004: Keras SimpleRNN(5) + Dense(2), and the notebook's NumPy loop.
// ---------------------------------------------------------------------------------------------------------------

/**
 * The notebook's loop for one sample, as written in seeds 003/004 (float64):
 *   h_last = np.zeros(M)
 *   for t in range(T):
 *     h = np.tanh(x[t].dot(Wx) + h_last.dot(Wh) + bh)
 *     y = h.dot(Wo) + bo
 *     Yhats.append(y); h_last = h
 * x: [T, D]; Wx: [D, M]; Wh: [M, M]; bh: [M]; Wo: [M, K]; bo: [K] -> Yhats: [T, K].
 */
export function notebookLoop(x: Rows, Wx: Rows, Wh: Rows, bh: number[], Wo: Rows, bo: number[]): Rows {
  const T = x.length;
  const D = Wx.length;
  const M = bh.length;
  const K = bo.length;
  let hLast = new Array<number>(M).fill(0);
  const Yhats: Rows = [];
  for (let t = 0; t < T; t++) {
    const h = new Array<number>(M);
    for (let j = 0; j < M; j++) {
      let z = 0;
      for (let d = 0; d < D; d++) z += x[t][d] * Wx[d][j]; // x[t].dot(Wx): [D] x [D, M] -> [M]
      for (let k = 0; k < M; k++) z += hLast[k] * Wh[k][j]; // h_last.dot(Wh): [M] x [M, M] -> [M]
      h[j] = Math.tanh(z + bh[j]);
    }
    const y = new Array<number>(K);
    for (let o = 0; o < K; o++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += h[j] * Wo[j][o]; // h.dot(Wo): [M] x [M, K] -> [K]
      y[o] = s + bo[o];
    }
    Yhats.push(y);
    hLast = h; // important: assign h to h_last
  }
  return Yhats;
}

/**
 * The bonus exercise: the same loop for N samples at once, each step one batch matmul (float64):
 *   h_last = np.zeros((N, M))
 *   for t in range(T):
 *     h = np.tanh(X[:, t].dot(Wx) + h_last.dot(Wh) + bh)
 *     y = h.dot(Wo) + bo
 * X: [N, T, D] -> Yhats: [T][N, K].
 */
export function notebookLoopBatch(X: number[][][], Wx: Rows, Wh: Rows, bh: number[], Wo: Rows, bo: number[]): Rows[] {
  const N = X.length;
  const T = N === 0 ? 0 : X[0].length;
  const M = bh.length;
  let hLast = zeros(N, M);
  const Yhats: Rows[] = [];
  for (let t = 0; t < T; t++) {
    const xt = X.map((sample) => sample[t]); // X[:, t]: [N, D]
    // [N, D] x [D, M] + [N, M] x [M, M] + [M] -> [N, M]
    const h = tanh(plusRow(plus(dot(xt, Wx), dot(hLast, Wh)), bh));
    // [N, M] x [M, K] + [K] -> [N, K]
    Yhats.push(plusRow(dot(h, Wo), bo));
    hLast = h;
  }
  return Yhats;
}

/**
 * NumPy's own first three values (NumPy 2.4.6; the whole stream is pinned in test/fixtures/numpy-random/seed-42.json):
 *   python3 -c "import numpy as np; np.random.seed(42); print(np.random.randn(1,10,3).ravel()[:3].tolist())"
 */
const NUMPY_SEED_42_FIRST = [0.4967141530112327, -0.13826430117118466, 0.6476885381006925];

/**
 * The notebook's names for the extracted weights, as nested rows of their exact float32 values:
 *   Wx, Wh, bh = model.layers[1].get_weights();  Wo, bo = model.layers[2].get_weights()
 */
function notebookWeights(weights: RnnWeights): { Wx: Rows; Wh: Rows; bh: number[]; Wo: Rows; bo: number[] } {
  const [rnn] = weights.recurrent;
  return {
    Wx: fromMatrix(rnn.kernel), // [D, M]
    Wh: fromMatrix(rnn.recurrentKernel), // [M, M]
    bh: Array.from(rnn.bias), // [M]
    Wo: fromMatrix(weights.dense.kernel), // [M, K]
    bo: Array.from(weights.dense.bias), // [K]
  };
}

/** The float32 value of every element: Keras's predict casts the float64 X to float32, and both paths read that. */
function asFloat32(x: NdArray): NdArray {
  return { shape: x.shape.slice(), data: Float32Array.from(x.data) };
}

function seeds003and004(log: ComparisonLog): void {
  const section = 'seeds 003/004';
  say(...header('Seeds 003/004: Keras SimpleRNN(5) + Dense(2), then the same output from the NumPy loop'));
  const [N, T, D, M, K] = [1, 10, 3, 5, 2];
  say(`  np.random.seed(42); X = np.random.randn(${N}, ${T}, ${D})   (NumpyRandomState: MT19937 + NumPy's polar Gaussian)`);
  const X64 = seededNormal(42, [N, T, D]);
  say(...formatMatrix(toRows({ shape: [T, D], data: X64.data }).slice(0, 2), '    X[0, :2] = '));
  say(`    X.ravel()[:3] = ${Array.from(X64.data.subarray(0, 3)).join(', ')}   (full precision)`);
  log.compare(section, "X.ravel()[:3] vs NumPy's own (exact)", { shape: [3], data: X64.data.subarray(0, 3) }, toNdArray(NUMPY_SEED_42_FIRST), {
    atol: 0,
    rtol: 0,
  });
  const X = asFloat32(X64);

  // In [5]: i = Input(shape=(T, D)); x = SimpleRNN(M)(i); x = Dense(K)(x); model = Model(i, x)
  const spec = validateSpec({ ...DEFAULT_SPEC, batch: N, timeSteps: T, inputDim: D, units: M, denseUnits: K });
  const tolerance = defaultTolerance(spec);
  const model = buildModel(spec, WEIGHT_SEED);
  try {
    // In [8]: model.summary()
    say('  model.summary()');
    const rows = [['Layer (type)', 'Output Shape', 'Param #']];
    for (const l of model.layers)
      rows.push([`${l.name} (${l.getClassName()})`, `(None, ${(l.outputShape as number[]).slice(1).join(', ')})`, String(l.countParams())]);
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [name, shape, count] of rows) say(`    ${name.padEnd(width)}  ${shape.padEnd(12)}  ${count}`);
    const params = model.layers.map((l) => l.countParams());
    const total = params.reduce((sum, p) => sum + p, 0);
    say(`    Total params: ${total}`);
    log.compare(section, "params vs the notebook's 45, 12, 57 (exact)", toNdArray([...params, total]), toNdArray([45, 12, 57]), { atol: 0, rtol: 0 });
    const shapes = model.layers.map((l) =>
      l
        .getWeights()
        .map((w) => `(${w.shape.join(', ')}${w.shape.length === 1 ? ',' : ''})`)
        .join(' '),
    );
    say(`  get_weights() shapes: SimpleRNN ${shapes[0]}   Dense ${shapes[1]}`);
    say("    (tfjs's Sequential lists no InputLayer: the notebook's layers[1], layers[2] are model.layers[0], [1] here)");

    const weights = extractWeights(model, spec);
    const { Wx, Wh, bh, Wo, bo } = notebookWeights(weights);
    say(`  weights: buildModel(spec, seed ${WEIGHT_SEED}). The notebooks' Yhat ([[ 0.22453962 -0.8722438 ]] in 003) came from`);
    say("    Keras's unseeded weights (004 prints Wx, Wh, bh but not Wo, bo, nor its unseeded X): we check the method.");
    say(`  tolerance: ${formatTolerance(tolerance)}`);

    // In [11]: the loop, for the first (only) sample
    const Yhats = notebookLoop(toRows3(X)[0], Wx, Wh, bh, Wo, bo);
    const yLoop = toNdArray([Yhats[T - 1]]); // [1, K]
    // In [6]: Yhat = model.predict(X)
    const Yhat = predictLayers(model, X); // [1, K]
    const yHand = forwardHand(weights, X); // the library's hand path, [1, K]
    say('  h = tanh(x[t]·Wx + h_last·Wh + bh); y = h·Wo + bo, for t = 0..9; y at the last step:');
    say(`    print(Yhat)        model.predict(X), tfjs float32   ${formatMatrix(toRows(Yhat))[0]}`);
    say(`    print(Yhats[-1])   the demo's loop, float64         ${formatVector(Yhats[T - 1])}`);
    say(`    forwardHand      src/hand/forward.ts, float64   ${formatMatrix(toRows(yHand))[0]}`);
    log.compare(section, 'predict vs demo loop', Yhat, yLoop, tolerance);
    log.compare(section, 'predict vs forwardHand', Yhat, yHand, tolerance);
    log.compare(section, 'demo loop vs forwardHand', yLoop, yHand, FLOAT64_SAME);

    bonus(log, model, weights, Yhats[T - 1], tolerance);
  } finally {
    model.dispose();
  }
}

/** The bonus exercise: N = 4 samples through the batch loop, predict and forwardHand. */
function bonus(log: ComparisonLog, model: tf.LayersModel, weights: RnnWeights, singleLast: number[], tolerance: Tolerance): void {
  const section = 'seeds 003/004 bonus';
  const [N, T, D] = [4, 10, 3];
  say(...header(`Seeds 003/004, bonus exercise: N = ${N} samples at once`));
  say(`  np.random.seed(42); X = np.random.randn(${N}, ${T}, ${D}); randn fills C order, so X[0] is the N = 1 X above`);
  say('  h_last = zeros((N, M)); h = tanh(X[:, t]·Wx + h_last·Wh + bh); y = h·Wo + bo   ([N, D]x[D, M] + [N, M]x[M, M])');
  const X = asFloat32(seededNormal(42, [N, T, D]));
  const { Wx, Wh, bh, Wo, bo } = notebookWeights(weights);
  const Yhats = notebookLoopBatch(toRows3(X), Wx, Wh, bh, Wo, bo);
  const yLoop = toNdArray(Yhats[T - 1]); // [N, K]
  const Yhat = predictLayers(model, X); // [N, K]
  const yHand = forwardHand(weights, X);
  say(
    ...sideBySide(
      Yhats[T - 1].map((_, n) => `y[${n}]`),
      toRows(Yhat),
      Yhats[T - 1],
      ['model.predict (float32)', 'batch loop (float64)'],
    ),
  );
  log.compare(section, 'predict vs batch loop', Yhat, yLoop, tolerance);
  log.compare(section, 'predict vs forwardHand', Yhat, yHand, tolerance);
  log.compare(section, 'batch loop vs forwardHand', yLoop, yHand, FLOAT64_SAME);
  log.compare(section, 'batch loop y[0] vs N = 1 loop', toNdArray(Yhats[T - 1][0]), toNdArray(singleLast), FLOAT64_SAME);
}

async function main(argv: string[]): Promise<number> {
  const { backend: choice } = parseDemoArgs(argv);
  const backend = await selectBackend(choice);
  say('rnn-parity demo: the seed notebooks, tfjs RNN layers against hand-written loops');
  say(`backend: ${describeBackend(backend)}; node ${process.versions.node}`);
  say('tolerance: defaultTolerance(spec) from src/compare/tolerance.ts: |tfjs - hand| <= atol + rtol*|hand|, where tfjs');
  say(`  computes in float32 and the hand loops in float64; for models this small: ${formatTolerance({ atol: BASE_ATOL, rtol: DEFAULT_RTOL })}.`);
  const tensorsBefore = tf.memory().numTensors;
  const log = new ComparisonLog(say);
  seed000(log);
  seed001(log);
  await mnistSection(log, say, choice);
  seeds003and004(log);
  await textSection(log, say, choice);
  say(...header('Summary'), ...log.summaryLines());
  say(`  tfjs tensors allocated before the sections: ${tensorsBefore}, after: ${tf.memory().numTensors}`);
  return log.allPass() ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`demo: ${(error as Error).message}\n`);
      process.exitCode = exitCodeFor(error);
    },
  );
}
