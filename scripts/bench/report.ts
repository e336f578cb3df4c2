/** The bench's text output: the results table, layer-path overhead, quick start, targets. */
import type { CellKind } from '../../src/spec';
import { median, type Timing } from './timing';
import { msOf, type Implementation, type ResultRow } from './results';
import type { StartupResult } from './startup';
import { describeWorkload, workloadFlops, type Workload } from './workloads';
import type { RequireRecord } from './require-trace';

/** 3 significant digits, never exponent notation: 0.0081, 0.110, 10.9, 1073. */
function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(2);
}

export function formatRatio(ratio: number): string {
  if (ratio >= 100) return ratio.toFixed(0);
  if (ratio >= 10) return ratio.toFixed(1);
  return ratio.toFixed(2);
}

const LABEL_WIDTH = 31;
const COLUMN = [9, 8, 8];

function cellColumns(row: ResultRow | undefined, numpy: number | undefined, keras: number | undefined): string {
  if (row === undefined) return ''.padStart(COLUMN[0]) + ''.padStart(COLUMN[1]) + ''.padStart(COLUMN[2]);
  const m = row.measurement;
  if (m.status !== 'ok') {
    const word = m.status === 'skipped' ? 'skipped' : 'failed';
    return word.padStart(COLUMN[0]) + '—'.padStart(COLUMN[1]) + '—'.padStart(COLUMN[2]);
  }
  const ms = `${formatMs(m.medianMs)}${m.samples === 0 ? '*' : ''}`;
  const ratio = (reference: number | undefined) => (reference === undefined ? '—' : formatRatio(m.medianMs / reference));
  return ms.padStart(COLUMN[0]) + ratio(numpy).padStart(COLUMN[1]) + ratio(keras).padStart(COLUMN[2]);
}

/** One block per workload: implementations down, cells across, each cell as ms, ×NumPy, ×Keras. */
export function formatResultsTable(
  rows: readonly ResultRow[],
  workloads: readonly Workload[],
  cells: readonly CellKind[],
  impls: readonly Implementation[],
): string {
  const lines: string[] = [
    'ms: median per forward pass (* = one cold run only: the warm-up took over half the budget).',
    "×NumPy, ×Keras: this time / the NumPy loop's (Keras's) time on the same model and input; < 1 is faster.",
  ];
  const find = (w: string, c: CellKind, impl: string) => rows.find((r) => r.workload === w && r.cell === c && r.impl === impl);
  for (const workload of workloads) {
    if (!rows.some((r) => r.workload === workload.name)) continue;
    const gflop = cells.map((c) => `${c} ${(workloadFlops(workload, c) / 1e9).toPrecision(3)}`).join(', ');
    lines.push('', `${workload.name}  ${describeWorkload(workload)}  (GFLOP per pass: ${gflop})`);
    const groupWidth = COLUMN.reduce((a, b) => a + b, 0);
    lines.push(''.padEnd(LABEL_WIDTH) + cells.map((c) => c.padStart(COLUMN[0]).padEnd(groupWidth)).join('   '));
    lines.push(
      'implementation'.padEnd(LABEL_WIDTH) +
        cells.map(() => 'ms'.padStart(COLUMN[0]) + '×NumPy'.padStart(COLUMN[1]) + '×Keras'.padStart(COLUMN[2])).join('   '),
    );
    const notes: string[] = [];
    for (const impl of impls) {
      const cellRows = cells.map((c) => find(workload.name, c, impl.id));
      if (cellRows.every((r) => r === undefined)) continue;
      const columns = cells.map((c, k) => cellColumns(cellRows[k], msOf(find(workload.name, c, 'numpy')), msOf(find(workload.name, c, 'keras'))));
      lines.push(impl.label.padEnd(LABEL_WIDTH) + columns.join('   '));
      cellRows.forEach((r, k) => {
        if (r && r.measurement.status !== 'ok') notes.push(`  ${impl.label.trim()}, ${cells[k]}: ${r.measurement.reason}`);
      });
    }
    lines.push(...notes);
  }
  return lines.join('\n');
}

/** One backend x workload x cell of the layer-path overhead comparison. */
export interface OverheadCase {
  readonly backend: string;
  readonly workload: string;
  readonly cell: CellKind;
  readonly predict: Timing;
  readonly predictLayers: Timing;
  readonly inputCopy?: Timing;
}

