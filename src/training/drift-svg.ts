/**
 * The picture of a training-step parity run, as hand-written SVG (no dependency; plain text, diffable), in the
 * style of the seed-002 training pictures (apps/mnist/svg.ts), with the helpers of src/plot/svg.ts:
 *
 *   top     the drift curve: the worst scaled weight difference (layer path vs hand path) after each step, on a
 *           log axis, with the tolerance as a dashed line;
 *   bottom  the loss of both paths against the steps taken (hand path solid, layer path dashed on top of it).
 *
 * Plain TypeScript, no tfjs.
 */
import { escapeXml, niceTicks, px } from '../plot/svg';

interface DriftChartInput {
  readonly title: string;
  /** A second line under the title (the optimizer, the backend). */
  readonly subtitle?: string;
  /** Worst scaled weight difference after step s + 1. */
  readonly drift: readonly number[];
  /** The tolerance at step s + 1. */
  readonly tolerance: readonly number[];
  /** The loss after s steps (s = 0 .. K) on each path: the loss before every step, then after the last. */
  readonly loss: { readonly hand: readonly number[]; readonly layer: readonly number[] };
}

const WIDTH = 760;
const HEIGHT = 560;
const LEFT = 90;
const PLOT_WIDTH = 620;

interface Axis {
  readonly top: number;
  readonly height: number;
  /** Value -> y (clamped into the panel). */
  readonly y: (value: number) => number;
}

function xOf(step: number, steps: number): number {
  return LEFT + (PLOT_WIDTH * step) / Math.max(1, steps);
}

/** A log axis over whole decades covering the finite positive values (1e-9 .. 1e-5 and so on). */
function logAxis(top: number, height: number, values: readonly number[]): Axis & { decades: number[] } {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  let low = Math.floor(Math.log10(positive.length > 0 ? Math.min(...positive) : 1e-8));
  let high = Math.ceil(Math.log10(positive.length > 0 ? Math.max(...positive) : 1e-6));
  if (high - low < 2) {
    low -= 1;
    high += 1;
  }
  const decades = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  const y = (value: number): number => {
    const exponent = Number.isFinite(value) && value > 0 ? Math.log10(value) : value > 0 ? high : low;
    const clamped = Math.min(high, Math.max(low, exponent));
    return top + height * (1 - (clamped - low) / (high - low));
  };
  return { top, height, y, decades };
}

/** A linear axis over the finite values, ending on round ticks. */
function linearAxis(top: number, height: number, values: readonly number[]): Axis & { ticks: number[] } {
  const finite = values.filter(Number.isFinite);
  let min = finite.length > 0 ? Math.min(...finite) : 0;
  let max = finite.length > 0 ? Math.max(...finite) : 1;
  if (!(max > min)) {
    const pad = Math.abs(max) * 0.01 || 1;
    min -= pad;
    max += pad;
  }
  const ticks = niceTicks(min, max, 4);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : max - min;
  const lo = Math.min(min, ticks[0] ?? min);
  const hi = Math.max(max, (ticks[ticks.length - 1] ?? max) + (ticks[ticks.length - 1] < max ? step : 0));
  const y = (value: number): number => top + height * (1 - (Math.min(hi, Math.max(lo, value)) - lo) / (hi - lo));
  return { top, height, y, ticks: ticks.filter((t) => t >= lo && t <= hi) };
}

function polyline(points: readonly [number, number][], style: string): string {
  return `<polyline fill="none" ${style} points="${points.map(([x, y]) => `${px(x)},${px(y)}`).join(' ')}"/>`;
}

