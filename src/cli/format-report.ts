/**
 * The human report: reads like seed 003's notebook. Model summary, weight shapes, the input,
 * both outputs side by side, the largest difference, PASS or FAIL, and what ran.
 */
import type { BackendInfo } from '../backends/types';
import type { CheckResult, LayerSummary } from '../check';
import { formatError, summarizeReport } from '../compare/summary';
import { FLOOR_FACTOR } from '../compare/tolerance';
import type { ModelSpec } from '../spec';
import { formatShape, type NdArray } from '../tensor';

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
  const versions = Object.entries(backend.versions).map(([name, version]) => `${name} ${version}`).join(', ');
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

function modelSummary(result: CheckResult): string[] {
  return formatModelSummary(result.layers, result.totalParameters);
}

/** A Keras-style summary table: one row per layer, then "Total params: N". */
export function formatModelSummary(layers: readonly LayerSummary[], totalParameters: number): string[] {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Weights'];
  const rows = layers.map((l) => [
    `${l.name} (${l.type})`,
    `(${l.outputShape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
    String(l.parameters),
    l.weightShapes.map(formatShape).join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `Total params: ${totalParameters}`];
}

/** The whole human-readable report of one check. */
export function formatCheckReport(result: CheckResult): string {
  const { spec, report } = result;
  const [n, t, d] = result.input.shape;
  const out: string[] = [];
  out.push(`rnn-parity: ${describeModel(spec)} on input [N=${n}, T=${t}, D=${d}], seed ${result.seed}`);
  out.push(`backend: ${describeBackend(result.backend)}`);
  out.push('');
  out.push(...modelSummary(result));
  out.push('');
  out.push(`Input: np.random.seed(${result.seed}); X = np.random.randn(${n}, ${t}, ${d}), as float32 ${formatShape(result.input.shape)}`);
  out.push(formatArray({ shape: [n * t, d], data: result.input.data.subarray(0, Math.min(2, n * t) * d) }, '  '));
  out.push('');
  out.push(`Layer path (tfjs model.predict on ${result.backend.name}), ${formatShape(result.layerOutput.shape)}:`);
  out.push(formatArray(result.layerOutput, '  '));
  out.push(`Hand path (plain TypeScript, ${result.precision}), ${formatShape(result.manualOutput.shape)}:`);
  out.push(formatArray(result.manualOutput, '  '));
  out.push('');
  if (report.perStepMaxAbsError && report.perStepMaxAbsError.length > 1) {
    const steps = report.perStepMaxAbsError;
    const shown = steps.slice(0, 10).map(formatError).join(' ');
    out.push(`max |diff| per time step: ${shown}${steps.length > 10 ? ` ... (${steps.length} steps)` : ''}`);
  }
  if (result.float32Floor !== undefined) {
    out.push(
      `this model's float32 floor (hand path in float32 vs float64) is ${formatError(result.float32Floor)}; ` +
        `the default tolerance was exceeded, so the check allows ${FLOOR_FACTOR} x that floor (values here are far from unit scale)`,
    );
  }
  out.push(summarizeReport(report));
  return `${out.join('\n')}\n`;
}
