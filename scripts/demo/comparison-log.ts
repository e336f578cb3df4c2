/**
 * The demo's ledger: every comparison it makes, printed as it happens and listed again in the summary,
 * which also decides the exit code (0 when all pass).
 */
import { compareOutputs, type ParityReport, type Tolerance } from '../../src/compare/compare';
import { formatError, summarizeReport } from '../../src/compare/summary';
import type { GradientDifference } from '../../src/gradients/compare-gradients';
import type { NdArray } from '../../src/tensor';

/** One comparison the demo made: elementwise (a ParityReport) or scaled (a GradientDifference). */
interface Comparison {
  readonly section: string;
  readonly label: string;
  readonly pass: boolean;
  /** max |actual - expected|. */
  readonly maxAbsError: number;
  /** Elementwise: |actual - expected| <= atol + rtol*|expected| for every element. */
  readonly report?: ParityReport;
  /** Scaled, as gradients and trained weights are judged: max |actual - expected| / max |expected| <= tolerance. */
  readonly scaled?: GradientDifference;
}

/** `PASS  scaled max|diff| 1.2e-6 (max|diff| 3.0e-9, max|ref| 2.5e-3); tolerance 2e-5`. */
function summarizeScaled(d: GradientDifference): string {
  const nonFinite = d.nonFinite > 0 ? `; ${d.nonFinite} non-finite` : '';
  return `${d.pass ? 'PASS' : 'FAIL'}  scaled max|diff| ${formatError(d.scaledMaxError)} (max|diff| ${formatError(d.maxAbsError)}, max|ref| ${formatError(d.scale)}); tolerance ${formatError(d.tolerance)}${nonFinite}`;
}

export class ComparisonLog {
  readonly entries: Comparison[] = [];

  /** @param print where each comparison's one-line verdict goes (console.log in the demo). */
  constructor(private readonly print: (line: string) => void) {}

  /**
   * Compares `actual` against the reference `expected` (|actual - expected| <= atol + rtol*|expected|),
   * prints `  label: PASS  max|diff| ...` and records it.
   */
  compare(section: string, label: string, actual: NdArray, expected: NdArray, tolerance: Tolerance): ParityReport {
    const report = compareOutputs(actual, expected, tolerance);
    this.entries.push({ section, label, pass: report.pass, maxAbsError: report.maxAbsError, report });
    this.print(`  ${label}: ${summarizeReport(report)}`);
    return report;
  }

  /** Records a comparison made elsewhere (checkModel's) and prints its verdict. */
  record(section: string, label: string, report: ParityReport): void {
    this.entries.push({ section, label, pass: report.pass, maxAbsError: report.maxAbsError, report });
    this.print(`  ${label}: ${summarizeReport(report)}`);
  }

  /** Records a scaled comparison (a gradient or a trained weight, src/gradients/compare-gradients.ts) and prints its verdict. */
  recordScaled(section: string, label: string, difference: GradientDifference): void {
    this.entries.push({ section, label, pass: difference.pass, maxAbsError: difference.maxAbsError, scaled: difference });
    this.print(`  ${label}: ${summarizeScaled(difference)}`);
  }

  /** True when every recorded comparison passed (and at least one was made). */
  allPass(): boolean {
    return this.entries.length > 0 && this.entries.every((c) => c.pass);
  }

  /** One line per comparison (section: label, max|diff|, PASS or FAIL), then the count. */
  summaryLines(): string[] {
    const names = this.entries.map((c) => `${c.section}: ${c.label}`);
    const width = Math.max(0, ...names.map((n) => n.length));
    const lines = this.entries.map((c, i) => `  ${names[i].padEnd(width)}  max|diff| ${formatError(c.maxAbsError).padEnd(8)}  ${c.pass ? 'PASS' : 'FAIL'}`);
    const failed = this.entries.filter((c) => !c.pass).length;
    if (this.entries.length === 0) lines.push('  No comparisons were made.');
    else lines.push(failed === 0 ? `  All ${this.entries.length} comparisons pass.` : `  ${failed} of ${this.entries.length} comparisons are over tolerance.`);
    return lines;
  }
}
