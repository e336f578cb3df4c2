/**
 * npm run demo: the built script run as a user runs it, and its hand formulas against numbers worked by hand.
 * Every golden number sits under the arithmetic that produced it (python3: math.tanh on the same float64 sums).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { notebookLoop, notebookLoopBatch, unrollTwoSteps } from '../../scripts/demo';
import { toRows3 } from '../../scripts/demo/rows';
import { seededNormal } from '../../src/data/numpy-random';
import { expectClose } from '../helpers/expect-close';

/** float64 against float64 arithmetic done in another order: a few ulps. */
const FLOAT64_TIGHT = { atol: 1e-15, rtol: 1e-14 };

const root = path.resolve(__dirname, '../..');
const demoJs = path.join(root, 'dist', 'scripts', 'demo.js');
const demoSources = [
  path.join(root, 'scripts', 'demo.ts'),
  ...fs.readdirSync(path.join(root, 'scripts', 'demo')).map((f) => path.join(root, 'scripts', 'demo', f)),
];

/** Every section the walk-through prints, in order. */
const SECTION_HEADERS = [
  '== Seed 000: 3 neurons, 2 inputs, two time steps unrolled by hand (TF1) ==',
  '== Seed 001: 5 neurons, 3 inputs, a 4-instance mini-batch over two time steps ==',
  "== Seed 002: the trained LSTM(128) MNIST classifier (models/mnist-lstm) on the seed's first 128 test images ==",
  '== Seeds 003/004: Keras SimpleRNN(5) + Dense(2), then the same output from the NumPy loop ==',
  '== Seeds 003/004, bonus exercise: N = 4 samples at once ==',
  '== Summary ==',
];

function runDemo(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [demoJs, ...args], { cwd: root, encoding: 'utf8', timeout: 110_000 });
}

