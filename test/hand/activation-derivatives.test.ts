/**
 * The activation derivatives (src/hand/activation-derivatives.ts) against two independent sources:
 *   1. TensorFlow's own gradients, float64, from models/keras-models/activation-gradients.json
 *      (scripts/keras-models/make_activation_gradients.py): every elementwise name on linspace(-6, 6, 49) plus
 *      the kink points, where only TF can say which one-sided value it picks; and the row-wise VJPs on seeded
 *      and hand-picked rows.
 *   2. Central finite differences of the forward functions (src/hand/activations.ts), away from kinks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../src/errors';
import {
  ELEMENTWISE_DERIVATIVES,
  ROWWISE_BACKWARD,
  activationBackward,
  elementwiseDerivative,
  sparsemaxRowBackward,
} from '../../src/hand/activation-derivatives';
import { ELEMENTWISE, ROWWISE, applyActivation } from '../../src/hand/activations';
import { NumpyRandomState } from '../../src/data/numpy-random';

interface RowCase {
  readonly draw: string;
  readonly x: number[];
  readonly dy: number[];
  readonly y: number[];
  readonly dx: number[];
}

interface GradientGolden {
  readonly versions: Record<string, string>;
  readonly script: string;
  readonly kinks: number[];
  readonly x: number[];
  readonly elementwise: Record<string, { readonly dydx: number[] }>;
  readonly rowwise: Record<string, { readonly cases: RowCase[] }>;
  readonly skipped: Record<string, string>;
}

const GOLDEN_FILE = path.join(__dirname, '..', '..', 'models', 'keras-models', 'activation-gradients.json');
const golden = JSON.parse(fs.readFileSync(GOLDEN_FILE, 'utf8')) as GradientGolden;
const identity = (x: number): number => x;

/**
 * |ours - TF| <= TF_ATOL + TF_RTOL * |TF|. Measured worst cases (float64 both sides): exponential at x = 6,
 * 2.8e-14 absolute of 403 (1 ulp, 1.9e-16 relative); every other elementwise name <= 2.2e-15 absolute (mish),
 * tanh's 1 - y^2 at |x| = 6 included (TanhGrad uses TF's own y: 4.4e-16 absolute, last-bit noise); gelu
 * 2.5e-16 (our erfc is good to ~1e-15 relative); row-wise VJPs 8.9e-16 absolute (log_softmax). 1e-14 absolute
 * plus 1e-14 relative leaves a factor of 4 or more over each, and is 13 orders below the smallest jump a wrong
 * one-sided choice at a kink would make (0.2 for leaky_relu).
 */
const TF_ATOL = 1e-14;
const TF_RTOL = 1e-14;

