/**
 * The fault catalogue: bugs people write in hand RNN code, each as hooks into the hand path's fault seam
 * (ForwardFaults in src/hand/forward.ts), never as an edit of src/hand/. A fault is exact: the faulty output is what the
 * buggy hand code would compute, not an approximation of it.
 *
 * `cells` and `when` say where a fault changes the computation at all (faultApplies). Where a bug needs a shape coincidence to
 * be expressible (a transposed square block, a kernel swap), or is the identity on some specs (a batch
 * layout mix-up at batch 1, a transposed 1x1 block), those specs are left out rather than counted as
 * escapes; the default checks (default-checks.ts) include specs where each fault applies.
 * The gated cells' faults are in gated-cell-faults.ts; the Fault type and its builders in fault.ts.
 */
import type { RecurrentCell } from '../../src/hand/cell';
import { shippedSchedule } from '../../src/hand/recurrent';
import type { NdArray } from '../../src/tensor';
import { ALL_CELLS, GATED, layerFault, type Fault } from './fault';
import { GATED_CELL_FAULTS } from './gated-cell-faults';
import { delayOneStep, mapValues, mapWeightValues, readColumnMajor, readTimeMajor, roundToDecimals, roundToFloat16, transposeGateBlocks } from './transforms';

/** A cell whose state starts at `value` instead of zero (written before the first step). */
function startingAt(value: number) {
  return (cell: RecurrentCell): RecurrentCell => {
    cell.h.fill(value);
    return cell;
  };
}

/** tanh applied to the dense head's output: the head given the recurrent layer's activation. */
function tanhOutput(output: NdArray): NdArray {
  return { shape: output.shape, data: Float64Array.from(output.data, Math.tanh) };
}

/** Every fault, in table order: weights, gate order, LSTM, GRU, time loop and state, activations, stack and head, layout. */
export { faultApplies, type Fault } from './fault';

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

  ...GATED_CELL_FAULTS,

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
