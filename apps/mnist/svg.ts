/**
 * Pictures of a training run, as hand-written SVG (no dependency; plain text, diffable):
 *   trainingChartSvg: loss and accuracy against steps, two panels sharing the step axis; each per-step
 *     batch value as a faint line, its 50-step moving average bold, the test accuracy as a dashed line;
 *   digitGridSvg: 28x28 test digits as grayscale pixel grids (a unit square per inked pixel), each captioned
 *     with its true and predicted label;
 *   gapChartSvg: per-step gaps on a log axis (tfjs's loss against Keras's, docs/mnist-adam-forms.svg).
 */
import { escapeXml, niceTicks, niceUpperBound, px } from '../../src/plot/svg';

/** Mean of the last `window` values at every index (shorter at the start). */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window];
    out.push(sum / Math.min(i + 1, window));
  });
  return out;
}

interface Panel {
  readonly top: number;
  readonly height: number;
  readonly yMin: number;
  readonly yMax: number;
  readonly yLabel: string;
  readonly formatY: (v: number) => string;
}

interface Frame {
  readonly left: number;
  readonly width: number;
  readonly steps: number;
}

function xOf(frame: Frame, step: number): number {
  return frame.left + (frame.width * step) / frame.steps;
}

function yOf(panel: Panel, value: number): number {
  const clamped = Math.min(panel.yMax, Math.max(panel.yMin, value));
  return panel.top + panel.height * (1 - (clamped - panel.yMin) / (panel.yMax - panel.yMin));
}

/** A polyline through (step i+1, values[i]); thinned to at most ~2 points per pixel column. */
function polyline(frame: Frame, panel: Panel, values: readonly number[], style: string): string {
  const stride = Math.max(1, Math.floor(values.length / (2 * frame.width)));
  const points: string[] = [];
  for (let i = 0; i < values.length; i += stride) points.push(`${px(xOf(frame, i + 1))},${px(yOf(panel, values[i]))}`);
  if ((values.length - 1) % stride !== 0) points.push(`${px(xOf(frame, values.length))},${px(yOf(panel, values[values.length - 1]))}`);
  return `<polyline fill="none" ${style} points="${points.join(' ')}"/>`;
}

