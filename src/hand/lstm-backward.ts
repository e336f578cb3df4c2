/**
 * LSTM for backpropagation through time, kernel columns [i|f|c|o]. Forward as ./lstm.ts (same operation
 * order; ra = recurrentActivation, act = activation):
 *   z = (x·W + h_{t-1}·U) + b,   i = ra(z_i), f = ra(z_f), g = act(z_c), o = ra(z_o)
 *   c = f * c_{t-1} + i * g,      h = o * act(c)
 * Backward of one step, from dh and dc:
 *   do = dh * act(c),   dc' = dc + dh * o * act'(c)
 *   df = dc' * c_{t-1},   di = dc' * g,   dg = dc' * i,   dc_{t-1} += dc' * f
 *   dz = [di * ra'(z_i) | df * ra'(z_f) | dg * act'(z_c) | do * ra'(z_o)]   -> dL/d(x·W), and db = sum of dz
 *   dU += h_{t-1}^T · dz,   dh_{t-1} += dz · U^T
 */
import { gateCount } from '../weights';
import { activationFunction, recurrentActivationFunction } from './activations';
import { at, cellDerivative, DifferentiableCellFactory, StepRecord, timeStepRows } from './cell-backward';
import { FloatBuffer, gateOffset, viewOf } from './linalg';
import { accumulateTransposedLeft, transposed } from './linalg-transpose';
import { LSTM_GATE } from './lstm';

interface LstmStep extends StepRecord {
  /** h_{t-1}, c_{t-1}: [batch, units] */
  readonly hPrevious: FloatBuffer;
  readonly cPrevious: FloatBuffer;
  /** z, the gates' inputs [batch, 4*units], columns [i|f|c|o] */
  readonly preActivation: FloatBuffer;
  /** i, f, g, o: [batch, 4*units], columns [i|f|c|o] */
  readonly gates: FloatBuffer;
  /** c after the step [batch, units] */
  readonly c: FloatBuffer;
}

/**
 * Sets up an LSTM layer for BPTT.
 * @param layer kernel [inputDim, 4*units], recurrentKernel [units, 4*units], bias [4*units], columns [i|f|c|o]
 * @param projection x·W [batch, timeSteps, 4*units]; the bias is added per step, after h·U, as the forward does
 * @param faults fault hooks (tests only, see CellBackwardFaults)
 */
export const createLstmBackwardCell: DifferentiableCellFactory = (layer, projection, batch, timeSteps, arith, faults) => {
  const { units } = layer;
  const { round } = arith;
  const width = gateCount('lstm') * units;
  const activation = activationFunction(layer.activation);
  const activationDerivative = cellDerivative('activation', layer.activation, faults);
  const recurrentActivation = recurrentActivationFunction(layer.recurrentActivation);
  const recurrentDerivative = cellDerivative('recurrentActivation', layer.recurrentActivation, faults);
  const recurrentKernel = viewOf(arith.load(layer.recurrentKernel.data), units, width);
  const recurrentKernelT = transposed(recurrentKernel, arith);
  const bias = arith.load(layer.bias);
  const [iOffset, fOffset, cOffset, oOffset] = [LSTM_GATE.i, LSTM_GATE.f, LSTM_GATE.c, LSTM_GATE.o].map((gate) => gateOffset(gate, units));
  const recurrentKernelGradient = arith.alloc(units * width);

  return {
    stateCount: 2,
    recurrentKernelGradient,
    forward(t, [hPrevious, cPrevious]): LstmStep {
      const xw = timeStepRows(projection, batch, timeSteps, width, t);
      const hu = arith.alloc(batch * width);
      // [batch, units] x [units, 4*units] -> [batch, 4*units]
      arith.matmulAccumulate(viewOf(hu, batch, width), viewOf(hPrevious, batch, units), recurrentKernel);
      const preActivation = arith.alloc(batch * width);
      const gates = arith.alloc(batch * width);
      const c = arith.alloc(batch * units);
      const h = arith.alloc(batch * units);
      for (let b = 0; b < batch; b++) {
        for (let col = 0; col < width; col++) {
          const k = b * width + col;
          preActivation[k] = round(round(xw.data[at(xw, b, col)] + hu[k]) + bias[col]);
          const candidate = col >= cOffset && col < cOffset + units;
          gates[k] = round(candidate ? activation(preActivation[k]) : recurrentActivation(preActivation[k]));
        }
        for (let j = 0; j < units; j++) {
          const row = b * width;
          const k = b * units + j;
          c[k] = round(round(gates[row + fOffset + j] * cPrevious[k]) + round(gates[row + iOffset + j] * gates[row + cOffset + j]));
          h[k] = round(gates[row + oOffset + j] * round(activation(c[k])));
        }
      }
      return { next: [h, c], hPrevious, cPrevious, preActivation, gates, c };
    },
    backward(step: LstmStep, [dh, dc], [dhPrevious, dcPrevious], dProjection) {
      const { preActivation: z, gates } = step;
      for (let b = 0; b < batch; b++) {
        const row = b * width;
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          const [i, f, g, o] = [gates[row + iOffset + j], gates[row + fOffset + j], gates[row + cOffset + j], gates[row + oOffset + j]];
          const dOutputGate = round(dh[k] * round(activation(step.c[k])));
          const dCell = round(dc[k] + round(round(dh[k] * o) * round(activationDerivative(step.c[k]))));
          dcPrevious[k] = round(dcPrevious[k] + round(dCell * f));
          const dInputGate = round(dCell * g);
          const dForgetGate = round(dCell * step.cPrevious[k]);
          const dCandidate = round(dCell * i);
          dProjection.data[at(dProjection, b, iOffset + j)] = round(dInputGate * round(recurrentDerivative(z[row + iOffset + j])));
          dProjection.data[at(dProjection, b, fOffset + j)] = round(dForgetGate * round(recurrentDerivative(z[row + fOffset + j])));
          dProjection.data[at(dProjection, b, cOffset + j)] = round(dCandidate * round(activationDerivative(z[row + cOffset + j])));
          dProjection.data[at(dProjection, b, oOffset + j)] = round(dOutputGate * round(recurrentDerivative(z[row + oOffset + j])));
        }
      }
      faults?.gateGradients?.('lstm', dProjection, units);
      // [units, batch] x [batch, 4*units] -> [units, 4*units]
      accumulateTransposedLeft(viewOf(recurrentKernelGradient, units, width), viewOf(step.hPrevious, batch, units), dProjection, arith);
      // [batch, 4*units] x [4*units, units] -> [batch, units]
      arith.matmulAccumulate(viewOf(dhPrevious, batch, units), dProjection, recurrentKernelT);
    },
  };
};