function expectNear(actual: number, expected: number, atol: number, rtol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected))) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)})`);
  }
}

/** Kinks of each elementwise activation: where the derivative (or the function) jumps. */
const KINKS_OF: Readonly<Record<string, readonly number[]>> = {
  relu: [0],
  relu6: [0, 6],
  hard_sigmoid: [-3, 3],
  hard_sigmoid_tfjs: [-2.5, 2.5],
  hard_silu: [-3, 3],
  hard_swish: [-3, 3],
  elu: [0],
  selu: [0],
  celu: [0],
  leaky_relu: [0],
  sparse_plus: [-1, 1],
  sparse_sigmoid: [-1, 1],
  soft_shrink: [-0.5, 0.5],
  hard_shrink: [-0.5, 0.5],
  hard_tanh: [-1, 1],
  // |x| in the denominator: the second derivative jumps, the first does not
  softsign: [0],
};

describe('the golden file', () => {
  test('comes from TF 2.21 / Keras 3.15.1 and this script, and covers every activation name', () => {
    expect(golden.versions).toMatchObject({ keras: '3.15.1', tensorflow: '2.21.0' });
    expect(golden.script).toBe('scripts/keras-models/make_activation_gradients.py');
    const names = JSON.parse(fs.readFileSync(path.join(path.dirname(GOLDEN_FILE), 'activation-names.json'), 'utf8')) as {
      activations: Record<string, unknown>;
    };
    const covered = [...Object.keys(golden.elementwise), ...Object.keys(golden.rowwise), ...Object.keys(golden.skipped)].sort();
    expect(covered).toEqual(Object.keys(names.activations).sort());
    expect(Object.keys(golden.skipped).sort()).toEqual(['glu', 'threshold']);
    for (const k of golden.kinks) expect(golden.x).toContain(k);
  });

  test('every activation the hand path knows has a derivative or a row backward, and nothing else does', () => {
    expect(Object.keys(ELEMENTWISE_DERIVATIVES).sort()).toEqual(Object.keys(ELEMENTWISE).sort());
    expect(Object.keys(ROWWISE_BACKWARD).sort()).toEqual(Object.keys(ROWWISE).sort());
    // every Keras name TF measured is one we have (hard_sigmoid_tfjs is tfjs's own, checked below)
    for (const name of Object.keys(golden.elementwise)) expect(Object.hasOwn(ELEMENTWISE_DERIVATIVES, name)).toBe(true);
  });
});

describe('elementwise derivatives = TF gradients (float64)', () => {
  test.each(Object.keys(golden.elementwise))('%s', (name) => {
    const derivative = elementwiseDerivative(name);
    golden.x.forEach((x, i) => expectNear(derivative(x), golden.elementwise[name].dydx[i], TF_ATOL, TF_RTOL, `${name}'(${x})`));
  });

  test('the kink values, exactly as TF gives them', () => {
    // Parity note: tfjs 4.22 gives hard_sigmoid'(3) = 1/6 and hard_silu'(3) = 1.5 (tf.relu6's gradient passes at
    // 6), and selu'(0) = scale * alpha = 1.7581 (its negative branch at 0); TF's values are below.
    const expected: [string, number, number][] = [
      ['relu', 0, 0],
      ['relu6', 0, 0],
      ['relu6', 6, 0],
      ['hard_sigmoid', -3, 0],
      ['hard_sigmoid', 3, 0],
      ['hard_silu', -3, 0],
      ['hard_silu', 3, 1],
      ['leaky_relu', 0, Math.fround(0.2)],
      ['elu', 0, 1],
      ['selu', 0, 1.0507009873554805],
      ['celu', 0, 2],
      ['hard_tanh', -1, 1],
      ['hard_tanh', 1, 1],
      ['sparse_plus', -1, 0],
      ['sparse_plus', 1, 1],
      ['sparse_sigmoid', -1, 0],
      ['sparse_sigmoid', 1, 0],
      ['soft_shrink', -0.5, 0],
      ['soft_shrink', 0.5, 0],
      ['hard_shrink', -0.5, 0],
      ['hard_shrink', 0.5, 0],
    ];
    for (const [name, x, value] of expected) {
      expect([name, x, golden.elementwise[name].dydx[golden.x.indexOf(x)]]).toEqual([name, x, value]);
      expect([name, x, elementwiseDerivative(name)(x)]).toEqual([name, x, value]);
    }
  });

  test('an unknown name is a ConfigError', () => {
    expect(() => elementwiseDerivative('glu')).toThrow(ConfigError);
    expect(() => activationBackward('threshold', [0], [1], 1, identity)).toThrow(ConfigError);
  });
});

describe('row-wise backward = TF vector-Jacobian products (float64)', () => {
  test.each(Object.keys(golden.rowwise))('%s', (name) => {
    for (const c of golden.rowwise[name].cases) {
      // the forward agrees with Keras's on the row (else the VJP compares different functions)
      const y = Float64Array.from(c.x);
      applyActivation(name, y, y.length, identity);
      y.forEach((v, j) => expectNear(v, c.y[j], TF_ATOL, TF_RTOL, `${name} y[${j}] (${c.draw})`));
      const dx = activationBackward(name, c.x, c.dy, c.x.length, identity);
      dx.forEach((v, j) => expectNear(v, c.dx[j], TF_ATOL, TF_RTOL, `${name} dx[${j}] (${c.draw})`));
    }
  });

  test('sparsemax: the tie and the supports of 2 and 3 give nonzero gradients (the check is not vacuous)', () => {
    const nonzero = golden.rowwise.sparsemax.cases.filter((c) => c.dx.some((v) => v !== 0)).map((c) => c.draw);
    expect(nonzero.length).toBeGreaterThanOrEqual(4);
    // the tie x[0] == x[1] at tau: TF's maximum passes at x - tau = 0, and the stable sort puts x[0] first
    const tie = golden.rowwise.sparsemax.cases.find((c) => c.draw.startsWith('a tie')) as RowCase;
    const dx = new Float64Array(4);
    sparsemaxRowBackward(tie.x, tie.dy, dx, 0, 4, identity);
    expect(Array.from(dx)).toEqual(tie.dx.map((v) => expect.closeTo(v, 15)));
    expect(dx[0]).not.toBe(0);
  });
});