function axes(frame: Frame, panel: Panel, showStepLabels: boolean): string[] {
  const out: string[] = [];
  const bottom = panel.top + panel.height;
  const right = frame.left + frame.width;
  for (const v of niceTicks(panel.yMin, panel.yMax, 5)) {
    const y = px(yOf(panel, v));
    out.push(`<line x1="${frame.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${frame.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(panel.formatY(v))}</text>`);
  }
  for (const s of niceTicks(0, frame.steps, 8)) {
    const x = px(xOf(frame, s));
    out.push(`<line x1="${x}" y1="${panel.top}" x2="${x}" y2="${bottom}" stroke="#eeeeee"/>`);
    if (showStepLabels) out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${s}</text>`);
  }
  out.push(`<rect x="${frame.left}" y="${panel.top}" width="${frame.width}" height="${panel.height}" fill="none" stroke="#444"/>`);
  const midY = px(panel.top + panel.height / 2);
  out.push(
    `<text x="${frame.left - 58}" y="${midY}" text-anchor="middle" transform="rotate(-90 ${frame.left - 58} ${midY})">${escapeXml(panel.yLabel)}</text>`,
  );
  return out;
}

interface TrainingChartInput {
  /** The bold first line: about 80 characters fit the 900 px width. */
  readonly title: string;
  /** Set-up details for the second line, before the legend (the title would overflow with them). */
  readonly details?: string;
  /** Per-step batch loss and accuracy (0-1), step 1 first. */
  readonly loss: readonly number[];
  readonly accuracy: readonly number[];
  /** Test-set accuracy (0-1) and what it was measured on, drawn as a dashed line. */
  readonly testAccuracy?: { readonly accuracy: number; readonly label: string };
  /** Steps averaged by the bold line. */
  readonly window?: number;
}

/** Loss (top) and accuracy (bottom) against training steps, 900x640. */
export function trainingChartSvg(input: TrainingChartInput): string {
  const window = input.window ?? 50;
  const steps = Math.max(1, input.loss.length);
  const frame: Frame = { left: 90, width: 780, steps };
  const lossMax = Math.max(0.5, ...input.loss.filter(Number.isFinite));
  const lossPanel: Panel = {
    top: 70,
    height: 220,
    yMin: 0,
    yMax: niceUpperBound(lossMax),
    yLabel: 'loss (softmax cross-entropy)',
    formatY: (v) => v.toFixed(1),
  };
  const accPanel: Panel = { top: 340, height: 220, yMin: 0, yMax: 1, yLabel: 'accuracy', formatY: (v) => `${Math.round(v * 100)}%` };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="640" viewBox="0 0 900 640" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">`,
    '<rect width="900" height="640" fill="white"/>',
    `<text x="450" y="28" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(input.title)}</text>`,
    `<text x="450" y="50" text-anchor="middle" fill="#555">${input.details ? `${escapeXml(input.details)}; ` : ''}faint: each batch; bold: mean of the last ${window} steps</text>`,
    ...axes(frame, lossPanel, false),
    polyline(frame, lossPanel, input.loss, 'stroke="#d62728" stroke-opacity="0.3" stroke-width="1"'),
    polyline(frame, lossPanel, movingAverage(input.loss, window), 'stroke="#d62728" stroke-width="2.2"'),
    ...axes(frame, accPanel, true),
    polyline(frame, accPanel, input.accuracy, 'stroke="#1f77b4" stroke-opacity="0.3" stroke-width="1"'),
    polyline(frame, accPanel, movingAverage(input.accuracy, window), 'stroke="#1f77b4" stroke-width="2.2"'),
    `<text x="${frame.left + frame.width / 2}" y="${accPanel.top + accPanel.height + 44}" text-anchor="middle">training step (batch)</text>`,
  ];
  if (input.testAccuracy) {
    const y = px(yOf(accPanel, input.testAccuracy.accuracy));
    out.push(`<line x1="${frame.left}" y1="${y}" x2="${frame.left + frame.width}" y2="${y}" stroke="#2ca02c" stroke-width="1.6" stroke-dasharray="6 4"/>`);
    // A trained model's batch accuracy runs just under its test line: put the label low, where no curve is.
    const labelY = input.testAccuracy.accuracy > 0.5 ? yOf(accPanel, 0.3) : yOf(accPanel, input.testAccuracy.accuracy) - 8;
    out.push(
      `<text x="${frame.left + frame.width - 8}" y="${px(labelY)}" text-anchor="end" fill="#2ca02c" font-weight="bold">${escapeXml(input.testAccuracy.label)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface DigitCell {
  /** size x size bytes, 0 background to 255 ink. */
  readonly pixels: Uint8Array;
  /** Caption lines under the digit, e.g. ['true 4, predicted 9', 'test #247']. */
  readonly caption: readonly string[];
}

/**
 * A grid of digits, `columns` per row, each pixel a `scale` x `scale` square shaded 255 - value (ink dark);
 * background pixels (0) are left to the white cell, so only inked pixels are drawn.
 * @param size the digits' side in pixels (28 for MNIST)
 */
export function digitGridSvg(title: string, cells: readonly DigitCell[], size = 28, columns = 8, scale = 4): string {
  const side = size * scale;
  const cellWidth = side + 24;
  const cellHeight = side + 46;
  const rows = Math.max(1, Math.ceil(cells.length / columns));
  const width = Math.max(columns, 1) * cellWidth + 24;
  const height = 56 + rows * cellHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="30" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  cells.forEach((cell, k) => {
    const x0 = 24 + (k % columns) * cellWidth;
    const y0 = 48 + Math.floor(k / columns) * cellHeight;
    out.push(`<g transform="translate(${x0} ${y0})">`);
    out.push(`<rect width="${side}" height="${side}" fill="white" stroke="#999"/>`);
    // One unit per pixel, scaled up once; one path per gray level, a unit square per pixel ("M3 5h1v1h-1z"):
    // a third of the bytes of one <rect> per pixel.
    out.push(`<g transform="scale(${scale})" shape-rendering="crispEdges">`);
    const squares = new Map<number, string[]>();
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const value = cell.pixels[r * size + c];
        if (value === 0) continue;
        const list = squares.get(value) ?? [];
        list.push(`M${c} ${r}h1v1h-1z`);
        squares.set(value, list);
      }
    }
    for (const [value, list] of [...squares].sort((a, b) => a[0] - b[0])) {
      const shade = (255 - value).toString(16).padStart(2, '0');
      out.push(`<path fill="#${shade}${shade}${shade}" d="${list.join('')}"/>`);
    }
    out.push('</g>');
    cell.caption.forEach((line, i) => {
      out.push(
        `<text x="${side / 2}" y="${side + 16 + 15 * i}" text-anchor="middle"${i === 0 ? ' font-weight="bold"' : ' fill="#555"'}>${escapeXml(line)}</text>`,
      );
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** One curve of a gap chart. */
interface GapSeries {
  readonly label: string;
  /** An SVG colour, e.g. '#d62728'. */
  readonly color: string;
  /** Per step, step 1 first: a non-negative gap (0 is drawn at the floor). */
  readonly values: readonly number[];
}

interface GapChartInput {
  readonly title: string;
  /** A second line under the title (what is measured against what). */
  readonly subtitle: string;
  readonly yLabel: string;
  readonly series: readonly GapSeries[];
  /** The lowest value drawn (log axis): smaller values and zeros sit on it. Default 1e-9. */
  readonly floor?: number;
  /** Steps averaged by the bold lines. Default 25. */
  readonly window?: number;
}

/** A log axis's frame: one grid line and label per power of ten, the lowest labelled "≤" (the floor). */
function decadeAxes(frame: Frame, panel: Panel): string[] {
  const out: string[] = [];
  const right = frame.left + frame.width;
  for (let d = panel.yMin; d <= panel.yMax; d++) {
    const y = px(yOf(panel, d));
    out.push(`<line x1="${frame.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${frame.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${d === panel.yMin ? '≤' : ''}1e${d}</text>`);
  }
  const bottom = panel.top + panel.height;
  for (const step of niceTicks(0, frame.steps, 8)) {
    const x = px(xOf(frame, step));
    out.push(`<line x1="${x}" y1="${panel.top}" x2="${x}" y2="${bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${step}</text>`);
  }
  out.push(`<rect x="${frame.left}" y="${panel.top}" width="${frame.width}" height="${panel.height}" fill="none" stroke="#444"/>`);
  const midY = px(panel.top + panel.height / 2);
  out.push(
    `<text x="${frame.left - 58}" y="${midY}" text-anchor="middle" transform="rotate(-90 ${frame.left - 58} ${midY})">${escapeXml(panel.yLabel)}</text>`,
  );
  return out;
}

/**
 * Gaps against training steps on a log axis, 900x460: each series per step as a faint line and its moving average
 * bold, named in a legend above the plot. For differences that grow over orders of magnitude (tfjs against Keras,
 * step by step).
 */
export function gapChartSvg(input: GapChartInput): string {
  const window = input.window ?? 25;
  const floor = input.floor ?? 1e-9;
  const steps = Math.max(1, ...input.series.map((s) => s.values.length));
  const frame: Frame = { left: 90, width: 780, steps };
  const largest = Math.max(floor * 10, ...input.series.flatMap((s) => s.values.filter(Number.isFinite)));
  // A log axis is a linear one over log10(value), from the floor's decade to the largest value's.
  const panel: Panel = {
    top: 96,
    height: 280,
    yMin: Math.floor(Math.log10(floor)),
    yMax: Math.ceil(Math.log10(largest)),
    yLabel: input.yLabel,
    formatY: (v) => `1e${v}`,
  };
  const toLog = (values: readonly number[]) => values.map((v) => Math.log10(Math.max(floor, v)));
  const legendWidth = frame.width / Math.max(1, input.series.length);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="460" viewBox="0 0 900 460" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">`,
    '<rect width="900" height="460" fill="white"/>',
    `<text x="450" y="28" text-anchor="middle" font-size="17" font-weight="bold">${escapeXml(input.title)}</text>`,
    `<text x="450" y="50" text-anchor="middle" fill="#555">${escapeXml(input.subtitle)}</text>`,
    ...decadeAxes(frame, panel),
  ];
  input.series.forEach((s, k) => {
    out.push(polyline(frame, panel, toLog(s.values), `stroke="${s.color}" stroke-opacity="0.25" stroke-width="1"`));
    out.push(polyline(frame, panel, toLog(movingAverage(s.values, window)), `stroke="${s.color}" stroke-width="2.2"`));
    const x = px(frame.left + k * legendWidth);
    out.push(`<line x1="${x}" y1="76" x2="${px(frame.left + k * legendWidth + 24)}" y2="76" stroke="${s.color}" stroke-width="2.2"/>`);
    out.push(`<text x="${px(frame.left + k * legendWidth + 30)}" y="76" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push(
    `<text x="${frame.left + frame.width / 2}" y="${panel.top + panel.height + 44}" text-anchor="middle">training step (faint: each step; bold: mean of the last ${window} steps)</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
