/**
 * The hand path's activations against Keras itself: models/keras-models/activation-names.json holds every
 * name keras.activations.get accepts in Keras 3.15.1 (TensorFlow 2.21 backend) with Keras's float64 values at
 * x = linspace(-6, 6, 49) (written by scripts/keras-models/make_models.py --activations-only).
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyActivation, ELEMENTWISE, erfc, ROWWISE } from '../../src/hand/activations';
import { activationNameFrom, readActivation } from '../../src/layers/activations/names';
import { type Blocker, ReadContext } from '../../src/layers/read-context';
import { expectClose } from '../helpers/expect-close';

interface KerasActivation {
  readonly function: string;
  readonly y: number[] | null;
  readonly error?: string;
}
interface KerasTable {
  readonly versions: Record<string, string>;
  readonly x: number[];
  readonly activations: Record<string, KerasActivation>;
}

const TABLE_PATH = path.join(__dirname, '..', '..', 'models', 'keras-models', 'activation-names.json');
const table = JSON.parse(fs.readFileSync(TABLE_PATH, 'utf8')) as KerasTable;
const withValues = Object.entries(table.activations).filter(([, e]) => e.y !== null);

/**
 * float64 against float64: every activation but gelu matches Keras within 6e-16 relative (measured: tanh_shrink
 * 5.5e-15, from x - tanh(x) cancelling near 0, where Keras cancels the same way). gelu needs erfc, which JS
 * lacks: ours computes 1 - erf(z) for z < 2, losing up to log10(1/erfc(2)) = 2.3 digits (measured 8.2e-14
 * relative at x = -2.75). 1e-12 holds all with margin and still catches any formula or constant difference
 * (the smallest seen, gelu's float32 1/sqrt(2), is 6e-7).
 */
const FLOAT64 = { atol: 0, rtol: 1e-12 };

function handValues(name: string, x: readonly number[]): number[] {
  const data = Float64Array.from(x);
  // elementwise: lastDim is irrelevant; row activations: the 49 values are one row, as in Keras's table.
  applyActivation(name, data, data.length, (v) => v);
  return Array.from(data);
}

function read(value: unknown, source: 'keras' | 'tfjs', rowwise = true): { name: string; blockers: Blocker[] } {
  const blockers: Blocker[] = [];
  const ctx = new ReadContext(source, 'layer 1 "dense" (Dense)', blockers);
  return { name: readActivation(ctx, { activation: value }, 'activation', 'linear', rowwise), blockers };
}

describe('activations: hand path against Keras 3 float64', () => {
  test('the table is Keras 3.15 and covers the names the brief lists (the check is not vacuous)', () => {
    expect(table.versions.keras).toMatch(/^3\.15\./);
    expect(table.x).toHaveLength(49);
    expect(Object.keys(table.activations)).toEqual(
      expect.arrayContaining(['relu', 'gelu', 'hard_silu', 'leaky_relu', 'sparsemax', 'softmax', 'squareplus', 'glu', 'threshold']),
    );
  });

  test.each(withValues.map(([name]) => [name]))('%s', (name) => {
    const ours = activationNameFrom(name, 'keras');
    expect(Object.hasOwn(ELEMENTWISE, ours) || Object.hasOwn(ROWWISE, ours)).toBe(true);
    expectClose(handValues(ours, table.x), table.activations[name].y as number[], FLOAT64);
    // the alias itself also works unresolved (applyActivation on Keras's spelling)
    expectClose(handValues(name, table.x), table.activations[name].y as number[], FLOAT64);
  });

  test('the names Keras cannot evaluate by name alone are refused with their reason', () => {
    expect(table.activations.glu.y).toBeNull();
    expect(table.activations.threshold.y).toBeNull();
    const glu = read('glu', 'keras');
    expect(glu.blockers).toHaveLength(1);
    expect(glu.blockers[0].reason).toMatch(/halves the last axis/);
    expect(read('threshold', 'keras').blockers[0].reason).toMatch(/threshold and default_value/);
  });
});

