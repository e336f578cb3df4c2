/**
 * The harness catches the catalogued bugs: on the cpu backend, every fault on its cheapest applicable
 * default check, and every applicable fault on each cell's default check (a subset of `npm run faults`,
 * which runs all 17 checks on tensorflow, cpu and wasm). A no-op "fault" must pass, or a catch means nothing.
 */
import { FAULTS, faultApplies, type Fault } from '../../apps/faults/catalogue';
import { DEFAULT_CHECKS, type DefaultCheck } from '../../apps/faults/default-checks';
import { faultRows, runFaultSuite, type FaultOutcome } from '../../apps/faults/run-faults';
import { gateCount } from '../../src/weights';

const NO_OP: Fault = { id: 'no-op', description: 'the shipped hand path through the fault seams', cells: ['simple', 'lstm', 'gru'], hooks: {} };

/** Multiply-adds of the recurrent layers, a proxy for the check's run time. */
function cost(check: DefaultCheck): number {
  const s = check.spec;
  return s.batch * s.timeSteps * s.layers * gateCount(s.cell) * s.units * (s.inputDim + s.units);
}

function cheapestCheck(fault: Fault): DefaultCheck {
  const applicable = DEFAULT_CHECKS.filter((c) => faultApplies(fault, c.spec)).sort((a, b) => cost(a) - cost(b));
  if (applicable.length === 0) throw new Error(`${fault.id}: expected a default check it applies to, got none`);
  return applicable[0];
}

const SUBSET = ['simple batch 4', 'lstm default', 'gru-after default', 'gru-before default'];

let outcomes: FaultOutcome[] = [];
let baselinePasses: boolean[] = [];

beforeAll(async () => {
  const names = new Set([...SUBSET, ...FAULTS.map((f) => cheapestCheck(f).name)]);
  const checks = DEFAULT_CHECKS.filter((c) => names.has(c.name));
  const result = await runFaultSuite({ backends: ['cpu'], checks, faults: [NO_OP, ...FAULTS] });
  outcomes = result.outcomes;
  baselinePasses = result.baselines.map((b) => b.pass);
});

test('the catalogue: at least 20 faults, unique ids, each applies to some default check', () => {
  expect(FAULTS.length).toBeGreaterThanOrEqual(20);
  expect(new Set(FAULTS.map((f) => f.id)).size).toBe(FAULTS.length);
  for (const fault of FAULTS) expect(DEFAULT_CHECKS.some((c) => faultApplies(fault, c.spec))).toBe(true);
});

test('the correct hand path passes every check used here, also through the fault seams', () => {
  expect(baselinePasses.length).toBeGreaterThan(0);
  expect(baselinePasses.every(Boolean)).toBe(true);
  const noOp = outcomes.filter((o) => o.fault === NO_OP.id);
  expect(noOp.length).toBe(baselinePasses.length);
  for (const o of noOp) expect({ check: o.check, caught: o.caught }).toEqual({ check: o.check, caught: false });
});

test.each(FAULTS.map((f) => [f.id, f] as const))('%s is caught on its cheapest check', (_id, fault) => {
  const check = cheapestCheck(fault).name;
  const outcome = outcomes.find((o) => o.fault === fault.id && o.check === check);
  expect(outcome).toBeDefined();
  expect({ check, caught: outcome?.caught, ratio: outcome?.ratio }).toEqual({ check, caught: true, ratio: expect.any(Number) });
  expect(outcome?.ratio).toBeGreaterThan(1);
});

test.each(SUBSET)('every applicable fault is caught on %s', (check) => {
  const mine = outcomes.filter((o) => o.check === check && o.fault !== NO_OP.id);
  expect(mine.length).toBeGreaterThan(10);
  expect(mine.filter((o) => !o.caught).map((o) => o.fault)).toEqual([]);
});

test('faultRows counts catches per fault and cell and names the escapes', () => {
  const rows = faultRows(outcomes, [NO_OP, FAULTS[0]]);
  const noOp = rows.filter((r) => r.fault === NO_OP.id);
  expect(noOp.every((r) => r.caught === 0 && r.escapes.length === r.applicable)).toBe(true);
  const first = rows.filter((r) => r.fault === FAULTS[0].id);
  expect(first.every((r) => r.caught === r.applicable && r.minRatio > 1)).toBe(true);
});
