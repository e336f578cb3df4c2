/**
 * The report of a model check, for people (text) and machines (--json, schema version 2).
 *
 *   rnn-parity: <what> from <where>
 *   backend: ...
 *   the graph as Keras's model.summary() shows it (layer, type, output shape, params, inputs)
 *   the inputs, then per output the layer path, the hand path and Keras's own values
 *   what tfjs and Keras define differently in this model, and what rnn-parity did
 *   one line per comparison, the tolerance and its reason, PASS or FAIL
 */
import { formatError, formatTolerance, summarizeReport } from '../../src/compare/summary';
import { FLOOR_FACTOR } from '../../src/compare/tolerance';
import { tokenRange } from '../../src/graph/check-inputs';
import type { Comparison, ModelCheckResult } from '../../src/graph/check';
import { formatSymbolicShape } from '../../src/graph/shapes';
import type { LayerRow } from '../../src/graph/summary';
import { formatShape, type NdArray } from '../../src/tensor';
import type { ExitCode } from './exit-codes';
import { describeBackend, describeModel, formatArray } from './format-report';
import { JSON_SCHEMA_VERSION, MAX_JSON_OUTPUT_ELEMENTS } from './json-report';
import type { ModelSource } from './model-source';
import { presetSpecOf } from '../../src/presets/flags';

/** How the report names where inputs came from: file paths, or the seeded draw. */
interface InputDescription {
  readonly files: readonly string[];
  readonly expectFiles: readonly string[];
}

const FORMAT_NAMES: Record<ModelSource['format'], string> = {
  flags: 'the flags',
  keras: 'Keras 3 .keras',
  h5: 'legacy Keras .h5',
  'weights.h5': 'Keras 3 .weights.h5 with the flags',
  tfjs: 'tfjs model.json',
};

/** "SimpleRNN(5) + Dense(2)" for the preset; "Sequential of LSTM, Dropout, Dense" for files. */
function describeSource(source: ModelSource, result: ModelCheckResult): string {
  if (source.format === 'flags' && source.spec) return describeModel(source.spec);
  // A file holding a model the preset could have made reads the same: "LSTM(128) + Dense(10)".
  const preset = presetSpecOf(source.model, result.inputShapes[0]?.[0] ?? 1);
  if (preset) return describeModel(preset);
  const types = result.layers.map((l) => l.type);
  const shown = types.length > 6 ? [...types.slice(0, 6), `... (${types.length} layers)`] : types;
  return `${source.model.topology} of ${shown.join(', ')}`;
}

/** The summary table: one row per layer, Keras's columns plus the inbound layers and options. */
function formatLayerTable(
  rows: readonly LayerRow[],
  totalParameters: number,
  inputs: readonly { name: string; shape: readonly (number | null)[] }[],
): string[] {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Weights', 'Inputs', 'Options'];
  const table = [
    ...inputs.map((i) => [`${i.name} (InputLayer)`, formatSymbolicShape(i.shape), '0', '', '', '']),
    ...rows.map((l) => [
      `${l.name} (${l.type})`,
      formatSymbolicShape(l.outputShape),
      String(l.parameters),
      l.weightShapes.map(formatShape).join(' '),
      l.inbound.join(', '),
      l.options,
    ]),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), ...table.map(line), `Total params: ${totalParameters.toLocaleString('en-US')}`];
}

function inputLine(result: ModelCheckResult, i: number, described: InputDescription): string {
  const input = { shape: result.inputShapes[i] };
  const name = result.model.inputs[i].name;
  const source =
    result.inputSource === 'given'
      ? described.files[i]
      : result.model.inputs[i].dtype === 'int32'
        ? `np.random.seed(${result.seed + i}); X = np.random.randint(0, ${tokenRange(result.model, name)}, (${input.shape.join(', ')}))`
        : `np.random.seed(${result.seed + i}); X = np.random.randn(${input.shape.join(', ')})`;
  const dtype = result.model.inputs[i].dtype === 'int32' ? 'token ids' : 'float32';
  return `Input "${name}": ${source}, as ${dtype} ${formatShape(input.shape)}`;
}

