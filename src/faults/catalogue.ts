/**
 * The fault catalogue: bugs people write in hand RNN code, each as FaultHooks on a copy of the hand path
 * (faulty-forward.ts), never as an edit of src/manual/. A fault is exact: the faulty output is what the
 * buggy hand code would compute, not an approximation of it.
 *
 * `cells` and `when` say where a fault changes the computation at all (faultApplies). Where a bug needs a shape coincidence to
 * be expressible (a transposed square block, a kernel swap), or is the identity on some specs (a batch
 * layout mix-up at batch 1, a transposed 1x1 block), those specs are left out rather than counted as
 * escapes; the default checks (default-checks.ts) include specs where each fault applies.
 */
import type { RecurrentCell } from '../manual/cell';
import type { LstmCell } from '../manual/lstm';
import { GRU_GATE } from '../manual/gru';
import { LSTM_GATE } from '../manual/lstm';
import type { CellKind, ModelSpec } from '../spec';
import type { NdArray } from '../tensor';
import type { RecurrentLayerWeights } from '../weights';
import { shippedSchedule, type FaultHooks } from './faulty-forward';
import {
  delayOneStep,
  mapLayers,
  mapValues,
  mapWeightValues,
  negateGate,
  readColumnMajor,
  readTimeMajor,
  reorderGates,
  roundToDecimals,
  roundToFloat16,
  transposeGateBlocks,
} from './transforms';

export interface Fault {
  /** kebab-case, e.g. 'recurrent-kernel-transposed'. */
  readonly id: string;
  /** What the buggy hand code does, in a few words. */
  readonly description: string;
  readonly cells: readonly CellKind[];
  /** Extra condition on the spec (beyond `cells`) for the fault to change anything. */
  readonly when?: (spec: ModelSpec) => boolean;
  readonly hooks: FaultHooks;
}

/** Whether `fault` changes the computation of `spec` (see the header). */
export function faultApplies(fault: Fault, spec: ModelSpec): boolean {
  return fault.cells.includes(spec.cell) && (fault.when ? fault.when(spec) : true);
}

const ALL_CELLS: readonly CellKind[] = ['simple', 'lstm', 'gru'];
const GATED: readonly CellKind[] = ['lstm', 'gru'];

/** A fault that only rewrites each recurrent layer's weights. */
function layerFault(
  id: string,
  description: string,
  cells: readonly CellKind[],
  rewrite: (layer: RecurrentLayerWeights) => RecurrentLayerWeights,
  when?: (spec: ModelSpec) => boolean,
): Fault {
  return { id, description, cells, when, hooks: { weights: (w) => mapLayers(w, rewrite) } };
}

/** The values of one gate's block of a [gates*units] bias shifted by `delta`. */
function shiftGateBias(layer: RecurrentLayerWeights, gate: number, delta: number): RecurrentLayerWeights {
  const from = gate * layer.units;
  const to = from + layer.units;
  return { ...layer, bias: mapValues(layer.bias, (x, i) => (i >= from && i < to ? x + delta : x)) };
}

/** A reset_after GRU layer's recurrent bias (the GRU bias faults apply to reset_after layers only). */
function recurrentBiasOf(layer: RecurrentLayerWeights): Float32Array {
  if (layer.recurrentBias === undefined) throw new Error('fault catalogue: expected a reset_after GRU layer with a recurrent bias, got none');
  return layer.recurrentBias;
}

/** A cell whose state starts at `value` instead of zero (written before the first step). */
function startingAt(value: number) {
  return (cell: RecurrentCell): RecurrentCell => {
    cell.h.fill(value);
    return cell;
  };
}

/** The LSTM's cell state (the only cell the LSTM faults are applied to). */
function lstmState(cell: RecurrentCell): LstmCell {
  if (!('c' in cell)) throw new Error(`fault catalogue: expected an LSTM cell with state c, got ${Object.keys(cell).join(', ')}`);
  return cell as LstmCell;
}

