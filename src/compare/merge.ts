/**
 * One ParityReport from the reports of consecutive chunks of samples (the first axis), equal field for field to
 * compareOutputs over the whole arrays: counts add up, maxima are maxima, and the worst element is chosen by the
 * same rule (largest excess over tolerance when any element is over, else largest |a - b|; the first in
 * row-major order on ties, so an earlier chunk wins a tie). test/compare/merge.test.ts checks the equality
 * over random arrays, chunkings, NaN/Inf and ties.
 */
import { ConfigError } from '../errors';
import type { ParityReport, Tolerance } from './compare';

/** A chunk's report and where its samples start in the whole array. */
export interface ChunkReport {
  readonly report: ParityReport;
  /** Index of the chunk's first sample in the whole array. */
  readonly firstSample: number;
}

/** The excess compareOutputs ranks over-tolerance elements by: Infinity for a non-finite pair. */
function excessOf(actual: number, expected: number, tolerance: Tolerance): number {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Infinity;
  return Math.abs(actual - expected) - (tolerance.atol + tolerance.rtol * Math.abs(expected));
}

function maxDefined(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}

/**
 * Merges chunk reports, in sample order, into the report of the whole arrays.
 * @throws ConfigError when there are no chunks, or their tolerances or per-sample shapes differ
 */
export function mergeReports(chunks: readonly ChunkReport[]): ParityReport {
  if (chunks.length === 0) throw new ConfigError('mergeReports: expected at least one chunk, got none');
  if (chunks.length === 1 && chunks[0].firstSample === 0) return chunks[0].report;
  const { tolerance } = chunks[0].report;
  const samples = (shape: readonly number[]) => shape[0] ?? 0;
  const rest = (shape: readonly number[]) => shape.slice(1).join(',');
  for (const { report } of chunks) {
    if (report.tolerance.atol !== tolerance.atol || report.tolerance.rtol !== tolerance.rtol) {
      throw new ConfigError(
        `mergeReports: expected one tolerance, got atol ${report.tolerance.atol} rtol ${report.tolerance.rtol} beside atol ${tolerance.atol}`,
      );
    }
    if (rest(report.actualShape) !== rest(chunks[0].report.actualShape) || rest(report.expectedShape) !== rest(chunks[0].report.expectedShape)) {
      throw new ConfigError('mergeReports: expected chunks of one array (the same shape after the first axis), got different shapes');
    }
  }
  const first = chunks[0].report;
  const actualShape = [chunks.reduce((n, c) => n + samples(c.report.actualShape), 0), ...first.actualShape.slice(1)];
  const expectedShape = [chunks.reduce((n, c) => n + samples(c.report.expectedShape), 0), ...first.expectedShape.slice(1)];
  const shapeMatch = chunks.every((c) => c.report.shapeMatch);
  const merged: ParityReport = {
    pass: false,
    shapeMatch,
    actualShape,
    expectedShape,
    elements: 0,
    maxAbsError: NaN,
    maxRelError: NaN,
    worstIndex: null,
    worstActual: NaN,
    worstExpected: NaN,
    overTolerance: 0,
    nonFinite: {
      actual: chunks.reduce((n, c) => n + c.report.nonFinite.actual, 0),
      expected: chunks.reduce((n, c) => n + c.report.nonFinite.expected, 0),
    },
    tolerance: { ...tolerance },
  };
  if (!shapeMatch) return merged;

  let worst: { chunk: ChunkReport; key: number } | undefined;
  const anyOver = chunks.some((c) => c.report.overTolerance > 0);
  for (const chunk of chunks) {
    const { report } = chunk;
    merged.elements += report.elements;
    merged.overTolerance += report.overTolerance;
    merged.maxAbsError = maxDefined(merged.maxAbsError, report.maxAbsError);
    merged.maxRelError = maxDefined(merged.maxRelError, report.maxRelError);
    if (report.worstIndex === null) continue;
    if (anyOver && report.overTolerance === 0) continue;
    const key = anyOver ? excessOf(report.worstActual, report.worstExpected, tolerance) : report.maxAbsError;
    // Strictly greater: on a tie the earlier chunk (first in row-major order) keeps it, as in one pass.
    if (worst === undefined || key > worst.key) worst = { chunk, key };
  }
  merged.pass = merged.overTolerance === 0;
  if (worst) {
    const { report, firstSample } = worst.chunk;
    const index = report.worstIndex as number[];
    merged.worstIndex = [index[0] + firstSample, ...index.slice(1)];
    merged.worstActual = report.worstActual;
    merged.worstExpected = report.worstExpected;
  }
  if (first.perStepMaxAbsError !== undefined) {
    merged.perStepMaxAbsError = first.perStepMaxAbsError.map((_, t) => chunks.reduce((m, c) => maxDefined(m, c.report.perStepMaxAbsError?.[t] ?? NaN), NaN));
  }
  return merged;
}
