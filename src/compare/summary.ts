/**
 * One line a person can read from a ParityReport, for the CLI and the demo:
 *   PASS  max|diff| 2.98e-8 (rel 1.10e-7) at (sample 0, unit 1); 0 of 2 over atol 1e-5 + rtol 1e-5*|ref|
 *   FAIL  1 of 2 over atol 1e-5 + rtol 1e-5*|ref|; worst at (sample 0, unit 1): actual 0.52, ref 0.51, |diff| 1.00e-2 (rel 1.96e-2)
 */
import { formatShape } from '../tensor';
import { formatIndex, ParityReport, Tolerance } from './compare';

/** Renders a report as one line, starting with PASS or FAIL; never throws for a report compareOutputs made. */
export function summarizeReport(report: ParityReport): string {
  const verdict = report.pass ? 'PASS' : 'FAIL';
  if (!report.shapeMatch) {
    return `${verdict}  shape mismatch: actual ${formatShape(report.actualShape)}, expected ${formatShape(report.expectedShape)}`;
  }
  if (report.elements === 0) {
    return `${verdict}  0 elements in shape ${formatShape(report.actualShape)}; nothing to compare`;
  }
  const where = report.worstIndex === null ? '' : ` at ${formatIndex(report.worstIndex)}`;
  const count = `${report.overTolerance} of ${report.elements} over ${formatTolerance(report.tolerance)}`;
  if (report.pass) {
    return `${verdict}  max|diff| ${formatError(report.maxAbsError)} (rel ${formatError(report.maxRelError)})${where}; ${count}`;
  }
  const worstDiff = Math.abs(report.worstActual - report.worstExpected);
  const worstRel = worstDiff / Math.abs(report.worstExpected);
  const values = `actual ${report.worstActual}, ref ${report.worstExpected}`;
  const errors = Number.isFinite(worstDiff) ? `, |diff| ${formatError(worstDiff)} (rel ${formatError(worstRel)})` : '';
  const { actual, expected } = report.nonFinite;
  const nonFinite = actual + expected > 0 ? `; non-finite: actual ${actual}, ref ${expected}` : '';
  return `${verdict}  ${count}; worst${where}: ${values}${errors}${nonFinite}`;
}

/** `atol 1e-5 + rtol 1e-5*|ref|`: the bound each |actual - ref| is held to. */
export function formatTolerance(tolerance: Tolerance): string {
  return `atol ${formatBound(tolerance.atol)} + rtol ${formatBound(tolerance.rtol)}*|ref|`;
}

/** An error level to 3 significant digits: 2.98e-8; 0, NaN and Infinity as themselves. */
export function formatError(x: number): string {
  return x === 0 || !Number.isFinite(x) ? String(x) : x.toExponential(2);
}

/** Tolerances to 3 significant digits, trailing zeros dropped: 1e-5, 0, 6.24e-6, 0.01. */
function formatBound(x: number): string {
  if (x === 0 || (x >= 1e-3 && x < 1e4)) return String(Number(x.toPrecision(3)));
  return x.toExponential(2).replace(/\.?0+e/, 'e');
}
