/**
 * The gradient section of the report (--gradients), for people and for --json.
 *
 *   Gradients of the <loss> loss (targets ...): loss <hand> (hand) / <layer> (layer path)
 *   one row per tensor: shape, max |g|, then each comparison's scaled error with ok / FAIL
 *   the worst element of every failing comparison, the tolerances and their reasons
 *   GRADIENTS PASS / FAIL
 */
import { formatError } from '../../src/compare/summary';
import type { GradientCheckResult, GradientPair, TensorGradientRow } from '../../src/graph/gradient-check';
import { unravelIndex } from '../../src/io/finite';
import { formatShape } from '../../src/tensor';

const PAIRS: readonly GradientPair[] = ['layer vs hand', 'hand vs finite differences', 'hand vs Keras', 'layer vs Keras'];

/** Where the targets came from, in words. */
function targetText(result: GradientCheckResult, targetFiles: readonly string[]): string {
  if (result.targetSource === 'none') return 'no targets';
  if (result.targetSource === 'given') return `targets ${targetFiles.join(', ')}`;
  return `seeded targets (np.random.seed(${result.seed} + 1000 + k) per output k)`;
}

function cell(row: TensorGradientRow, pair: GradientPair): string {
  const c = row.comparisons.find((x) => x.pair === pair);
  if (!c) return '';
  // Every finite-difference probe crossed a kink (relu at 0, a clip's edge): nothing judged.
  if (pair === 'hand vs finite differences' && !row.probes.some((p) => p.smooth)) return 'kinks only';
  return `${formatError(c.difference.scaledMaxError)} ${c.difference.pass ? 'ok' : 'FAIL'}`;
}

function worstLine(row: TensorGradientRow, pair: GradientPair): string | undefined {
  const c = row.comparisons.find((x) => x.pair === pair);
  if (!c || c.difference.pass) return undefined;
  const d = c.difference;
  const where = d.worstIndex < 0 ? 'along a random direction' : `at ${formatShape(unravelIndex(d.worstIndex, row.shape))}`;
  const [actual, expected] = pair === 'hand vs finite differences' ? ['hand', 'finite differences'] : pair.split(' vs ');
  return `  ${row.name} ${pair}: worst ${where}: ${actual} ${d.worstActual}, ${expected} ${d.worstExpected} (|diff| ${formatError(d.maxAbsError)}, max |g| ${formatError(d.scale)}${d.nonFinite > 0 ? `, ${d.nonFinite} non-finite` : ''})`;
}

/** The text section. */
export function formatGradientReport(result: GradientCheckResult, targetFiles: readonly string[] = []): string {
  const out: string[] = [];
  const layerLoss = result.lossValue.layer !== undefined ? ` / ${result.lossValue.layer} (layer path, float32)` : '';
  out.push(`Gradients of the ${result.loss} loss (${targetText(result, targetFiles)}): loss ${result.lossValue.hand} (hand, float64)${layerLoss}`);
  const pairs = PAIRS.filter((p) => result.rows.some((r) => r.comparisons.some((c) => c.pair === p)));
  const header = ['tensor', 'shape', 'max |g|', ...pairs];
  const table = result.rows.map((row) => [row.name, formatShape(row.shape), formatError(row.maxAbs), ...pairs.map((p) => cell(row, p))]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  out.push(line(header), ...table.map(line));
  const worst = result.rows.flatMap((row) => pairs.map((p) => worstLine(row, p)).filter((l): l is string => l !== undefined));
  if (worst.length > 0) out.push(...worst);
  for (const fix of result.tfjsFixes) out.push(`tfjs fix applied: ${fix}`);
  for (const w of result.widened) {
    out.push(
      `  ${w.tensor}: float32 floor (hand path float32 vs float64) ${formatError(w.float32Floor)}; the default was exceeded, so the float32 tolerance is ${formatError(w.tolerance)} = 4 x floor (a gradient made by cancellation)`,
    );
  }
  if (result.layerPathError !== undefined) out.push(`layer path: ${result.layerPathError} (a tfjs user cannot train this model on this backend)`);
  if (result.inputsError !== undefined) out.push(`layer path: ${result.inputsError}; its weights' gradients are compared`);
  const t = result.tolerances;
  out.push(
    `tolerance (max |a - b| / max |b| per tensor): float32 paths ${formatError(t.float32)} (float32 autodiff against float64, grows with sqrt(K/16)), ` +
      `finite differences ${formatError(t.finiteDifferences)}, float64 Keras ${formatError(t.float64)}`,
  );
  const comparisons = result.rows.flatMap((r) => r.comparisons);
  const failed = comparisons.filter((c) => !c.difference.pass).length;
  out.push(
    result.layerPathError !== undefined
      ? `GRADIENTS FAIL  the layer path cannot be differentiated; ${failed} of ${comparisons.length} other comparisons over tolerance`
      : failed === 0
        ? `GRADIENTS PASS  all ${comparisons.length} comparisons of ${result.rows.length} tensors are within tolerance`
        : `GRADIENTS FAIL  ${failed} of ${comparisons.length} comparisons over tolerance`,
  );
  return `${out.join('\n')}\n`;
}

/** The `gradients` field of the --json report. */
export function gradientReportObject(result: GradientCheckResult, targetFiles: readonly string[] = []): Record<string, unknown> {
  return {
    pass: result.pass,
    loss: result.loss,
    lossValue: result.lossValue,
    targets: result.targetSource === 'given' ? { from: targetFiles } : { from: result.targetSource },
    tolerances: result.tolerances,
    tfjsFixes: result.tfjsFixes,
    widened: result.widened,
    layerPathError: result.layerPathError ?? null,
    inputsError: result.inputsError ?? null,
    tensors: result.rows.map((row) => ({
      name: row.name,
      shape: row.shape,
      maxAbs: row.maxAbs,
      norm: row.norm,
      comparisons: row.comparisons.map((c) => ({ pair: c.pair, ...c.difference })),
      finiteDifferenceProbes: row.probes,
    })),
    timingsMs: result.timingsMs,
  };
}
