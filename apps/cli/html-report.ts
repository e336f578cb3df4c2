/**
 * `--report FILE.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) with the model
 * summary, each comparison, the error per time step and per layer as plots, the tolerance and its reason, and
 * the known tfjs-vs-Keras differences that applied to this model. test/cli/html-report.test.ts opens it in a
 * real browser (Debian's chromium through playwright-core).
 */
import { formatIndex, type ParityReport } from '../../src/compare/compare';
import type { ModelCheckResult } from '../../src/graph/check';
import type { LayerError } from '../../src/graph/layer-errors';
import { escapeXml, px } from '../../src/plot/svg';
import { formatShape } from '../../src/tensor';
import type { ModelSource } from './model-source';

const WIDTH = 720;
const HEIGHT = 260;
const LEFT = 70;
const RIGHT = 20;
const TOP = 30;
const BOTTOM = 60;

function number(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value === 0 ? '0' : Math.abs(value) < 1e-3 || Math.abs(value) >= 1e4 ? value.toExponential(2) : value.toPrecision(4);
}

/** A log axis over positive values (zeros drawn at the floor): decades from the smallest to the largest. */
function logScale(values: readonly number[]): { y: (v: number) => number; decades: number[]; floor: number } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const low = Math.floor(Math.log10(positive.length > 0 ? Math.min(...positive) : 1e-9));
  const high = Math.ceil(Math.log10(positive.length > 0 ? Math.max(...positive) : 1e-6));
  const [a, b] = high > low ? [low, high] : [low - 1, low + 1];
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => TOP + plot - (plot * (Math.log10(Math.max(v, 10 ** a)) - a)) / (b - a);
  return { y, decades: Array.from({ length: b - a + 1 }, (_, k) => 10 ** (a + k)), floor: 10 ** a };
}

function frame(title: string, decades: readonly number[], y: (v: number) => number): string[] {
  const out = [`<text x="${LEFT}" y="18" class="title">${escapeXml(title)}</text>`];
  for (const d of decades) {
    out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(d))}" y2="${px(y(d))}" class="grid"/>`);
    out.push(`<text x="${LEFT - 6}" y="${px(y(d) + 4)}" text-anchor="end">${d.toExponential(0)}</text>`);
  }
  return out;
}

/** Bars of each layer's max |layer - hand|, with the tolerance as a dashed line. */
function layerPlot(errors: readonly LayerError[], atol: number): string {
  const values = [...errors.map((e) => e.maxAbsError), atol];
  const { y, decades } = logScale(values);
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, errors.length);
  const out = frame('max |layer path - hand path| per layer (log scale); dashed: atol', decades, y);
  errors.forEach((e, k) => {
    const x = LEFT + k * slot + slot * 0.15;
    const top = Number.isFinite(e.maxAbsError) ? y(e.maxAbsError) : TOP;
    out.push(
      `<rect x="${px(x)}" y="${px(top)}" width="${px(slot * 0.7)}" height="${px(HEIGHT - BOTTOM - top)}" class="${Number.isFinite(e.maxAbsError) ? 'bar' : 'bad'}"><title>${escapeXml(`${e.layer}: ${number(e.maxAbsError)}`)}</title></rect>`,
    );
    if (e.maxAbsError === 0) out.push(`<text x="${px(x + slot * 0.35)}" y="${HEIGHT - BOTTOM - 4}" text-anchor="middle" class="small">exact</text>`);
    const label = e.layer.length > 14 ? `${e.layer.slice(0, 13)}…` : e.layer;
    out.push(`<text x="${px(x + slot * 0.35)}" y="${HEIGHT - BOTTOM + 14}" text-anchor="middle" class="small">${escapeXml(label)}</text>`);
  });
  out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(atol))}" y2="${px(y(atol))}" class="tolerance"/>`);
  return svg('per-layer', out);
}

/** One line per series: the max error at each time step. */
function stepPlot(title: string, series: readonly { name: string; perStep: readonly number[] }[], atol: number): string {
  const { y, decades } = logScale([...series.flatMap((s) => s.perStep), atol]);
  const steps = Math.max(...series.map((s) => s.perStep.length));
  const x = (t: number) => LEFT + ((WIDTH - LEFT - RIGHT) * t) / Math.max(1, steps - 1);
  const out = frame(title, decades, y);
  series.forEach((s, k) => {
    const points = s.perStep.map((v, t) => `${px(x(t))},${px(y(Number.isFinite(v) ? v : 0))}`).join(' ');
    out.push(`<polyline points="${points}" class="series s${k % 4}"><title>${escapeXml(s.name)}</title></polyline>`);
    out.push(`<text x="${WIDTH - RIGHT}" y="${TOP + 14 * k}" text-anchor="end" class="small s${k % 4}">${escapeXml(s.name)}</text>`);
  });
  out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(atol))}" y2="${px(y(atol))}" class="tolerance"/>`);
  out.push(`<text x="${LEFT}" y="${HEIGHT - BOTTOM + 30}" class="small">time step 0 .. ${steps - 1}</text>`);
  return svg('per-step', out);
}