/** Central difference of f at x, h = 1e-5: truncation h^2 f'''/6 ~ 1e-11, rounding eps |f| / h ~ 1e-10 here. */
function centralDifference(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * Finite differences against our derivatives: |fd - ours| <= FD_TOL * (1 + |ours|). Measured worst: 6.4e-11
 * elementwise (silu at x = 10.7), 2.0e-9 row-wise (log_softmax, h = 1e-6). 1e-7 leaves a factor of 50, and a
 * wrong formula misses by far more (mish without its sigmoid factor: 0.07 at x = 1).
 */
const FD_TOL = 1e-7;

describe('elementwise derivatives = finite differences of the forward, away from kinks', () => {
  // 481 points on [-6, 6] shifted off the grid, plus seeded points out to |x| = 12
  const points = [...Array.from({ length: 481 }, (_, i) => -6 + i * 0.025 + 0.0031), ...Array.from(new NumpyRandomState(3).randn([200]), (v) => v * 4)];
  test.each(Object.keys(ELEMENTWISE))('%s', (name) => {
    const f = ELEMENTWISE[name];
    const derivative = ELEMENTWISE_DERIVATIVES[name];
    const kinks = KINKS_OF[name] ?? [];
    let checked = 0;
    for (const x of points) {
      if (kinks.some((k) => Math.abs(x - k) < 1e-3)) continue;
      const ours = derivative(x);
      expectNear(centralDifference(f, x), ours, FD_TOL, FD_TOL, `${name}'(${x})`);
      checked++;
    }
    expect(checked).toBeGreaterThan(600);
  });

  test("hard_sigmoid_tfjs (tfjs's own, not measured by TF): slope 0.2 inside (-2.5, 2.5), 0 outside and at the ends", () => {
    const d = elementwiseDerivative('hard_sigmoid_tfjs');
    expect([d(-3), d(-2.5), d(-2.4), d(0), d(2.4), d(2.5), d(3)]).toEqual([0, 0, 0.2, 0.2, 0.2, 0, 0]);
  });
});

describe('row-wise backward = finite differences of the forward', () => {
  /** L = <dy, f(x)> by central differences in each x_m. */
  function rowFiniteDifferences(name: string, x: Float64Array, dy: Float64Array): Float64Array {
    const loss = (row: Float64Array): number => {
      const y = Float64Array.from(row);
      applyActivation(name, y, y.length, identity);
      return y.reduce((s, v, j) => s + v * dy[j], 0);
    };
    return x.map((v, m) => {
      const h = 1e-6;
      const plus = Float64Array.from(x);
      plus[m] = v + h;
      const minus = Float64Array.from(x);
      minus[m] = v - h;
      return (loss(plus) - loss(minus)) / (2 * h);
    });
  }

  test.each(Object.keys(ROWWISE))('%s on seeded rows', (name) => {
    const random = new NumpyRandomState(11);
    let nonzero = 0;
    for (let r = 0; r < 40; r++) {
      const width = 2 + (r % 7);
      // sparsemax: logits of scale 0.3 keep Keras's quirky tau inside the row often enough (nonzero outputs)
      const x = random.randn([width]).map((v) => v * (name === 'sparsemax' ? 0.3 : 2));
      const dy = random.randn([width]);
      const ours = activationBackward(name, x, dy, width, identity);
      const fd = rowFiniteDifferences(name, x, dy);
      ours.forEach((v, m) => expectNear(fd[m], v, FD_TOL, FD_TOL, `${name} row ${r} dx[${m}]`));
      if (ours.some((v) => v !== 0)) nonzero++;
    }
    expect(nonzero).toBeGreaterThanOrEqual(10);
  });
});

describe('activationBackward over a buffer', () => {
  const random = new NumpyRandomState(5);
  const lastDim = 4;
  const x = random.randn([3 * lastDim]);
  const dy = random.randn([3 * lastDim]);

  test('elementwise: dy * f(x) entry by entry; linear: dy', () => {
    const dx = activationBackward('gelu', x, dy, lastDim, identity);
    expect(Array.from(dx)).toEqual(Array.from(x, (v, i) => dy[i] * elementwiseDerivative('gelu')(v)));
    expect(Array.from(activationBackward('linear', x, dy, lastDim, identity))).toEqual(Array.from(dy));
  });

  test('row-wise: each row of the last axis on its own', () => {
    const dx = activationBackward('softmax', x, dy, lastDim, identity);
    for (let r = 0; r < 3; r++) {
      const row = activationBackward('softmax', x.subarray(r * lastDim, (r + 1) * lastDim), dy.subarray(r * lastDim, (r + 1) * lastDim), lastDim, identity);
      expect(Array.from(dx.subarray(r * lastDim, (r + 1) * lastDim))).toEqual(Array.from(row));
    }
  });

  test('float32 mode: float32 values in a Float32Array, within float32 rounding of float64', () => {
    const x32 = Float32Array.from(x);
    const dy32 = Float32Array.from(dy);
    for (const name of ['gelu', 'mish', 'softmax', 'log_softmax', 'sparsemax', 'selu']) {
      const dx32 = activationBackward(name, x32, dy32, lastDim, Math.fround, (n) => new Float32Array(n));
      const dx64 = activationBackward(name, x32, dy32, lastDim, identity);
      expect(dx32).toBeInstanceOf(Float32Array);
      // a handful of float32 roundings per entry (softmax: exp, the row sum, the dot, the product): measured
      // worst 1.4e-7 absolute (sparsemax) with |dx| <= 2.1; 2e-6 is 14 times that (17 float32 ulps at 1)
      dx64.forEach((v, i) => expectNear(dx32[i], v, 2e-6, 2e-6, `${name} float32 dx[${i}]`));
    }
  });
});