function preview(array: NdArray): string {
  const cols = array.shape[array.shape.length - 1] ?? 1;
  return formatArray({ shape: [array.data.length / cols, cols], data: array.data }, '    ');
}

/** [N=1, T=10, D=3] for a sequence, [N=4, D=784] for a matrix, [4,2,2,3] otherwise. */
function describeInputShape(shape: readonly number[], tokens = false): string {
  if (shape.length === 3) return `[N=${shape[0]}, T=${shape[1]}, D=${shape[2]}]`;
  if (shape.length === 2 && tokens) return `[N=${shape[0]}, T=${shape[1]}]`;
  if (shape.length === 2) return `[N=${shape[0]}, D=${shape[1]}]`;
  return formatShape(shape);
}

/** The headline comparison of an output: the first that failed, else the last (layer vs Keras when given). */
function headline(comparisons: readonly Comparison[]): Comparison {
  return comparisons.find((c) => !c.report.pass) ?? comparisons[comparisons.length - 1];
}

/** The whole human-readable report. */
export function formatModelReport(source: ModelSource, result: ModelCheckResult, described: InputDescription): string {
  const out: string[] = [];
  const where = source.path ? ` from ${source.path} (${FORMAT_NAMES[source.format]}${source.writer ? `, ${source.writer}` : ''})` : '';
  const shapes = result.inputShapes.map((shape, i) => describeInputShape(shape, result.model.inputs[i].dtype === 'int32')).join(' and ');
  out.push(`rnn-parity: ${describeSource(source, result)}${where} on input ${shapes}, seed ${result.seed}`);
  out.push(`backend: ${describeBackend(result.backend)}`);
  out.push('');
  out.push(...formatLayerTable(result.layers, result.totalParameters, result.model.inputs));
  out.push('');
  result.inputs.forEach((input, i) => {
    out.push(inputLine(result, i, described));
    const cols = input.shape[input.shape.length - 1];
    if (result.model.inputs[i].dtype === 'int32') {
      for (let r = 0; r < Math.min(2, input.data.length / cols); r++) {
        const ids = Array.from(input.data.subarray(r * cols, r * cols + Math.min(cols, 16)));
        out.push(`  [${ids.join(' ')}${cols > 16 ? ' ...' : ''}]`);
      }
    } else {
      out.push(formatArray({ shape: [2, cols], data: input.data.subarray(0, Math.min(2 * cols, input.data.length)) }, '  '));
    }
  });
  out.push('');
  const firstChunk = result.chunks.count > 1 ? ` (the first chunk's ${result.chunks.samples} samples shown)` : '';
  result.outputs.forEach((output, i) => {
    out.push(`Output "${output.name}" ${formatShape(output.shape)}${firstChunk}:`);
    out.push(`  Layer path (tfjs model.predict on ${result.backend.name}${result.layerImpl === 'fused' ? ', fused recurrent layers' : ''}):`);
    out.push(preview(output.layer));
    out.push(`  Hand path (plain TypeScript, ${result.precision}):`);
    out.push(preview(output.hand));
    if (output.expected) {
      out.push(`  Keras (${described.expectFiles[i] ?? 'expected'}):`);
      out.push(preview(output.expected));
    }
  });
  const notes = result.layers.flatMap((l) => l.notes.map((n) => `  ${l.name}: ${n.text}`));
  if (notes.length > 0) {
    out.push('');
    out.push('Where tfjs and Keras differ in this model, and what rnn-parity did:');
    out.push(...notes);
  }
  out.push('');
  const named = result.outputs.length > 1;
  const labels = result.comparisons.map((c) => (named ? `${c.output}: ${c.name}` : c.name));
  const width = Math.max(...labels.map((l) => l.length));
  for (const [k, c] of result.comparisons.entries()) {
    out.push(`${labels[k].padEnd(width)}  ${summarizeReport(c.report)}`);
    const steps = c.report.perStepMaxAbsError;
    if (!c.report.pass && steps && steps.length > 1) {
      out.push(
        `${' '.repeat(width)}  max |diff| per time step: ${steps.slice(0, 10).map(formatError).join(' ')}${steps.length > 10 ? ` ... (${steps.length} steps)` : ''}`,
      );
    }
  }
  out.push(toleranceLine(result));
  out.push(timingLine(result));
  const failed = result.comparisons.filter((c) => !c.report.pass).length;
  const total = result.comparisons.length;
  out.push(
    failed === 0
      ? `PASS  ${total === 1 ? 'the comparison is' : `all ${total} comparisons are`} within tolerance`
      : `FAIL  ${failed} of ${total} comparison${total === 1 ? '' : 's'} over tolerance`,
  );
  return `${out.join('\n')}\n`;
}

