/**
 * Runs the fault catalogue against the real layer path: for each default check and backend, one runCheck
 * (build the seeded tfjs model, extract its weights, run both paths, compare), then every applicable fault's
 * hand path on the same weights and input, compared with the same layer output at the default tolerance.
 * Library code: returns outcomes, reports progress through a callback, never prints.
 */
import type { BackendName } from '../../src/backends';
import { runCheck } from '../../src/check';
import { compareOutputs, type Tolerance } from '../../src/compare/compare';
import { defaultTolerance } from '../../src/compare/tolerance';
import { forwardHand } from '../../src/hand/forward';
import { FAULTS, faultApplies, type Fault } from './catalogue';
import { cellVariant, DEFAULT_CHECKS, type CellVariant, type DefaultCheck } from './default-checks';
import { toleranceRatio } from './margin';

/** One fault on one check and backend. */
export interface FaultOutcome {
  readonly fault: string;
  readonly check: string;
  readonly cell: CellVariant;
  readonly backend: BackendName;
  /** The comparison failed: the harness saw the bug. */
  readonly caught: boolean;
  /** max |layer - faulty hand|. */
  readonly maxAbsError: number;
  /** max |layer - faulty hand| / allowed over the elements (> 1: caught). */
  readonly ratio: number;
  readonly tolerance: Tolerance;
}

/** The correct hand path on one check and backend: it must pass, or the fault outcomes mean nothing. */
interface Baseline {
  readonly check: string;
  readonly backend: BackendName;
  readonly pass: boolean;
  readonly maxAbsError: number;
  readonly ratio: number;
}

interface FaultSuiteOptions {
  readonly backends: readonly BackendName[];
  readonly checks?: readonly DefaultCheck[];
  readonly faults?: readonly Fault[];
  /** Called after each check, e.g. to print progress on stderr. */
  readonly onCheckDone?: (check: DefaultCheck, backend: BackendName, done: number, total: number) => void;
}

interface FaultSuiteResult {
  readonly outcomes: FaultOutcome[];
  readonly baselines: Baseline[];
}

/**
 * Every applicable (fault, check, backend).
 * @throws BackendUnavailableError when a backend cannot load; ShapeError if a fault breaks the shapes (a bug here).
 */
export async function runFaultSuite(options: FaultSuiteOptions): Promise<FaultSuiteResult> {
  const checks = options.checks ?? DEFAULT_CHECKS;
  const faults = options.faults ?? FAULTS;
  const outcomes: FaultOutcome[] = [];
  const baselines: Baseline[] = [];
  const total = checks.length * options.backends.length;
  let done = 0;
  for (const backend of options.backends) {
    for (const check of checks) {
      const result = await runCheck({ spec: check.spec, seed: check.seed, backend, precision: 'float64' });
      const tolerance = defaultTolerance(check.spec);
      baselines.push({
        check: check.name,
        backend,
        pass: result.report.pass,
        maxAbsError: result.report.maxAbsError,
        ratio: toleranceRatio(result.layerOutput, result.handOutput, tolerance),
      });
      for (const fault of faults) {
        if (!faultApplies(fault, check.spec)) continue;
        const faulty = forwardHand(result.weights, result.input, 'float64', fault.hooks);
        const report = compareOutputs(result.layerOutput, faulty, tolerance);
        outcomes.push({
          fault: fault.id,
          check: check.name,
          cell: cellVariant(check.spec),
          backend,
          caught: !report.pass,
          maxAbsError: report.maxAbsError,
          ratio: toleranceRatio(result.layerOutput, faulty, tolerance),
          tolerance,
        });
      }
      options.onCheckDone?.(check, backend, ++done, total);
    }
  }
  return { outcomes, baselines };
}

/** One row of the fault table: a fault on one cell variant, over every applicable check and backend. */
export interface FaultRow {
  readonly fault: string;
  readonly cell: CellVariant;
  readonly caught: number;
  readonly applicable: number;
  readonly minError: number;
  readonly maxError: number;
  /** The weakest catch: the smallest error / allowed ratio (> 1 when every check caught it). */
  readonly minRatio: number;
  readonly atolMin: number;
  readonly atolMax: number;
  /** `check on backend` for every check that let the fault through. */
  readonly escapes: string[];
}

/** Groups outcomes by (fault, cell): faults in catalogue order, cells in the order the checks ran. */
export function faultRows(outcomes: readonly FaultOutcome[], faults: readonly Fault[] = FAULTS): FaultRow[] {
  const rows: FaultRow[] = [];
  for (const fault of faults) {
    const mine = outcomes.filter((o) => o.fault === fault.id);
    const cells = [...new Set(mine.map((o) => o.cell))];
    for (const cell of cells) {
      const group = mine.filter((o) => o.cell === cell);
      const errors = group.map((o) => o.maxAbsError);
      const atols = group.map((o) => o.tolerance.atol);
      rows.push({
        fault: fault.id,
        cell,
        caught: group.filter((o) => o.caught).length,
        applicable: group.length,
        minError: Math.min(...errors),
        maxError: Math.max(...errors),
        minRatio: Math.min(...group.map((o) => o.ratio)),
        atolMin: Math.min(...atols),
        atolMax: Math.max(...atols),
        escapes: group.filter((o) => !o.caught).map((o) => `${o.check} on ${o.backend}`),
      });
    }
  }
  return rows;
}
