/**
 * The bench's plot, written by hand: GFLOP/s per workload and implementation, one panel per cell,
 * grouped bars on a log scale. Measurements that were skipped or failed show as a grey × on the axis.
 */
import type { CellKind } from '../../src/spec';
import { gflops, type Implementation, type ResultRow } from './results';
import type { Workload } from './workloads';

/** Tableau 10, in order; enough for 10 plotted implementations. */
const COLOURS = ['#4e79a7', '#a0cbe8', '#f28e2b', '#e15759', '#59a14f', '#8cd17d', '#b6992d', '#76b7b2', '#b07aa1', '#ff9da7', '#9c755f', '#79706e'];

const WIDTH = 1000;
const MARGIN = { left: 70, right: 20 };
const PANEL_HEIGHT = 230;
const PANEL_GAP = 45;
const LEGEND_ROW = 18;
const LEGEND_COLUMNS = 3;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Renders the plot; `subtitle` carries the machine and load. */
export function renderSvg(
  rows: readonly ResultRow[],
  workloads: readonly Workload[],
  cells: readonly CellKind[],
  impls: readonly Implementation[],
  subtitle: string,
): string {
  const shownWorkloads = workloads.filter((w) => rows.some((r) => r.workload === w.name));
  const plotted = impls.filter((i) => i.plotted && rows.some((r) => r.impl === i.id));
  const values = rows.map(gflops).filter((v): v is number => v !== undefined && v > 0);
  const low = Math.floor(Math.log10(Math.min(...values, 1)));
  const high = Math.ceil(Math.log10(Math.max(...values, 1)));

  const legendRows = Math.ceil(plotted.length / LEGEND_COLUMNS);
  const top = 60 + legendRows * LEGEND_ROW + 15;
  const height = top + cells.length * (PANEL_HEIGHT + PANEL_GAP) + 10;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    text(MARGIN.left, 22, 'GFLOP/s per forward pass (log scale; higher is faster)', 'font-size="16" font-weight="bold"'),
    text(MARGIN.left, 40, `GFLOP counted: N*T*G*(2*D*M + 2*M*M), G = 1 simple, 4 lstm, 3 gru.  ${subtitle}`, 'fill="#555"'),
  ];
  plotted.forEach((impl, k) => {
    const x = MARGIN.left + (k % LEGEND_COLUMNS) * (plotWidth / LEGEND_COLUMNS);
    const y = 58 + Math.floor(k / LEGEND_COLUMNS) * LEGEND_ROW;
    out.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${COLOURS[k % COLOURS.length]}"/>`);
    out.push(text(x + 18, y + 10, impl.label.trim()));
  });
  const skipX = MARGIN.left + LEGEND_COLUMNS * 0;
  out.push(text(skipX, top - 4, '× on the axis: skipped (over the time budget) or failed', 'fill="#777"'));

  cells.forEach((cell, p) => {
    const y0 = top + p * (PANEL_HEIGHT + PANEL_GAP) + 20;
    const yOf = (v: number) => y0 + PANEL_HEIGHT - ((Math.log10(v) - low) / (high - low)) * PANEL_HEIGHT;
    out.push(text(MARGIN.left, y0 - 8, cell === 'gru' ? 'gru (reset_after=True)' : cell, 'font-size="14" font-weight="bold"'));
    for (let e = low; e <= high; e++) {
      const y = yOf(10 ** e);
      out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
      out.push(text(MARGIN.left - 6, y + 4, e >= 0 ? String(10 ** e) : (10 ** e).toFixed(-e), 'text-anchor="end" fill="#555"'));
    }
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${y0}" y2="${y0 + PANEL_HEIGHT}" stroke="#333"/>`);
    const groupWidth = plotWidth / shownWorkloads.length;
    const barWidth = (groupWidth * 0.84) / plotted.length;
    shownWorkloads.forEach((workload, g) => {
      const gx = MARGIN.left + g * groupWidth + groupWidth * 0.08;
      out.push(text(MARGIN.left + (g + 0.5) * groupWidth, y0 + PANEL_HEIGHT + 16, workload.name, 'text-anchor="middle"'));
      plotted.forEach((impl, k) => {
        const row = rows.find((r) => r.workload === workload.name && r.cell === cell && r.impl === impl.id);
        if (row === undefined) return;
        const x = gx + k * barWidth;
        const value = gflops(row);
        if (value === undefined) {
          out.push(text(x + barWidth / 2, y0 + PANEL_HEIGHT - 3, '×', 'text-anchor="middle" fill="#999"'));
          return;
        }
        const y = yOf(Math.max(value, 10 ** low));
        const label = `${impl.label.trim()}, ${workload.name} ${cell}: ${value.toPrecision(3)} GFLOP/s`;
        out.push(
          `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth * 0.9).toFixed(1)}" height="${(y0 + PANEL_HEIGHT - y).toFixed(1)}" fill="${COLOURS[k % COLOURS.length]}"><title>${escapeXml(label)}</title></rect>`,
        );
      });
    });
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y0 + PANEL_HEIGHT}" y2="${y0 + PANEL_HEIGHT}" stroke="#333"/>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
