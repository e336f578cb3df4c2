/**
 * The faults of the gated cells: gate order (LSTM and GRU), the LSTM's forget bias and cell state, and GRU's
 * reset_after and bias rows. Part of the catalogue (./catalogue.ts), in its table order.
 */
import type { RecurrentCell } from '../../src/hand/cell';
import type { FloatBuffer } from '../../src/hand/linalg';
import { GRU_GATE } from '../../src/hand/gru';
import { LSTM_GATE } from '../../src/hand/lstm';
import { layerFault, recurrentBiasOf, shiftGateBias, type Fault } from './fault';
import { mapLayers, mapValues, negateGate, reorderGates } from './transforms';

/** An LSTM cell's state c, the second of its state buffers [h, c] (the only cell the LSTM faults are applied to). */
function lstmState(cell: RecurrentCell): FloatBuffer {
  if (cell.state.length !== 2) throw new Error(`fault catalogue: expected an LSTM cell with state [h, c], got ${cell.state.length} state buffers`);
  return cell.state[1];
}

/** Gate order, LSTM forget bias and state, GRU. */
export const GATED_CELL_FAULTS: readonly Fault[] = [
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
    hooks: { cell: (cell) => ({ h: lstmState(cell), state: cell.state, step: (t) => cell.step(t) }) },
  },
  {
    id: 'lstm-carries-h-as-c',
    description: 'LSTM step returns [h, h]: c_{t-1} is the previous h',
    cells: ['lstm'],
    hooks: {
      cell: (cell) => {
        const c = lstmState(cell);
        const h = cell.h;
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
];
