/** Issue 8's targets, judged on this run's numbers. */
import { msOf, type ResultRow } from './results';
import type { StartupResult } from './startup';
import { formatRatio, pairedRatio, type OverheadCase } from './report';
import type { Estimated } from './subjects';

interface TargetResult {
  readonly target: string;
  /** undefined: not measured in this run. */
  readonly met: boolean | undefined;
  readonly detail: string;
}

/** A row's median, or its probe estimate when it was skipped (flagged). */
function timeOrEstimate(m: Estimated | undefined): { ms: number; estimated: boolean } | undefined {
  if (m === undefined) return undefined;
  if (m.status === 'ok') return { ms: m.medianMs, estimated: false };
  return m.estimateMs === undefined ? undefined : { ms: m.estimateMs, estimated: true };
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'MET' : 'MISSED';
}

/** The hand path (float64, SimpleRNN) against naive and NumPy on medium and large; quick start; overhead. */
export function judgeTargets(rows: readonly ResultRow[], startup: readonly StartupResult[], overhead: readonly OverheadCase[]): TargetResult[] {
  const results: TargetResult[] = [];
  const row = (w: string, impl: string) => rows.find((r) => r.workload === w && r.cell === 'simple' && r.impl === impl);
  for (const workload of ['medium', 'large']) {
    const threads = msOf(row(workload, 'hand-f64-threads'));
    const single = msOf(row(workload, 'hand-f64'));
    const hand = threads ?? single;
    const which = threads !== undefined ? 'hand f64 with threads' : 'hand f64, 1 thread';
    const naive = timeOrEstimate(row(workload, 'naive')?.measurement);
    if (hand === undefined || naive === undefined) {
      results.push({ target: `${workload} simple: hand f64 >= 10x the naive loop`, met: undefined, detail: 'not measured in this run' });
    } else {
      const speedup = naive.ms / hand;
      results.push({
        target: `${workload} simple: hand f64 >= 10x the naive loop`,
        met: speedup >= 10,
        detail: `${which} ${hand.toFixed(1)} ms vs naive ${naive.estimated ? 'est. ' : ''}${naive.ms.toFixed(0)} ms = ${formatRatio(speedup)}x faster`,
      });
    }
  }
  // Issue 16: the hand path (wasm kernel, threads) within 2x of NumPy's float64 loop, every cell measured.
  // Against the faster NumPy of the two (default BLAS threads, or one): on a loaded machine OpenBLAS's threads
  // can be many times slower than one thread, and the target should not profit from that.
  for (const workload of ['medium', 'large']) {
    for (const cell of [...new Set(rows.filter((r) => r.workload === workload).map((r) => r.cell))]) {
      const rowOf = (impl: string) => rows.find((r) => r.workload === workload && r.cell === cell && r.impl === impl);
      const threads = msOf(rowOf('hand-f64-threads'));
      const hand = threads ?? msOf(rowOf('hand-f64'));
      const which = threads !== undefined ? 'hand f64 with threads' : 'hand f64, 1 thread';
      const ts = msOf(rowOf('hand-f64-ts'));
      const numpys = [
        { name: 'NumPy (default BLAS threads)', ms: msOf(rowOf('numpy')) },
        { name: 'NumPy (1 BLAS thread)', ms: msOf(rowOf('numpy-1t')) },
      ].filter((n): n is { name: string; ms: number } => n.ms !== undefined);
      const target = `${workload} ${cell}: hand f64 within 2x of the NumPy f64 loop`;
      if (hand === undefined || numpys.length === 0) {
        results.push({ target, met: undefined, detail: 'not measured in this run (no Python?)' });
        continue;
      }
      const best = numpys.reduce((a, b) => (b.ms < a.ms ? b : a));
      const ratio = hand / best.ms;
      results.push({
        target,
        met: ratio <= 2,
        detail:
          `${which} ${hand.toFixed(1)} ms vs ${numpys.map((n) => `${n.name} ${n.ms.toFixed(1)} ms`).join(', ')}: ${formatRatio(ratio)}x the faster` +
          (ts !== undefined ? ` (1 thread: TS kernel ${ts.toFixed(1)} ms, wasm ${msOf(rowOf('hand-f64'))?.toFixed(1) ?? '-'} ms)` : ''),
      });
    }
  }
  const ms = (id: string) => startup.find((s) => s.id === id)?.medianMs;
  const [cli, bare] = [ms('cli-tensorflow'), ms('bare-tfjs-node')];
  results.push(
    cli && bare
      ? {
          target: 'quick start: rnn-parity --seed 42 within 1.2x of bare tfjs-node + tiny predict',
          met: cli / bare <= 1.2,
          detail: `${cli.toFixed(0)} ms vs ${bare.toFixed(0)} ms = ${(cli / bare).toFixed(2)}x`,
        }
      : { target: 'quick start within 1.2x', met: undefined, detail: 'not measured in this run (--no-startup)' },
  );
  if (overhead.length > 0) {
    // Judged on paired ratios (median over rounds of predictLayers_i / predict_i): on a shared machine the
    // plain medians of two runs drift apart by more than the 10% asked for. Cases timed by one cold run
    // only have no pairs and are left out.
    const ratios = overhead
      .filter((c) => c.predict.samples > 0 && c.predictLayers.samples > 0)
      .map((c) => ({ label: `${c.backend} ${c.workload} ${c.cell}`, ratio: pairedRatio(c), min: c.predictLayers.minMs / c.predict.minMs }));
    const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a), { label: 'none', ratio: 0, min: 0 });
    const over = ratios.filter((r) => r.ratio > 1.1);
    results.push({
      target: 'layer path: predictLayers within 1.1x of model.predict (paired ratio)',
      met: ratios.length === 0 ? undefined : over.length === 0,
      detail:
        `${ratios.length - over.length} of ${ratios.length} cases within 1.1x; worst ${worst.label} ${worst.ratio.toFixed(2)}x (ratio of minima ${worst.min.toFixed(2)}x)` +
        (over.length > 0 ? `; over: ${over.map((o) => `${o.label} ${o.ratio.toFixed(2)}x`).join(', ')}` : ''),
    });
  }
  return results;
}

export function formatTargets(targets: readonly TargetResult[]): string {
  return ['Targets (issue 8), judged on this run:', ...targets.map((t) => `  ${verdict(t.met).padEnd(12)} ${t.target}: ${t.detail}`)].join('\n');
}
