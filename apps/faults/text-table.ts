/**
 * A plain-text table with aligned columns and a header rule, as Markdown reads it too:
 *   | fault | cell | caught |
 *   |-------|------|--------|
 *   | ...   | ...  | ...    |
 * Returns lines; printing is the caller's business.
 */

/** Cells are strings already formatted; every row has the header's length. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

/** An error level to 2 significant digits (1.9e-6); 0, NaN and Infinity as themselves. */
export function formatSmall(x: number): string {
  return x === 0 || !Number.isFinite(x) ? String(x) : x.toExponential(1);
}
