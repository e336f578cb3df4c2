/**
 * Keras 3's weight store (model.weights.h5 inside a .keras file, or a bare .weights.h5) -> each layer's
 * weights. Keras names each layer's group after its class in snake case, numbered in model order among
 * layers of that class (SimpleRNN -> simple_rnn, the second LSTM -> lstm_1), never after the layer's own
 * name; a layer's variables sit under vars/0, vars/1, ... or, for recurrent layers, cell/vars/0, ...
 *
 *     layers/lstm/cell/vars/0     kernel [inputDim, 4*units]
 *     layers/dense_1/vars/1       bias [units]
 *
 * Groups of layers without weights (dropout, input_layer) may be present and empty; any other group,
 * or a dataset the architecture does not account for, is refused.
 */
import { FileFormatError } from '../errors';
import type { WeightArray } from '../graph/model';
import type { Architecture } from '../graph/read-config';
import type { WeightSource } from '../graph/assemble';
import type { Hdf5File } from '../keras/hdf5';

/** Keras's naming.to_snake_case: SimpleRNN -> simple_rnn, SpatialDropout1D -> spatial_dropout1d. */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Group name of each entry of `classOrder`, numbered per class: ['input_layer', 'lstm', 'lstm_1', 'dense']. */
export function kerasGroupNames(classOrder: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classOrder.map((cls) => {
    const base = kerasSnakeCase(cls);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** Sub-groups Keras saves in this order, whatever HDF5's alphabetical listing says (Bidirectional's halves). */
const SAVE_ORDER = ['forward_layer', 'backward_layer'];

function memberOrder(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  const ra = SAVE_ORDER.indexOf(a);
  const rb = SAVE_ORDER.indexOf(b);
  if (ra >= 0 && rb >= 0) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every dataset under `path`, depth first, members in Keras's save order (vars/2 before vars/10, forward_layer before backward_layer). */
function datasetsUnder(file: Hdf5File, path: string): string[] {
  const names = file.members(path).sort(memberOrder);
  return names.flatMap((name) => {
    const full = `${path}/${name}`;
    return file.kindOf(full) === 'group' ? datasetsUnder(file, full) : [full];
  });
}

/**
 * A WeightSource reading Keras 3's layout, and a check that nothing else is in the file.
 * @param classOrder every layer's class in config order (InputLayer included), which numbers the groups
 */
export function kerasWeightSource(file: Hdf5File, architecture: Architecture, label: string): { source: WeightSource; checkNothingLeft: () => void } {
  const top = file.members('');
  const extraTop = top.filter((m) => !['layers', 'optimizer', 'vars', 'metrics'].includes(m));
  if (!top.includes('layers') || extraTop.length > 0) {
    throw new FileFormatError(`${label}: /: expected a Keras 3 weight store (layers, optional optimizer and vars), got ${top.join(', ') || 'nothing'}`);
  }
  const groups = kerasGroupNames(architecture.classOrder);
  const byLayer = new Map<string, string>();
  // Functional configs list InputLayers among the layers; Sequential ones may too. Match by config order.
  let entryIndex = 0;
  for (const layer of architecture.layers) {
    while (entryIndex < architecture.classOrder.length && architecture.classOrder[entryIndex] !== layer.className) entryIndex++;
    byLayer.set(layer.name, groups[entryIndex]);
    entryIndex++;
  }
  const stored = new Set(file.members('layers'));
  const used = new Set<string>();
  const source: WeightSource = (layer, _index, expected) => {
    const group = byLayer.get(layer.name) as string;
    if (!stored.has(group)) {
      if (expected.length === 0) return [];
      throw new FileFormatError(`${label}: expected a group layers/${group} for ${layer.where}, got only ${[...stored].join(', ') || 'nothing'}`);
    }
    used.add(group);
    const paths = datasetsUnder(file, `layers/${group}`);
    if (paths.length !== expected.length) {
      throw new FileFormatError(
        `${label}: layers/${group} (${layer.where}): expected ${expected.length} weights (${expected.map((e) => e.name).join(', ') || 'none'}), got ${paths.length}${paths.length ? ` (${paths.join(', ')})` : ''}`,
      );
    }
    return paths.map((path, i): WeightArray => ({ name: expected[i].name, shape: expected[i].shape.slice(), data: file.readFloat32(path, expected[i].shape) }));
  };
  const checkNothingLeft = () => {
    for (const group of stored) {
      if (!used.has(group) && datasetsUnder(file, `layers/${group}`).length > 0) {
        throw new FileFormatError(
          `${label}: layers/${group}: expected no weights the architecture does not use, got ${datasetsUnder(file, `layers/${group}`).join(', ')}`,
        );
      }
    }
  };
  return { source, checkNothingLeft };
}