describe('dist/scripts/demo.js --backend cpu (spawned)', () => {
  let run: SpawnSyncReturns<string>;

  beforeAll(() => {
    if (!fs.existsSync(demoJs)) {
      throw new Error(`${path.relative(root, demoJs)} is missing: run \`npm run build\` (or \`npm test\`, which builds) first`);
    }
    const built = fs.statSync(demoJs).mtimeMs;
    const newer = demoSources.filter((f) => fs.statSync(f).mtimeMs > built);
    if (newer.length > 0) {
      throw new Error(`${path.relative(root, demoJs)} is older than ${newer.map((f) => path.relative(root, f)).join(', ')}: run \`npm run build\``);
    }
    run = runDemo(['--backend', 'cpu']);
  });

  test('exits 0', () => {
    if (run.status !== 0) throw new Error(`exit ${run.status} (signal ${run.signal})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  });

  test('says which backend ran, with versions', () => {
    expect(run.stdout).toMatch(/^backend: cpu \(tfjs-core \d+\.\d+\.\d+, tfjs-layers \d+\.\d+\.\d+, tfjs-backend-cpu \d+\.\d+\.\d+/m);
  });

  test('prints every section header, in order', () => {
    const positions = SECTION_HEADERS.map((h) => run.stdout.indexOf(h));
    SECTION_HEADERS.forEach((h, i) => {
      if (positions[i] < 0) throw new Error(`header not printed: ${h}\nstdout:\n${run.stdout}`);
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test('no comparison is over tolerance', () => {
    const failing = run.stdout.split('\n').filter((line) => line.includes('FAIL'));
    expect(failing).toEqual([]);
    expect(run.stdout).toMatch(/^ {2}All \d+ comparisons pass\.$/m);
  });

  test("seed 002: the committed model's accuracy, forward, gradient and update parity are all in the ledger", () => {
    expect(run.stdout).toMatch(/accuracy on the first 128 test images: layer path \d+\/128 \(\d+\.\d\d%\), hand path \d+\/128;/);
    for (const label of [
      'correct: layer, hand vs training.json (exact)',
      '128 predicted classes, layer vs hand (exact)',
      'logits [128,10], layer vs hand',
      'gradients, layer vs hand',
      'gradients, hand vs finite differences',
      'weights after one Adam step, layer vs hand',
    ]) {
      expect(run.stdout).toMatch(new RegExp(`^ {2}seed 002: ${label.replace(/[[\]()]/g, '\\$&')} +max\\|diff\\| \\S+ +PASS$`, 'm'));
    }
  });

  test('prints the tolerance it holds the comparisons to', () => {
    expect(run.stdout).toContain('tolerance: atol 2e-6 + rtol 1e-6*|ref|');
  });
});

test('an unknown --backend exits 2 with one line on stderr', () => {
  if (!fs.existsSync(demoJs)) throw new Error(`${path.relative(root, demoJs)} is missing: run \`npm run build\` first`);
  const run = runDemo(['--backend', 'nope']);
  expect(run.status).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain('nope');
});

describe('unrollTwoSteps (seeds 000/001: Y0 = tanh(X0·Wx + b); Y1 = tanh(Y0·Wy + X1·Wx + b))', () => {
  test('one input, one unit', () => {
    // Wx = [[0.5]], Wy = [[-2]], b = [0.1], X0 = [[1]], X1 = [[2]]
    //   Y0 = tanh(1*0.5 + 0.1) = tanh(0.6) = 0.5370495669980353
    //   Y1 = tanh(Y0*(-2) + 2*0.5 + 0.1) = tanh(0.025900866003929407) = 0.025895075650442297
    const { Y0, Y1 } = unrollTwoSteps([[1]], [[2]], [[0.5]], [[-2]], [0.1]);
    expectClose(Y0.flat(), [0.5370495669980353], FLOAT64_TIGHT);
    expectClose(Y1.flat(), [0.025895075650442297], FLOAT64_TIGHT);
  });

  test('2 inputs, 3 units: Wx and Wy are read [from, to], not transposed', () => {
    // X0 = [[1, 2]], Wx = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], b = [0, 0, 0.1]
    //   X0·Wx + b = [0.1 + 0.8, 0.2 + 1.0, 0.3 + 1.2 + 0.1] = [0.9, 1.2, 1.6]
    //   Y0 = tanh(...) = [0.7162978701990245, 0.8336546070121552, 0.9216685544064713]
    // Wy = [[1, 0, 0], [0, 0, 1], [0, 0, 0]] sends unit 0 to unit 0 and unit 1 to unit 2; X1 = [[0, 0]]
    //   Y1 = tanh([Y0[0], 0, Y0[1] + 0.1]) = [tanh(0.7162978701990245), 0, tanh(0.9336546070121552)]
    //      = [0.614610880037512, 0, 0.732293247983124]   (a transposed Wy would give [.., tanh(Y0[1]), tanh(0.1)])
    const Wx = [
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ];
    const Wy = [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ];
    const { Y0, Y1 } = unrollTwoSteps([[1, 2]], [[0, 0]], Wx, Wy, [0, 0, 0.1]);
    expectClose(Y0.flat(), [0.7162978701990245, 0.8336546070121552, 0.9216685544064713], FLOAT64_TIGHT);
    expectClose(Y1.flat(), [0.614610880037512, 0, 0.732293247983124], FLOAT64_TIGHT);
  });

  test('instances are independent: a batch gives each row its own result', () => {
    const Wx = [
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ];
    const Wy = [
      [0.3, -0.2, 0.1],
      [0.5, 0.4, -0.6],
      [-0.1, 0.2, 0.7],
    ];
    const b = [0.05, -0.05, 0.1];
    const X0 = [
      [1, 2],
      [0.5, -1],
      [0, 0],
    ];
    const X1 = [
      [-1, 0.5],
      [2, 1],
      [0.25, 0.75],
    ];
    const batch = unrollTwoSteps(X0, X1, Wx, Wy, b);
    X0.forEach((x0, n) => {
      const one = unrollTwoSteps([x0], [X1[n]], Wx, Wy, b);
      expect(batch.Y0[n]).toEqual(one.Y0[0]);
      expect(batch.Y1[n]).toEqual(one.Y1[0]);
    });
  });
});

describe('notebookLoop (seeds 003/004: h = tanh(x[t]·Wx + h_last·Wh + bh); y = h·Wo + bo)', () => {
  // Wx = [[0.5]], Wh = [[-2]], bh = [0.1], Wo = [[2]], bo = [-1]; sample 0: x = [[1], [2]]
  //   h1 = tanh(1*0.5 + 0*(-2) + 0.1) = tanh(0.6) = 0.5370495669980353;   y1 = 2*h1 - 1 = 0.0740991339960706
  //   h2 = tanh(2*0.5 + h1*(-2) + 0.1) = 0.025895075650442297;            y2 = 2*h2 - 1 = -0.9482098486991154
  //   (two steps of this loop are seed 000's unrolled Y0, Y1 with Wy = Wh)
  // sample 1: x = [[0], [0]]
  //   h1 = tanh(0.1) = 0.09966799462495582;                               y1 = -0.8006640107500884
  //   h2 = tanh(h1*(-2) + 0.1) = tanh(-0.09933598924991163) = -0.09901053655017675;  y2 = -1.1980210731003536
  const Wx = [[0.5]];
  const Wh = [[-2]];
  const bh = [0.1];
  const Wo = [[2]];
  const bo = [-1];

  test('one sample: every step', () => {
    const Yhats = notebookLoop([[1], [2]], Wx, Wh, bh, Wo, bo);
    expectClose(Yhats.flat(), [0.0740991339960706, -0.9482098486991154], FLOAT64_TIGHT);
  });

  test('bonus, N = 2 at once: each sample as worked above', () => {
    const Yhats = notebookLoopBatch(
      [
        [[1], [2]],
        [[0], [0]],
      ],
      Wx,
      Wh,
      bh,
      Wo,
      bo,
    ); // [T][N, K]
    expectClose(Yhats[0].flat(), [0.0740991339960706, -0.8006640107500884], FLOAT64_TIGHT);
    expectClose(Yhats[1].flat(), [-0.9482098486991154, -1.1980210731003536], FLOAT64_TIGHT);
  });

  test('bonus, N = 4, D = 3, M = 5, K = 2: the batch loop equals the one-sample loop per sample', () => {
    const [N, T, D, M, K] = [4, 6, 3, 5, 2];
    const draw = (seed: number, shape: number[]) => toRows3({ shape: [1, ...shape], data: seededNormal(seed, shape).data })[0];
    const X = toRows3(seededNormal(1, [N, T, D]));
    const [WxR, WhR, WoR] = [draw(2, [D, M]), draw(3, [M, M]), draw(4, [M, K])];
    const [bhR, boR] = [draw(5, [1, M])[0], draw(6, [1, K])[0]];
    const batch = notebookLoopBatch(X, WxR, WhR, bhR, WoR, boR);
    X.forEach((sample, n) => {
      const one = notebookLoop(sample, WxR, WhR, bhR, WoR, boR);
      expectClose(batch.map((step) => step[n]).flat(), one.flat(), FLOAT64_TIGHT);
    });
  });
});
