/**
 * The demo's ledger: every comparison it makes, printed as it happens and listed again in the summary,
 * which also decides the exit code (0 when all pass).
 */
import { compareOutputs, type ParityReport, type Tolerance } from '../../src/compare/compare';
import { formatError, summarizeReport } from '../../src/compare/summary';
import type { NdArray } from '../../src/tensor';

/** One comparison the demo made. */
export interface Comparison {
  readonly section: string;
  readonly label: string;
  readonly report: ParityReport;
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
    this.entries.push({ section, label, report });
    this.print(`  ${label}: ${summarizeReport(report)}`);
    return report;
  }

  /** Records a comparison made elsewhere (checkModel's) and prints its verdict. */
  record(section: string, label: string, report: ParityReport): void {
    this.entries.push({ section, label, report });
    this.print(`  ${label}: ${summarizeReport(report)}`);
  }

  /** True when every recorded comparison passed (and at least one was made). */
  allPass(): boolean {
    return this.entries.length > 0 && this.entries.every((c) => c.report.pass);
  }

  /** One line per comparison (section: label, max|diff|, PASS or FAIL), then the count. */
  summaryLines(): string[] {
    const names = this.entries.map((c) => `${c.section}: ${c.label}`);
    const width = Math.max(0, ...names.map((n) => n.length));
    const lines = this.entries.map(
      (c, i) => `  ${names[i].padEnd(width)}  max|diff| ${formatError(c.report.maxAbsError).padEnd(8)}  ${c.report.pass ? 'PASS' : 'FAIL'}`,
    );
    const failed = this.entries.filter((c) => !c.report.pass).length;
    if (this.entries.length === 0) lines.push('  No comparisons were made.');
    else lines.push(failed === 0 ? `  All ${this.entries.length} comparisons pass.` : `  ${failed} of ${this.entries.length} comparisons are over tolerance.`);
    return lines;
  }
}
