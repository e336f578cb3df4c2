/**
 * The hand forward's fault seam (ForwardFaults, where the fault suite injects its bugs): the schedule branch
 * of the time loop run with the shipped schedule gives the shipped result bit for bit, or a "caught" fault
 * might only be that branch's own difference; then each hook does what it says. No tfjs.
 */
import { forwardHand, type ForwardFaults } from '../../src/hand/forward';
import { shippedSchedule } from '../../src/hand/recurrent';
import type { CellKind } from '../../src/spec';
import { identityHead, model, randomInput, randomLayer } from './build';

const CELLS: [string, CellKind, boolean][] = [
  ['simple', 'simple', false],
  ['lstm', 'lstm', false],
  ['gru reset_after', 'gru', true],
  ['gru reset_before', 'gru', false],
];

function grid(): [string, CellKind, boolean, boolean, boolean, number][] {
  const rows: [string, CellKind, boolean, boolean, boolean, number][] = [];
  for (const [name, cell, resetAfter] of CELLS) {
    for (const goBackwards of [false, true]) {
      for (const returnSequences of [false, true]) {
        for (const layers of [1, 2]) {
          rows.push([
            `${name}${goBackwards ? ' backwards' : ''}${returnSequences ? ' sequences' : ''} x${layers}`,
            cell,
            resetAfter,
            goBackwards,
            returnSequences,
            layers,
          ]);
        }
      }
    }
  }
  return rows;
}

const IDENTITY_HOOKS: ForwardFaults = {
  weights: (w) => w,
  input: (x) => x,
  cell: (cell) => cell,
  schedule: shippedSchedule,
  output: (y) => y,
};

function buildModel(cell: CellKind, resetAfter: boolean, goBackwards: boolean, returnSequences: boolean, layers: number) {
  const units = 3;
  const stack = Array.from({ length: layers }, (_, k) =>
    randomLayer(100 + 10 * k, cell, k === 0 ? 2 : units, units, {
      resetAfter,
      goBackwards,
      returnSequences: k === layers - 1 ? returnSequences : true,
    }),
  );
  return model(stack, identityHead(units));
}

test.each(grid())('the shipped schedule and identity hooks = no hooks, bit for bit: %s', (_title, cell, resetAfter, goBackwards, returnSequences, layers) => {
  const weights = buildModel(cell, resetAfter, goBackwards, returnSequences, layers);
  const x = randomInput(7, 3, 5, 2);
  for (const precision of ['float64', 'float32'] as const) {
    const expected = forwardHand(weights, x, precision);
    const actual = forwardHand(weights, x, precision, IDENTITY_HOOKS);
    expect(actual.shape).toEqual(expected.shape);
    expect(Array.from(actual.data)).toEqual(Array.from(expected.data));
  }
});

test('shippedSchedule reads T-1-s at iteration s with goBackwards and fills slot s', () => {
  expect(shippedSchedule(3, false)).toEqual([
    { read: 0, slot: 0 },
    { read: 1, slot: 1 },
    { read: 2, slot: 2 },
  ]);
  expect(shippedSchedule(3, true)).toEqual([
    { read: 2, slot: 0 },
    { read: 1, slot: 1 },
    { read: 0, slot: 2 },
  ]);
});

test('schedule hook: an iteration left out leaves its output slot at zero (identity head, zero bias)', () => {
  const weights = buildModel('simple', false, false, true, 1);
  const x = randomInput(7, 1, 4, 2);
  const y = forwardHand(weights, x, 'float64', { schedule: (T, back) => shippedSchedule(T, back).slice(1) });
  expect(Array.from(y.data.subarray(0, 3))).toEqual([0, 0, 0]);
  // Skipping step 0 from a zero state = reading steps 1..3 only; slot 1 is then the state after one step.
  const rest = { shape: [1, 3, 2], data: x.data.slice(2) };
  const firstOfRest = forwardHand(weights, rest);
  expect(Array.from(y.data.subarray(3, 6))).toEqual(Array.from(firstOfRest.data.subarray(0, 3)));
});

test('cell hook sees each layer once, with its state still zero', () => {
  const weights = buildModel('lstm', false, false, false, 2);
  const seen: number[] = [];
  forwardHand(weights, randomInput(7, 2, 3, 2), 'float64', {
    cell: (cell, layer) => {
      seen.push(layer.inputDim);
      expect(Array.from(cell.h).every((v) => v === 0)).toBe(true);
      return cell;
    },
  });
  expect(seen).toEqual([2, 3]);
});

test('weights, input and output hooks see what the hand path would', () => {
  const weights = buildModel('gru', true, false, false, 1);
  const x = randomInput(7, 2, 3, 2);
  const y = forwardHand(weights, x, 'float64', {
    weights: (w) => (expect(w).toBe(weights), w),
    input: (i) => (expect(i).toBe(x), i),
    output: (o) => ({ shape: o.shape, data: o.data.map((v) => -v) }),
  });
  expect(Array.from(y.data)).toEqual(Array.from(forwardHand(weights, x).data, (v) => -v));
});