function svg(kind: string, body: readonly string[]): string {
  return `<svg class="plot ${kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">${body.join('')}</svg>`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function comparisonRow(output: string, name: string, r: ParityReport): string[] {
  const worst = r.worstIndex ? `${formatIndex(r.worstIndex)}: ${number(r.worstActual)} vs ${number(r.worstExpected)}` : '';
  return [output, name, r.pass ? 'PASS' : 'FAIL', number(r.maxAbsError), number(r.maxRelError), worst, `${r.overTolerance} of ${r.elements}`];
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}
.PASS{color:#17663a;font-weight:bold}.FAIL{color:#b00020;font-weight:bold}
svg text{font-size:11px;fill:#333}svg .title{font-size:13px;font-weight:bold}svg .small{font-size:10px}
.grid{stroke:#e4e4e4}.bar{fill:#4a78b0}.bad{fill:#b00020}.tolerance{stroke:#b00020;stroke-dasharray:6 4}
.series{fill:none;stroke-width:1.6}polyline.s0{stroke:#4a78b0}polyline.s1{stroke:#d08020}polyline.s2{stroke:#2a9060}polyline.s3{stroke:#8040a0}
text.s0{fill:#4a78b0}text.s1{fill:#d08020}text.s2{fill:#2a9060}text.s3{fill:#8040a0}code{background:#f3f3f3;padding:0 3px}`;

/** The whole page. */
export function htmlReport(source: ModelSource, result: ModelCheckResult, errors: readonly LayerError[], title: string): string {
  const verdict = result.pass ? 'PASS' : 'FAIL';
  const t = result.tolerance;
  const reason = t.userAtol ? 'as given' : `the default for K = ${t.reductionSize}, the longest dot product: 2e-6 * max(1, sqrt(K/16))`;
  const sequenceComparisons = result.comparisons.filter((c) => (c.report.perStepMaxAbsError?.length ?? 0) > 1);
  const stepSeries =
    sequenceComparisons.length > 0
      ? sequenceComparisons.map((c) => ({ name: `${c.output}: ${c.name}`, perStep: c.report.perStepMaxAbsError as number[] }))
      : errors.filter((e) => (e.perStep?.length ?? 0) > 1).map((e) => ({ name: `${e.layer} (layer vs hand)`, perStep: e.perStep as number[] }));
  const notes = result.layers.flatMap((l) => l.notes.map((n) => [l.name, n.text]));
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(`rnn-parity ${verdict}: ${title}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>rnn-parity: <span class="${verdict}">${verdict}</span> ${escapeXml(title)}</h1>`,
    `<p>${escapeXml(`${source.path ?? 'the flags preset'}, ${result.samples.toLocaleString('en-US')} samples (inputs ${result.inputShapes.map((s) => formatShape(s)).join(', ')}), seed ${result.seed}, hand path ${result.precision}, backend ${result.backend.name} (tfjs-core ${result.backend.versions['tfjs-core'] ?? '?'})`)}</p>`,
    '<h2>Comparisons</h2>',
    table(
      ['output', 'comparison', 'verdict', 'max |diff|', 'max rel', 'worst element', 'over tolerance'],
      result.comparisons.map((c) => comparisonRow(c.output, c.name, c.report)),
    ),
    `<p>Tolerance: <code>atol ${number(t.base.atol)} + rtol ${number(t.base.rtol)} * |ref|</code>, ${escapeXml(reason)}.</p>`,
    ...t.widened.map(
      (w) => `<p>${escapeXml(`"${w.output}": float32 floor ${number(w.float32Floor)} (hand path float32 vs float64), so atol ${number(w.atol)}`)}</p>`,
    ),
    '<h2>Where the paths part</h2>',
    layerPlot(errors, t.base.atol),
    stepSeries.length > 0
      ? stepPlot('max |diff| per time step (log scale); dashed: atol', stepSeries, t.base.atol)
      : '<p>No sequence output or layer: no per-step plot.</p>',
    table(
      ['layer', 'output shape', 'max |layer - hand|', 'max |hand|'],
      errors.map((e) => [e.layer, formatShape(e.shape), number(e.maxAbsError), number(e.maxAbs)]),
    ),
    '<h2>Model</h2>',
    table(
      ['layer (type)', 'output shape', 'params', 'weights', 'inputs', 'options'],
      result.layers.map((l) => [
        `${l.name} (${l.type})`,
        l.outputShape.map((d) => d ?? 'None').join(', '),
        String(l.parameters),
        l.weightShapes.map((s) => formatShape(s)).join(' '),
        l.inbound.join(', '),
        l.options,
      ]),
    ),
    `<p>Total params: ${result.totalParameters.toLocaleString('en-US')}</p>`,
    '<h2>Where tfjs and Keras differ in this model, and what rnn-parity did</h2>',
    notes.length > 0 ? table(['layer', 'note'], notes) : '<p>None of the known differences applies to this model.</p>',
    `<p class="small">time: layer path ${number(result.timingsMs.layerPath)} ms, hand path ${number(result.timingsMs.handPath)} ms, comparison ${number(result.timingsMs.compare)} ms</p>`,
    '</body></html>',
  ];
  return `${parts.join('\n')}\n`;
}
