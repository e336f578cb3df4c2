/**
 * LSTM, kernel columns [i|f|c|o]; ra = recurrentActivation, act = activation; h_0 = c_0 = 0.
 *   z = x·W + h_{t-1}·U + b
 *   i = ra(z_i)   f = ra(z_f)   o = ra(z_o)
 *   c = f * c_{t-1} + i * act(z_c)
 *   h = o * act(c)
 */
import { gateCount } from '../weights';
import { activationFunction, recurrentActivationFunction } from './activations';
import { CellFactory, projectInputs } from './cell';
import { gateOffset, viewOf } from './linalg';

/** Gate order of the kernel columns, [i|f|c|o], as in Keras and tfjs. */
export const LSTM_GATE = { i: 0, f: 1, c: 2, o: 3 } as const;

/**
 * Sets up an LSTM layer over a whole input sequence.
 *
 * @param layer kernel [inputDim, 4*units], recurrentKernel [units, 4*units], bias [4*units], columns [i|f|c|o]
 * @param input [batch, timeSteps, inputDim]
 * @returns a RecurrentCell whose state is [h, c], each [batch, units]
 * @throws ConfigError when layer.activation or layer.recurrentActivation is not a known name.
 */
export const createLstmCell: CellFactory = (layer, input, batch, timeSteps, arith) => {
  const { units } = layer;
  const { round } = arith;
  const width = gateCount('lstm') * units;
  const activation = activationFunction(layer.activation);
  const recurrentActivation = recurrentActivationFunction(layer.recurrentActivation);
  const kernel = viewOf(arith.load(layer.kernel.data), layer.kernel.rows, width);
  const recurrentKernel = viewOf(arith.load(layer.recurrentKernel.data), units, width);
  const bias = arith.load(layer.bias);
  const iOffset = gateOffset(LSTM_GATE.i, units);
  const fOffset = gateOffset(LSTM_GATE.f, units);
  const cOffset = gateOffset(LSTM_GATE.c, units);
  const oOffset = gateOffset(LSTM_GATE.o, units);

  // [batch*timeSteps, inputDim] x [inputDim, 4*units] -> [batch*timeSteps, 4*units]
  const xw = projectInputs(input, batch * timeSteps, kernel, arith).data;

  const h = arith.alloc(batch * units);
  const hView = viewOf(h, batch, units);
  const c = arith.alloc(batch * units);
  const hu = arith.alloc(batch * width);
  const huView = viewOf(hu, batch, width);

  return {
    h,
    state: [h, c],
    step(t) {
      hu.fill(0);
      // [batch, units] x [units, 4*units] -> [batch, 4*units]
      arith.matmulAccumulate(huView, hView, recurrentKernel);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * timeSteps + t) * width;
        const zRow = b * width;
        const hRow = b * units;
        for (let j = 0; j < units; j++) {
          // Parity note: Keras 3's and tfjs's LSTMCell add the bias last: z = (x·W + h·U) + b.
          const zI = round(round(xw[xRow + iOffset + j] + hu[zRow + iOffset + j]) + bias[iOffset + j]);
          const zF = round(round(xw[xRow + fOffset + j] + hu[zRow + fOffset + j]) + bias[fOffset + j]);
          const zC = round(round(xw[xRow + cOffset + j] + hu[zRow + cOffset + j]) + bias[cOffset + j]);
          const zO = round(round(xw[xRow + oOffset + j] + hu[zRow + oOffset + j]) + bias[oOffset + j]);
          const i = round(recurrentActivation(zI));
          const f = round(recurrentActivation(zF));
          const candidate = round(activation(zC));
          const o = round(recurrentActivation(zO));
          const cT = round(round(f * c[hRow + j]) + round(i * candidate));
          c[hRow + j] = cT;
          h[hRow + j] = round(o * round(activation(cT)));
        }
      }
    },
  };
};