/** Which part took longest: the layer path, the hand path, the comparisons or reading the inputs. */
function boundingPart(timings: ModelCheckResult['timingsMs']): 'layer path' | 'hand path' | 'comparison' | 'reading' {
  const parts = [
    ['layer path', timings.layerPath],
    ['hand path', timings.handPath],
    ['comparison', timings.compare],
    ['reading', timings.read],
  ] as const;
  return parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

function seconds(ms: number): string {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 10 ? 0 : 1)} ms`;
}

/** "time: layer path 14.6 s, hand path 8.27 s, comparison 2.2 ms, reading 31 ms (10,000 samples in 25 chunks of 416): the layer path bounds this run" */
function timingLine(result: ModelCheckResult): string {
  const t = result.timingsMs;
  const chunks =
    result.chunks.count > 1 ? ` (${result.samples.toLocaleString('en-US')} samples in ${result.chunks.count} chunks of ${result.chunks.samples})` : '';
  return `time: layer path ${seconds(t.layerPath)}, hand path ${seconds(t.handPath)}, comparison ${seconds(t.compare)}, reading ${seconds(t.read)}${chunks}: the ${boundingPart(t)} bounds this run`;
}

function toleranceLine(result: ModelCheckResult): string {
  const t = result.tolerance;
  const reason = t.userAtol ? 'as given' : `the default for K = ${t.reductionSize}, the longest dot product (2e-6 * max(1, sqrt(K/16)))`;
  const lines = [`tolerance: ${formatTolerance(t.base)}, ${reason}`];
  for (const w of t.widened) {
    lines.push(
      `  "${w.output}": float32 floor (hand path float32 vs float64) ${formatError(w.float32Floor)}; the default was exceeded, so atol ${formatError(w.atol)} = ${FLOOR_FACTOR} x floor (values far from unit scale)`,
    );
  }
  return lines.join('\n');
}

/** The --json report, schema version 2. */
export function modelReportObject(source: ModelSource, result: ModelCheckResult, exitCode: ExitCode, described: InputDescription): Record<string, unknown> {
  const small = result.chunks.count === 1 && result.outputs.every((o) => o.hand.data.length <= MAX_JSON_OUTPUT_ELEMENTS);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    pass: result.pass,
    exitCode,
    backend: result.backend,
    source: { format: source.format, path: source.path ?? null, writer: source.writer ?? null, ...(source.spec ? { spec: source.spec } : {}) },
    seed: result.seed,
    precision: result.precision,
    layerImpl: result.layerImpl,
    samples: result.samples,
    chunks: result.chunks,
    inputs: result.inputShapes.map((shape, i) => ({
      name: result.model.inputs[i].name,
      shape,
      from: result.inputSource === 'given' ? described.files[i] : `seed ${result.seed + i}`,
    })),
    model: {
      topology: result.model.topology,
      inputs: result.model.inputs,
      outputs: result.model.outputs,
      layers: result.layers,
      totalParameters: result.totalParameters,
    },
    tolerance: result.tolerance,
    comparisons: result.comparisons,
    // The headline comparison (the first that failed, else the last), as --backend all's table reads it.
    report: headline(result.comparisons).report,
    timingsMs: result.timingsMs,
    boundBy: boundingPart(result.timingsMs),
    outputs: small
      ? { included: true, values: result.outputs }
      : {
          included: false,
          reason: result.chunks.count > 1 ? `checked in ${result.chunks.count} chunks` : `more than ${MAX_JSON_OUTPUT_ELEMENTS} elements`,
          shapes: result.outputs.map((o) => o.shape),
        },
  };
}
