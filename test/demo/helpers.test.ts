/**
 * The demo's small helpers: NumPy-style arrays (rows.ts), printing (print.ts), the comparison ledger that sets
 * the exit code (comparison-log.ts) and the --backend flag (args.ts), all under scripts/demo/.
 */
import { parseDemoArgs } from '../../scripts/demo/args';
import { ComparisonLog } from '../../scripts/demo/comparison-log';
import { ConfigError } from '../../src/errors';
import { compareGradients } from '../../src/gradients/compare-gradients';
import { formatMatrix, formatNumber, formatVector, sideBySide } from '../../scripts/demo/print';
import { dot, float32, fromMatrix, plus, plusRow, stackSteps, stepOf, tanh, toNdArray, toRows, toRows3, zeros } from '../../scripts/demo/rows';

describe('rows: the NumPy operations the seeds use', () => {
  test('dot: [1, 2] x [2, 3] -> [1, 3]', () => {
    // [1, 2]·[[1, 2, 3], [4, 5, 6]] = [1*1 + 2*4, 1*2 + 2*5, 1*3 + 2*6] = [9, 12, 15]
    expect(
      dot(
        [[1, 2]],
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ),
    ).toEqual([[9, 12, 15]]);
  });

  test('dot: [2, 2] x [2, 1] -> [2, 1]', () => {
    // [[1, 2], [3, 4]]·[[5], [6]] = [[1*5 + 2*6], [3*5 + 4*6]] = [[17], [39]]
    expect(
      dot(
        [
          [1, 2],
          [3, 4],
        ],
        [[5], [6]],
      ),
    ).toEqual([[17], [39]]);
  });

  test('plus, plusRow (bias broadcast over rows), tanh, zeros', () => {
    expect(
      plus(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [10, 20],
          [30, 40],
        ],
      ),
    ).toEqual([
      [11, 22],
      [33, 44],
    ]);
    expect(
      plusRow(
        [
          [1, 2],
          [3, 4],
        ],
        [10, 20],
      ),
    ).toEqual([
      [11, 22],
      [13, 24],
    ]);
    expect(tanh([[0, 0.6]])).toEqual([[0, Math.tanh(0.6)]]);
    expect(zeros(2, 3)).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  test('float32 rounds each value once', () => {
    // 0.01 is not a float32; Math.fround(0.01) = 0.009999999776482582
    expect(float32([[0.01, 1]])).toEqual([[0.009999999776482582, 1]]);
  });

  test('stackSteps: time-major [X0, X1] -> batch-major [batch][t]', () => {
    const X0 = [
      [0, 1],
      [2, 3],
      [4, 5],
    ];
    const X1 = [
      [100, 101],
      [102, 103],
      [104, 105],
    ];
    expect(stackSteps([X0, X1])).toEqual([
      [
        [0, 1],
        [100, 101],
      ],
      [
        [2, 3],
        [102, 103],
      ],
      [
        [4, 5],
        [104, 105],
      ],
    ]);
  });

  test('toNdArray / toRows / toRows3 / stepOf round-trip in C order', () => {
    const nested = [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]; // [2, 3, 2]
    const array = toNdArray(nested);
    expect(array.shape).toEqual([2, 3, 2]);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(toRows3(array)).toEqual(nested);
    expect(stepOf(array, 1)).toEqual([
      [3, 4],
      [9, 10],
    ]);
    expect(
      toRows(
        toNdArray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toNdArray([1, 2]).shape).toEqual([2]);
  });

  test('fromMatrix reads a row-major weight Matrix', () => {
    const m = { rows: 2, cols: 3, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    expect(fromMatrix(m)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});

describe('print: NumPy with precision=8, floatmode="fixed"', () => {
  test('formatNumber: 8 decimals, a space for the sign', () => {
    // np.set_printoptions(precision=8, floatmode='fixed'); np.random.seed(42); print(np.random.randn(3))
    //   [ 0.49671415 -0.13826430  0.64768854]
    expect(formatVector([0.4967141530112327, -0.13826430117118466, 0.6476885381006925])).toBe('[ 0.49671415 -0.13826430  0.64768854]');
    expect(formatNumber(1)).toBe(' 1.00000000');
    expect(formatNumber(NaN)).toBe('        NaN');
  });

  test('formatMatrix lines continuation rows up under the first', () => {
    expect(
      formatMatrix(
        [
          [1, -2],
          [3, 4],
        ],
        'W = ',
      ),
    ).toEqual(['W = [[ 1.00000000 -2.00000000]', '     [ 3.00000000  4.00000000]]']);
  });

  test('sideBySide: on one line when narrow', () => {
    const lines = sideBySide(['y[0]'], [[0.5]], [[-0.5]], ['left', 'right']);
    expect(lines).toEqual(['        left            right', '  y[0]  [ 0.50000000]   [-0.50000000]']);
  });

  test('sideBySide: one row under the other when wide', () => {
    const wide = [new Array(5).fill(0.25)];
    const lines = sideBySide(['Y0[0]'], wide, wide, ['tfjs', 'hand']);
    expect(lines).toHaveLength(2);
    expect(lines[0].lastIndexOf('[')).toBe(lines[1].lastIndexOf('['));
  });
});

describe('ComparisonLog: what decides the exit code', () => {
  const tolerance = { atol: 1e-6, rtol: 0 };
  const nd = (values: number[]) => ({ shape: [values.length], data: Float64Array.from(values) });

  test('prints one line per comparison and passes when all are within tolerance', () => {
    const printed: string[] = [];
    const log = new ComparisonLog((line) => printed.push(line));
    log.compare('seed 000', 'case A', nd([0.5, 0.25]), nd([0.5, 0.2500001]), tolerance);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^ {2}case A: PASS {2}max\|diff\| 1\.00e-7/);
    expect(log.allPass()).toBe(true);
    expect(log.summaryLines()).toEqual(['  seed 000: case A  max|diff| 1.00e-7   PASS', '  All 1 comparisons pass.']);
  });

  test('one comparison over tolerance fails the whole run, and the summary says which', () => {
    const log = new ComparisonLog(() => undefined);
    log.compare('a', 'fine', nd([1]), nd([1]), tolerance);
    log.compare('b', 'off', nd([1]), nd([1.5]), tolerance);
    expect(log.allPass()).toBe(false);
    const lines = log.summaryLines();
    expect(lines[1]).toMatch(/^ {2}b: off .* FAIL$/);
    expect(lines[2]).toBe('  1 of 2 comparisons are over tolerance.');
  });

  test('a scaled comparison (gradients, trained weights) prints its scale and tolerance and counts like the others', () => {
    const printed: string[] = [];
    const log = new ComparisonLog((line) => printed.push(line));
    // |a - b| = 2e-8 at most, max |b| = 0.5: scaled 4e-8, under 1e-5
    log.recordScaled('seed 002', 'gradients', compareGradients([0.5, -0.25 + 2e-8], [0.5, -0.25], 1e-5));
    expect(printed).toEqual(['  gradients: PASS  scaled max|diff| 4.00e-8 (max|diff| 2.00e-8, max|ref| 5.00e-1); tolerance 1.00e-5']);
    log.recordScaled('seed 002', 'weights', compareGradients([1.1], [1], 1e-5));
    expect(log.allPass()).toBe(false);
    expect(log.summaryLines()[1]).toMatch(/^ {2}seed 002: weights +max\|diff\| 1\.00e-1 +FAIL$/);
  });

  test('no comparison at all is not a pass', () => {
    const log = new ComparisonLog(() => undefined);
    expect(log.allPass()).toBe(false);
    expect(log.summaryLines()).toEqual(['  No comparisons were made.']);
  });
});

describe('parseDemoArgs', () => {
  test('--backend defaults to auto and takes a backend name', () => {
    expect(parseDemoArgs([])).toEqual({ backend: 'auto' });
    expect(parseDemoArgs(['--backend', 'wasm'])).toEqual({ backend: 'wasm' });
    expect(parseDemoArgs(['--backend=cpu'])).toEqual({ backend: 'cpu' });
  });

  test('an unknown backend or flag is a ConfigError naming it', () => {
    expect(() => parseDemoArgs(['--backend', 'nope'])).toThrow(ConfigError);
    expect(() => parseDemoArgs(['--backend', 'nope'])).toThrow(/nope/);
    expect(() => parseDemoArgs(['--seed', '1'])).toThrow(/seed/);
  });
});
