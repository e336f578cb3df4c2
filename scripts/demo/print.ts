/**
 * The demo's printing: numbers as NumPy prints them with np.set_printoptions(precision=8, floatmode='fixed'),
 * section headers, and two arrays side by side.
 */
import type { Rows } from './rows';

/** Output lines wider than this put the two arrays of sideBySide under each other instead. */
const MAX_WIDTH = 100;

/** Prints each line to stdout. */
export function say(...lines: string[]): void {
  for (const line of lines) console.log(line);
}

/** ' 0.49671415' / '-0.13826430': 8 decimals, a space where the minus sign would be. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x).padStart(11);
  return (x < 0 || Object.is(x, -0) ? '' : ' ') + x.toFixed(8);
}

/** '[ 0.49671415 -0.13826430  0.64768854]' */
export function formatVector(v: ArrayLike<number>): string {
  return `[${Array.from(v, formatNumber).join(' ')}]`;
}

/**
 * A matrix the way NumPy prints it, one line per row: `prefix[[ 1.0  2.0]` then ` [ 3.0  4.0]]`,
 * continuation lines indented to line up under the first.
 */
export function formatMatrix(m: Rows, prefix = ''): string[] {
  const indent = ' '.repeat(prefix.length);
  return m.map((row, r) => {
    const open = r === 0 ? `${prefix}[` : `${indent} `;
    const close = r === m.length - 1 ? ']' : '';
    return `${open}${formatVector(row)}${close}`;
  });
}

/** '== title ==' after a blank line, so each section starts where the eye looks for it. */
export function header(title: string): string[] {
  return ['', `== ${title} ==`];
}

/**
 * Two arrays of the same shape row by row, labelled: side by side when that fits in MAX_WIDTH columns,
 * else each pair of rows under each other (the digits still line up).
 */
export function sideBySide(rowLabels: string[], left: Rows, right: Rows, titles: [string, string], indent = '  '): string[] {
  const labelWidth = Math.max(...rowLabels.map((l) => l.length));
  const leftCells = left.map(formatVector);
  const rightCells = right.map(formatVector);
  const cellWidth = Math.max(titles[0].length, ...leftCells.map((c) => c.length));
  const pad = ' '.repeat(labelWidth);
  if (indent.length + labelWidth + 2 + 2 * cellWidth + 3 <= MAX_WIDTH) {
    const lines = [`${indent}${pad}  ${titles[0].padEnd(cellWidth)}   ${titles[1]}`];
    rowLabels.forEach((label, r) => {
      lines.push(`${indent}${label.padEnd(labelWidth)}  ${leftCells[r].padEnd(cellWidth)}   ${rightCells[r]}`);
    });
    return lines;
  }
  const tagWidth = Math.max(titles[0].length, titles[1].length);
  const lines: string[] = [];
  rowLabels.forEach((label, r) => {
    lines.push(`${indent}${label.padEnd(labelWidth)}  ${titles[0].padEnd(tagWidth)} ${leftCells[r]}`);
    lines.push(`${indent}${pad}  ${titles[1].padEnd(tagWidth)} ${rightCells[r]}`);
  });
  return lines;
}