/** tanh applied to the dense head's output: the head given the recurrent layer's activation. */
function tanhOutput(output: NdArray): NdArray {
  return { shape: output.shape, data: Float64Array.from(output.data, Math.tanh) };
}

/** Every fault, in table order: weights, gate order, LSTM, GRU, time loop and state, activations, stack and head, layout. */
export const FAULTS: readonly Fault[] = [
  // Weights and biases
  layerFault(
    'recurrent-kernel-transposed',
    'U[j][i] read for U[i][j] (each gate block transposed)',
    ALL_CELLS,
    (l) => ({
      ...l,
      recurrentKernel: transposeGateBlocks(l.recurrentKernel, l.units),
    }),
    (s) => s.units > 1,
  ),
  layerFault(
    'kernel-recurrent-kernel-swapped',
    'x·U + h·W for x·W + h·U (needs inputDim = units)',
    ALL_CELLS,
    (l) => ({
      ...l,
      kernel: l.recurrentKernel,
      recurrentKernel: l.kernel,
    }),
    (s) => s.inputDim === s.units,
  ),
  layerFault('bias-missing', 'the (input) bias left out', ALL_CELLS, (l) => ({ ...l, bias: new Float32Array(l.bias.length) })),
  layerFault('bias-doubled', 'the (input) bias added twice', ALL_CELLS, (l) => ({ ...l, bias: mapValues(l.bias, (x) => 2 * x) })),
  layerFault(
    'kernel-read-column-major',
    'kernel [inputDim, gates*units] read column-major (a PyTorch-layout copy)',
    ALL_CELLS,
    (l) => ({
      ...l,
      kernel: readColumnMajor(l.kernel),
    }),
    (s) => s.inputDim > 1,
  ),
  { id: 'weights-float16', description: 'every weight rounded to float16', cells: ALL_CELLS, hooks: { weights: (w) => mapWeightValues(w, roundToFloat16) } },
  {
    id: 'weights-4-decimals',
    description: "weights copied from text printed with 4 decimals ('%.4f')",
    cells: ALL_CELLS,
    hooks: { weights: (w) => mapWeightValues(w, (x) => roundToDecimals(x, 4)) },
  },

  // Gate order
  layerFault('lstm-gates-i-f-swapped', 'LSTM gates read as [f|i|c|o]', ['lstm'], (l) => reorderGates(l, [1, 0, 2, 3])),
  layerFault('lstm-gates-f-o-swapped', 'LSTM gates read as [i|o|c|f]', ['lstm'], (l) => reorderGates(l, [0, 3, 2, 1])),
  layerFault('lstm-gates-onnx-order', 'LSTM gates read in ONNX order [i|o|f|c]', ['lstm'], (l) =>
    reorderGates(l, [LSTM_GATE.i, LSTM_GATE.c, LSTM_GATE.o, LSTM_GATE.f]),
  ),
  layerFault('gru-gates-z-r-swapped', 'GRU gates read in PyTorch order [r|z|h]', ['gru'], (l) => reorderGates(l, [1, 0, 2])),

  // LSTM forget bias and state
  layerFault('lstm-forget-bias-added-again', "+1 added to the forget gate at run time (TF1's forget_bias) on Keras weights that hold it", ['lstm'], (l) =>
    shiftGateBias(l, LSTM_GATE.f, 1),
  ),
  layerFault(
    'lstm-forget-bias-lost',
    "the forget gate's unit bias (+1) taken out of the weights",
    ['lstm'],
    (l) => shiftGateBias(l, LSTM_GATE.f, -1),
    (s) => s.unitForgetBias,
  ),
  {
    id: 'lstm-returns-c',
    description: 'LSTM outputs the cell state c instead of h',
    cells: ['lstm'],
    hooks: { cell: (cell) => ({ h: lstmState(cell).c, state: cell.state, step: (t) => cell.step(t) }) },
  },
  {
    id: 'lstm-carries-h-as-c',
    description: 'LSTM step returns [h, h]: c_{t-1} is the previous h',
    cells: ['lstm'],
    hooks: {
      cell: (cell) => {
        const { c, h } = lstmState(cell);
        const step = (t: number) => {
          cell.step(t);
          c.set(h);
        };
        return { h, state: cell.state, step };
      },
    },
  },

  // GRU
  {
    id: 'gru-reset-after-mixed-up',
    description: 'GRU reset gate applied before the matmul for reset_after=True (bias rows summed), after it for reset_after=False',
    cells: ['gru'],
    hooks: {
      weights: (w) =>
        mapLayers(w, (l) => {
          const { recurrentBias, ...rest } = l;
          if (recurrentBias === undefined) return { ...l, resetAfter: true, recurrentBias: new Float32Array(l.bias.length) };
          return { ...rest, resetAfter: false, bias: mapValues(l.bias, (x, i) => x + recurrentBias[i]) };
        }),
    },
  },
  // ra(-a) = 1 - ra(a) for sigmoid and both hard sigmoids (test/faults/transforms.test.ts), so negating z's
  // pre-activation turns z into 1 - z exactly.
  layerFault('gru-z-1-z-swapped', 'GRU h = (1-z)*h_{t-1} + z*hh', ['gru'], (l) => negateGate(l, GRU_GATE.z)),
  layerFault(
    'gru-bias-rows-swapped',
    'Keras GRU bias rows read as [recurrent; input]',
    ['gru'],
    (l) => ({
      ...l,
      bias: recurrentBiasOf(l),
      recurrentBias: l.bias,
    }),
    (s) => s.resetAfter,
  ),
  layerFault(
    'gru-recurrent-bias-outside-reset',
    'GRU reset_after hh = act(x·Wh + bh + r*(h·Uh) + rbh): r not applied to the recurrent bias',
    ['gru'],
    (l) => {
      // Moving rbh into the input bias keeps it out of r's reach: exactly the bug (one float32 sum per unit).
      const recurrentBias = recurrentBiasOf(l);
      const from = GRU_GATE.h * l.units;
      const inH = (i: number) => i >= from && i < from + l.units;
      return {
        ...l,
        bias: mapValues(l.bias, (x, i) => (inH(i) ? x + recurrentBias[i] : x)),
        recurrentBias: mapValues(recurrentBias, (x, i) => (inH(i) ? 0 : x)),
      };
    },
    (s) => s.resetAfter,
  ),
  layerFault(
    'gru-recurrent-bias-dropped',
    'Keras GRU bias (2, 3*units) read as its first row only',
    ['gru'],
    (l) => ({
      ...l,
      recurrentBias: new Float32Array(l.bias.length),
    }),
    (s) => s.resetAfter,
  ),

  // Time loop
  { id: 'reads-previous-input', description: 'step t reads x_{t-1} (x_{-1} = 0)', cells: ALL_CELLS, hooks: { input: delayOneStep } },
  {
    id: 'skips-first-step',
    description: 'loop starts at s = 1',
    cells: ALL_CELLS,
    hooks: { schedule: (T, back) => shippedSchedule(T, back).slice(1) },
  },
  {
    id: 'drops-last-step',
    description: 'loop ends at s = T - 2',
    cells: ALL_CELLS,
    hooks: { schedule: (T, back) => shippedSchedule(T, back).slice(0, -1) },
  },
  layerFault(
    'go-backwards-ignored',
    'goBackwards ignored (reads forwards)',
    ALL_CELLS,
    (l) => ({ ...l, goBackwards: false }),
    (s) => s.goBackwards,
  ),
  {
    id: 'backwards-outputs-re-reversed',
    description: 'goBackwards outputs put back in input order',
    cells: ALL_CELLS,
    when: (s) => s.goBackwards && (s.returnSequences || s.layers > 1),
    hooks: { schedule: (T, back) => shippedSchedule(T, back).map(({ read }) => ({ read, slot: read })) },
  },
  { id: 'initial-state-0.01', description: 'h_0 = 0.01 instead of 0', cells: ALL_CELLS, hooks: { cell: startingAt(0.01) } },
  { id: 'initial-state-ones', description: 'h_0 = 1 instead of 0', cells: ALL_CELLS, hooks: { cell: startingAt(1) } },

  // Activations
  layerFault(
    'relu-for-tanh',
    'relu where the layer has tanh',
    ALL_CELLS,
    (l) => ({ ...l, activation: 'relu' }),
    (s) => s.activation === 'tanh',
  ),
  layerFault(
    'sigmoid-for-tanh',
    'sigmoid where the layer has tanh',
    ALL_CELLS,
    (l) => ({ ...l, activation: 'sigmoid' }),
    (s) => s.activation === 'tanh',
  ),
  layerFault(
    'tfjs-hard-sigmoid-for-sigmoid',
    "tfjs's default gate activation hardSigmoid where the layer has sigmoid",
    GATED,
    (l) => ({
      ...l,
      recurrentActivation: 'hard_sigmoid_tfjs',
    }),
    (s) => s.recurrentActivation === 'sigmoid',
  ),
  layerFault(
    'hard-sigmoids-swapped',
    "Keras 3's hard_sigmoid and tfjs's hardSigmoid taken for each other",
    GATED,
    (l) => ({
      ...l,
      recurrentActivation: l.recurrentActivation === 'hard_sigmoid' ? 'hard_sigmoid_tfjs' : 'hard_sigmoid',
    }),
    (s) => s.recurrentActivation !== 'sigmoid',
  ),

  // Stack and head
  {
    id: 'only-first-layer',
    description: 'a stack run as its bottom layer alone',
    cells: ALL_CELLS,
    when: (s) => s.layers > 1,
    hooks: {
      weights: (w) => {
        const top = w.recurrent[w.recurrent.length - 1];
        return { recurrent: [{ ...w.recurrent[0], returnSequences: top.returnSequences }], dense: w.dense };
      },
    },
  },
  {
    id: 'dense-kernel-transposed',
    description: 'dense kernel read transposed (needs units = denseUnits)',
    cells: ALL_CELLS,
    when: (s) => s.units === s.denseUnits && s.units > 1,
    hooks: { weights: (w) => ({ recurrent: w.recurrent, dense: { ...w.dense, kernel: readColumnMajor(w.dense.kernel) } }) },
  },
  {
    id: 'dense-bias-missing',
    description: 'dense bias left out',
    cells: ALL_CELLS,
    hooks: { weights: (w) => ({ recurrent: w.recurrent, dense: { ...w.dense, bias: new Float32Array(w.dense.bias.length) } }) },
  },
  { id: 'dense-tanh', description: 'tanh applied to the (linear) dense head', cells: ALL_CELLS, hooks: { output: tanhOutput } },
  {
    id: 'input-read-time-major',
    description: 'x[b][t] read at (t*batch + b): batch rows mixed (identity at batch 1)',
    cells: ALL_CELLS,
    when: (s) => s.batch > 1,
    hooks: { input: readTimeMajor },
  },
];

/**
 * Perturbations below what the default tolerance resolves, kept to show where its floor is rather than
 * as bugs it promises to catch: they move outputs by about as much as float32 rounding does (the
 * tolerance is 16x above the float32 floor of small models; see src/compare/tolerance.ts). The fault
 * table prints them apart, and they do not decide its exit code.
 */
export const RESOLUTION_PROBES: readonly Fault[] = [
  {
    id: 'weights-6-decimals',
    description: "weights copied from text printed with '%f' (6 decimals): each moves by up to 5e-7",
    cells: ALL_CELLS,
    hooks: { weights: (w) => mapWeightValues(w, (x) => roundToDecimals(x, 6)) },
  },
];
