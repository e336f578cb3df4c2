/** Pieces of the human report (apps/cli/model-report.ts): the preset's one-line description, the backend, arrays. */
import type { BackendInfo } from '../../src/backends/types';
import type { ModelSpec } from '../../src/spec';
import type { NdArray } from '../../src/tensor';

const CELL_TITLES = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' } as const;
/** Rows of an output printed before eliding the rest. */
const PREVIEW_ROWS = 4;
/** Values of a row printed before eliding the rest. */
const PREVIEW_COLS = 8;

/** "SimpleRNN(5) + Dense(2)", "2 x GRU(6, reset_after) + Dense(2)". */
export function describeModel(spec: ModelSpec): string {
  const options: string[] = [];
  if (spec.activation !== 'tanh') options.push(spec.activation);
  if (spec.cell !== 'simple' && spec.recurrentActivation !== 'sigmoid') options.push(`recurrent ${spec.recurrentActivation}`);
  if (spec.cell === 'gru') options.push(spec.resetAfter ? 'reset_after' : 'reset_before');
  if (spec.goBackwards) options.push('go_backwards');
  if (spec.returnSequences) options.push('return_sequences');
  const cell = `${CELL_TITLES[spec.cell]}(${[String(spec.units), ...options].join(', ')})`;
  return `${spec.layers > 1 ? `${spec.layers} x ` : ''}${cell} + Dense(${spec.denseUnits})`;
}

/** "tensorflow (tfjs-node 4.22.0, libtensorflow 2.21.0, tfjs-core 4.22.0; libtensorflow on CPU)". */
export function describeBackend(backend: BackendInfo): string {
  const versions = Object.entries(backend.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const notes = backend.notes.length > 0 ? `; ${backend.notes.join('; ')}` : '';
  return `${backend.name} (${versions}${notes})`;
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x).padStart(11);
  return (x < 0 ? '' : ' ') + x.toFixed(8);
}

/** NumPy-like rendering of a rank-2 or rank-3 output, eliding past a few rows and columns. */
export function formatArray(array: NdArray, indent: string): string {
  const cols = array.shape[array.shape.length - 1];
  const rows = array.data.length / cols;
  const lines: string[] = [];
  for (let r = 0; r < Math.min(rows, PREVIEW_ROWS); r++) {
    const values = Array.from(array.data.subarray(r * cols, r * cols + Math.min(cols, PREVIEW_COLS)), formatNumber);
    if (cols > PREVIEW_COLS) values.push('...');
    lines.push(`${indent}[${values.join(' ')}]`);
  }
  if (rows > PREVIEW_ROWS) lines.push(`${indent}... ${rows - PREVIEW_ROWS} more rows of ${cols}`);
  return lines.join('\n');
}