describe('activation names', () => {
  test('Keras aliases resolve to the name Keras serializes', () => {
    expect(read('swish', 'keras')).toEqual({ name: 'silu', blockers: [] });
    expect(read('hard_swish', 'keras')).toEqual({ name: 'hard_silu', blockers: [] });
  });

  test("tfjs model.json names map back to ours: built-ins, snake-cased customs ('leaky_relu_keras')", () => {
    expect(read('hard_sigmoid', 'tfjs').name).toBe('hard_sigmoid_tfjs');
    expect(read('hard_sigmoid_keras3', 'tfjs').name).toBe('hard_sigmoid');
    expect(read('swish', 'tfjs').name).toBe('silu');
    expect(read('log_softmax', 'tfjs').name).toBe('log_softmax');
    expect(read('leaky_relu_keras', 'tfjs').name).toBe('leaky_relu');
    expect(read('sparsemax_keras', 'tfjs').name).toBe('sparsemax');
    // the suffix rule is tfjs-only: a Keras file naming 'leaky_relu_keras' names nothing we know
    expect(read('leaky_relu_keras', 'keras').blockers).toHaveLength(1);
  });

  test('a recurrent cell (rowwise false) refuses row activations; unknown names list the known ones', () => {
    const sparsemax = read('sparsemax', 'keras', false);
    expect(sparsemax.blockers[0].hint).toMatch(/elementwise/);
    const unknown = read('swishy', 'keras');
    expect(unknown.blockers[0].reason).toMatch(/^expected one of .*celu.*sparsemax/);
    expect(read({ class_name: 'MyAct' }, 'keras').blockers[0].reason).toMatch(/custom activation objects/);
  });
});

describe('erfc (gelu needs it; JavaScript has none)', () => {
  test('against Python math.erfc at worked points, both branches and the reflection', () => {
    // python3 -c "import math; print(math.erfc(0.5), math.erfc(1), math.erfc(2), math.erfc(3), math.erfc(-1))"
    const expected = [0.4795001221869535, 0.15729920705028513, 0.004677734981047265, 2.2090496998585438e-5, 1.842700792949715];
    expectClose([0.5, 1, 2, 3, -1].map(erfc), expected, { atol: 0, rtol: 1e-14 });
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('row activations act on each row of the last axis', () => {
  // Two rows of width 2: [0, ln 3] and [0.5, 0.4].
  const rows = [0, Math.log(3), 0.5, 0.4];

  test('softmax and log_softmax: [0, ln 3] -> [1/4, 3/4]', () => {
    // exp([0, ln 3]) = [1, 3], sum 4 -> [0.25, 0.75]; row 2: exp(0.1) / (exp(0.1) + 1) = 0.52497918747894
    const y = Float64Array.from(rows);
    applyActivation('softmax', y, 2, (v) => v);
    expectClose(y, [0.25, 0.75, 0.52497918747894, 0.47502081252106], { atol: 0, rtol: 1e-13 });
    const z = Float64Array.from(rows);
    applyActivation('log_softmax', z, 2, (v) => v);
    expectClose(z, [Math.log(0.25), Math.log(0.75), Math.log(0.52497918747894), Math.log(0.47502081252106)], { atol: 0, rtol: 1e-13 });
  });

  test("sparsemax: Keras 3.15's tau, not the paper's", () => {
    // Row [0, ln 3] (ln 3 = 1.0986): sorted [1.0986, 0], cumsum [1.0986, 1.0986];
    //   k=1: 1.0986 - 0.0986/1 = 1 > 0 in the support; k=2: 0 - 0.0986/2 < 0 out. tau = (1.0986 - 1)/1 -> [0, 1].
    // Row [0.5, 0.4]: cumsum [0.5, 0.9]; k=1: 0.5 + 0.5 > 0, k=2: 0.4 + 0.1/2 = 0.45 > 0: both in.
    //   Keras: tau = (0.5 + 0.9 - 1) / 2 = 0.2 -> [0.3, 0.2]   (the paper: tau = (0.9 - 1) / 2 -> [0.55, 0.45])
    const y = Float64Array.from(rows);
    applyActivation('sparsemax', y, 2, (v) => v);
    expectClose(y, [0, 1, 0.3, 0.2], { atol: 1e-15, rtol: 1e-15 });
  });

  test("sparsemax: the table's Keras examples", () => {
    const examples = (table.activations.sparsemax as unknown as { examples: { x: number[]; keras: number[] }[] }).examples;
    expect(examples.length).toBeGreaterThan(2);
    for (const { x, keras } of examples) expectClose(handValues('sparsemax', x), keras, FLOAT64);
  });

  test('float32 mode rounds every step (values stay float32)', () => {
    const y = new Float32Array([0.1, 0.2, 0.3, 0.4, 1, 2, 3, 4]);
    applyActivation('softmax', y, 4, Math.fround);
    // four float32 roundings of values below 1: the row sums to 1 within a few 2^-24
    expectClose([y[0] + y[1] + y[2] + y[3]], [1], { atol: 3e-7, rtol: 0 });
    for (const v of y) expect(Math.fround(v)).toBe(v);
  });
});