function frame(axis: Axis, steps: number, label: string, showStepLabels: boolean): string[] {
  const out: string[] = [];
  const bottom = axis.top + axis.height;
  for (const s of niceTicks(0, steps, 8)) {
    const x = px(xOf(s, steps));
    out.push(`<line x1="${x}" y1="${axis.top}" x2="${x}" y2="${bottom}" stroke="#eeeeee"/>`);
    if (showStepLabels) out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${s}</text>`);
  }
  out.push(`<rect x="${LEFT}" y="${axis.top}" width="${PLOT_WIDTH}" height="${axis.height}" fill="none" stroke="#444"/>`);
  const midY = px(axis.top + axis.height / 2);
  out.push(`<text x="${LEFT - 64}" y="${midY}" text-anchor="middle" transform="rotate(-90 ${LEFT - 64} ${midY})">${escapeXml(label)}</text>`);
  return out;
}

function legend(x: number, y: number, entries: readonly { label: string; style: string }[]): string[] {
  return entries.flatMap((e, i) => [
    `<line x1="${x}" y1="${y + 18 * i}" x2="${x + 28}" y2="${y + 18 * i}" ${e.style}/>`,
    `<text x="${x + 34}" y="${y + 18 * i}" dominant-baseline="middle">${escapeXml(e.label)}</text>`,
  ]);
}

/** The drift curve (top, log scale) and both paths' losses (bottom) against the steps, 760x560. */
export function driftChartSvg(input: DriftChartInput): string {
  const steps = Math.max(1, input.drift.length);
  const driftAxis = logAxis(80, 200, [...input.drift, ...input.tolerance]);
  const lossAxis = linearAxis(340, 160, [...input.loss.hand, ...input.loss.layer]);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(input.title)}</text>`,
  ];
  if (input.subtitle) out.push(`<text x="${WIDTH / 2}" y="46" text-anchor="middle" fill="#555">${escapeXml(input.subtitle)}</text>`);

  for (const d of driftAxis.decades) {
    const y = px(driftAxis.y(10 ** d));
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${LEFT - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">1e${d}</text>`);
  }
  out.push(...frame(driftAxis, steps, 'scaled |layer - hand| of the weights', false));
  const driftPoints = input.drift.map((v, s): [number, number] => [xOf(s + 1, steps), driftAxis.y(v)]);
  out.push(
    polyline(
      input.tolerance.map((v, s) => [xOf(s + 1, steps), driftAxis.y(v)]),
      'stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"',
    ),
  );
  out.push(polyline(driftPoints, 'stroke="#1f77b4" stroke-width="2"'));
  for (const [x, y] of driftPoints.length <= 60 ? driftPoints : []) out.push(`<circle cx="${px(x)}" cy="${px(y)}" r="2.5" fill="#1f77b4"/>`);
  out.push(
    // Mid-panel: the tolerance runs along the top and the drift (float32 rounding) along the bottom.
    ...legend(LEFT + 12, driftAxis.top + driftAxis.height / 2 - 9, [
      { label: 'worst weight tensor after each step: max |layer - hand| / max |hand| so far', style: 'stroke="#1f77b4" stroke-width="2"' },
      { label: 'tolerance', style: 'stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"' },
    ]),
  );

  for (const t of lossAxis.ticks) {
    const y = px(lossAxis.y(t));
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + PLOT_WIDTH}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${LEFT - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(String(Number(t.toPrecision(6))))}</text>`);
  }
  out.push(...frame(lossAxis, steps, 'loss', true));
  // A non-finite loss (a diverged path) leaves a gap at its end: the line stops where the values do.
  const lossLine = (values: readonly number[]): [number, number][] =>
    values.flatMap((v, s): [number, number][] => (Number.isFinite(v) ? [[xOf(s, steps), lossAxis.y(v)]] : []));
  out.push(polyline(lossLine(input.loss.hand), 'stroke="#2ca02c" stroke-width="3" stroke-opacity="0.6"'));
  out.push(polyline(lossLine(input.loss.layer), 'stroke="#111111" stroke-width="1.3" stroke-dasharray="5 4"'));
  out.push(
    ...legend(LEFT + PLOT_WIDTH - 220, lossAxis.top + 16, [
      { label: 'hand path (float64)', style: 'stroke="#2ca02c" stroke-width="3" stroke-opacity="0.6"' },
      { label: 'layer path (tfjs, float32)', style: 'stroke="#111111" stroke-width="1.3" stroke-dasharray="5 4"' },
    ]),
  );
  out.push(`<text x="${LEFT + PLOT_WIDTH / 2}" y="${lossAxis.top + lossAxis.height + 40}" text-anchor="middle">optimizer steps taken</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