/** Every case where both model.predict and predictLayers were timed. */
export function overheadCases(rows: readonly ResultRow[], backends: readonly string[]): OverheadCase[] {
  const cases: OverheadCase[] = [];
  for (const r of rows) {
    const [backend, what] = r.impl.split(':');
    if (what !== 'predict' || !backends.includes(backend) || r.measurement.status !== 'ok') continue;
    const sibling = (name: string) => rows.find((o) => o.workload === r.workload && o.cell === r.cell && o.impl === `${backend}:${name}`)?.measurement;
    const tool = sibling('predictLayers');
    const copy = sibling('inputCopy');
    if (tool?.status !== 'ok') continue;
    cases.push({
      backend,
      workload: r.workload,
      cell: r.cell,
      predict: r.measurement,
      predictLayers: tool,
      inputCopy: copy?.status === 'ok' ? copy : undefined,
    });
  }
  return cases;
}

/**
 * predictLayers / model.predict from paired samples: the median over rounds of (predictLayers in round i)
 * / (model.predict in round i). Pairing cancels load that drifts from one round to the next.
 */
export function pairedRatio(c: OverheadCase): number {
  const a = c.predict.samplesMs;
  const b = c.predictLayers.samplesMs;
  const n = Math.min(a.length, b.length);
  if (n === 0) return c.predictLayers.medianMs / c.predict.medianMs;
  return median(Array.from({ length: n }, (_, i) => b[i] / a[i]));
}

/** predictLayers / model.predict per backend, workload and cell (target <= 1.10). */
export function formatOverhead(cases: readonly OverheadCase[]): string {
  const lines = [
    'Layer-path overhead: predictLayers (host array in, host array out) / model.predict (tensor in, dataSync out),',
    "same model, samples interleaved. paired: median over rounds of the two samples' ratio (judged; target <= 1.10);",
    "min: ratio of the fastest samples. input copy: predictLayers's extra work alone (host input -> new tensor -> dispose).",
    `  ${'backend'.padEnd(11)}${'workload'.padEnd(9)}${'cell'.padEnd(7)}${'predict ms'.padStart(11)}${'predictLayers'.padStart(14)}${'paired'.padStart(8)}${'min'.padStart(7)}   input copy`,
  ];
  for (const c of cases) {
    const copy = c.inputCopy ? `${formatMs(c.inputCopy.medianMs)} ms (${((100 * c.inputCopy.medianMs) / c.predict.medianMs).toFixed(1)}%)` : '—';
    lines.push(
      `  ${c.backend.padEnd(11)}${c.workload.padEnd(9)}${c.cell.padEnd(7)}${formatMs(c.predict.medianMs).padStart(11)}${formatMs(c.predictLayers.medianMs).padStart(14)}` +
        `${pairedRatio(c).toFixed(2).padStart(8)}${(c.predictLayers.minMs / c.predict.minMs).toFixed(2).padStart(7)}   ${copy}`,
    );
  }
  return lines.join('\n');
}

/** The startup table and the ratios the issue asks for. */
export function formatStartup(results: readonly StartupResult[]): string {
  const lines = ['Quick start: whole processes, median wall time (runs in turns after a warm-up round)'];
  for (const r of results) {
    lines.push(
      `  ${r.label.padEnd(58)} ${formatMs(r.medianMs).padStart(7)} ms  (min ${formatMs(r.minMs)}, ${r.runs} runs${r.status === 0 ? '' : `, exit ${r.status}`})`,
    );
  }
  const ms = (id: string) => results.find((r) => r.id === id)?.medianMs;
  const pairs: [string, string, string][] = [
    ['cli-tensorflow', 'bare-tfjs-node', 'rnn-parity --seed 42 / bare tfjs-node'],
    ['cli-cpu', 'bare-tfjs-cpu', 'rnn-parity --backend cpu / bare tfjs (cpu)'],
  ];
  for (const [a, b, label] of pairs) {
    const [ma, mb] = [ms(a), ms(b)];
    if (ma && mb) lines.push(`  ${label}: ${(ma / mb).toFixed(2)}x (target <= 1.20)`);
  }
  return lines.join('\n');
}

/** The slowest first loads of a traced CLI run. */
export function formatTrace(records: readonly RequireRecord[], top: number): string {
  const lines = [`Slowest module loads of one traced \`rnn-parity --seed 42\` (inclusive ms; nested loads are inside their parent's time):`];
  for (const r of records.slice(0, top)) {
    lines.push(`  ${r.ms.toFixed(0).padStart(5)} ms  ${r.from} -> ${r.to}${r.to === r.request ? '' : `  (${r.request})`}`);
  }
  return lines.join('\n');
}
