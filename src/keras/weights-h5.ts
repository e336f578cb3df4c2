/**
 * model.weights.h5 -> RnnWeights, for a model whose ModelSpec is known (from config.json, or given
 * by the caller for a bare `.weights.h5`).
 *
 * Keras 3 names each layer's group from its class in snake case, numbered in model order among layers
 * of that class, never from the layer's own name (a model with LSTM layers named "enc" and "dec"
 * stores layers/lstm and layers/lstm_1):
 *
 *     layers/<lstm|gru|simple_rnn>[_k]/cell/vars/0  kernel            [inputDim, gates*units]
 *     layers/<lstm|gru|simple_rnn>[_k]/cell/vars/1  recurrent_kernel  [units, gates*units]
 *     layers/<lstm|gru|simple_rnn>[_k]/cell/vars/2  bias              [gates*units]; GRU reset_after: [2, 3*units]
 *     layers/dense/vars/0, 1                         kernel [units, denseUnits], bias [denseUnits]
 *
 * Every group and dataset is checked against the spec before any data is decoded; a group or dataset
 * that the spec does not account for is refused, so weights of another model cannot slip through.
 */
import { FileFormatError } from '../errors';
import { firstNonFinite, unravelIndex } from '../io/finite';
import type { CellKind, ModelSpec } from '../spec';
import { formatShape } from '../tensor';
import { gateCount, layerInputDim, recurrentLayerOf, type Matrix, type RecurrentLayerWeights, type RnnWeights } from '../weights';
import type { Hdf5File } from './hdf5';

/** Keras's snake-case group name of each recurrent class: SimpleRNN -> simple_rnn. */
export const KERAS_WEIGHT_GROUPS: Readonly<Record<CellKind, string>> = { simple: 'simple_rnn', lstm: 'lstm', gru: 'gru' };
const DENSE_GROUP = 'dense';
/** Top-level groups: the layers, the Sequential's own (empty) vars, and optimizer state, which no forward pass reads. */
const TOP_LEVEL = ['layers', 'optimizer', 'vars'];

/** Group names in model order: ["lstm", "lstm_1", ..., "dense"]. */
export function weightGroupNames(spec: ModelSpec): { recurrent: string[]; dense: string } {
  const base = KERAS_WEIGHT_GROUPS[spec.cell];
  const recurrent = Array.from({ length: spec.layers }, (_, k) => (k === 0 ? base : `${base}_${k}`));
  return { recurrent, dense: DENSE_GROUP };
}

/**
 * Reads every weight of `spec`'s model.
 * @returns recurrent layers bottom to top (GRU reset_after: Keras's bias row 0 -> bias, row 1 ->
 *   recurrentBias) and the dense head
 * @throws FileFormatError for a missing, extra or misplaced group or dataset; ShapeError (from
 *   Hdf5File.readFloat32) for a dataset whose shape the spec does not imply.
 */
export function readKerasWeights(file: Hdf5File, spec: ModelSpec, label: string): RnnWeights {
  const groups = weightGroupNames(spec);
  expectMembers(file, '', ['layers'], TOP_LEVEL, label, `layers (optimizer and vars allowed)`);
  if (file.members('').includes('vars')) expectMembers(file, 'vars', [], [], label);
  const layerGroups = [...groups.recurrent, groups.dense].sort();
  expectMembers(file, 'layers', layerGroups, layerGroups, label, `the groups of ${describeSpec(spec)}`);

  const width = gateCount(spec.cell) * spec.units;
  const recurrent = groups.recurrent.map((group, k): RecurrentLayerWeights => {
    const path = `layers/${group}`;
    expectMembers(file, path, ['cell'], ['cell', 'vars'], label);
    if (file.members(path).includes('vars')) expectMembers(file, `${path}/vars`, [], [], label);
    expectMembers(file, `${path}/cell`, ['vars'], ['vars'], label);
    expectMembers(file, `${path}/cell/vars`, ['0', '1', '2'], ['0', '1', '2'], label);
    const resetAfter = spec.cell === 'gru' && spec.resetAfter;
    const vars = `${path}/cell/vars`;
    const kernel = matrix(file, `${vars}/0`, layerInputDim(spec, k), width, label);
    const recurrentKernel = matrix(file, `${vars}/1`, spec.units, width, label);
    const bias = finiteFloat32(file, `${vars}/2`, resetAfter ? [2, width] : [width], label);
    return recurrentLayerOf(spec, k, {
      kernel,
      recurrentKernel,
      // Parity note: Keras 3's GRU (reset_after=True) keeps both biases in one (2, 3*units) weight:
      // row 0 is added to x·W, row 1 to h·U before the reset gate scales it.
      ...(resetAfter ? { bias: bias.slice(0, width), recurrentBias: bias.slice(width) } : { bias }),
    });
  });

  const dense = `layers/${groups.dense}`;
  expectMembers(file, dense, ['vars'], ['vars'], label);
  expectMembers(file, `${dense}/vars`, ['0', '1'], ['0', '1'], label);
  return {
    recurrent,
    dense: {
      kernel: matrix(file, `${dense}/vars/0`, spec.units, spec.denseUnits, label),
      bias: finiteFloat32(file, `${dense}/vars/1`, [spec.denseUnits], label),
    },
  };
}

function matrix(file: Hdf5File, path: string, rows: number, cols: number, label: string): Matrix {
  return { rows, cols, data: finiteFloat32(file, path, [rows, cols], label) };
}

/**
 * Reads a weight and refuses NaN or Inf in it: no check on such a weight can pass, so it is bad input
 * (exit code 2) named here, not a failure found after both forward passes (see src/io/finite.ts).
 */
function finiteFloat32(file: Hdf5File, path: string, shape: readonly number[], label: string): Float32Array {
  const data = file.readFloat32(path, shape);
  const bad = firstNonFinite(data);
  if (bad !== undefined) {
    throw new FileFormatError(
      `${label}: ${path}: expected finite values (NaN or Inf can never pass a check), got ${bad.value} at ${formatShape(unravelIndex(bad.index, shape))}`,
    );
  }
  return data;
}

/** Checks a group's members: every `required` one present, nothing outside `allowed`. */
function expectMembers(file: Hdf5File, path: string, required: readonly string[], allowed: readonly string[], label: string, what?: string): void {
  if (path !== '' && file.kindOf(path) !== 'group') {
    throw new FileFormatError(`${label}: expected a group ${path}, got ${file.kindOf(path) ?? 'none'}`);
  }
  const members = file.members(path);
  const missing = required.filter((name) => !members.includes(name));
  const extra = members.filter((name) => !allowed.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const expected = what ?? (required.length > 0 ? required.join(', ') : 'nothing');
    const got = members.map((name) => (/^[\w.-]+$/.test(name) ? name : JSON.stringify(name))).join(', ');
    throw new FileFormatError(`${label}: ${path || '/'}: expected ${expected}, got ${got || 'nothing'}`);
  }
}

function describeSpec(spec: ModelSpec): string {
  return `${spec.layers} x ${KERAS_WEIGHT_GROUPS[spec.cell]}(${spec.units}) + dense(${spec.denseUnits}) (${weightGroupNames(spec).recurrent.join(', ')}, dense)`;
}
