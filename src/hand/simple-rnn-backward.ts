/**
 * SimpleRNN for backpropagation through time. Forward as ./simple-rnn.ts (same operation order):
 *   a = (x·W + b) + h_{t-1}·U,   h = act(a)
 * Backward of one step, from dh:
 *   da = dh * act'(a)                  -> dL/d(x·W + b) (the time loop makes dW, dx and db of it)
 *   dU += h_{t-1}^T · da,   dh_{t-1} += da · U^T
 */
import { activationFunction } from './activations';
import { at, cellDerivative, DifferentiableCellFactory, StepRecord, timeStepRows } from './cell-backward';
import { addRowVector, FloatBuffer, viewOf } from './linalg';
import { accumulateTransposedLeft, transposed } from './linalg-transpose';

interface SimpleRnnStep extends StepRecord {
  /** h_{t-1} [batch, units] */
  readonly hPrevious: FloatBuffer;
  /** a, the activation's input [batch, units] */
  readonly preActivation: FloatBuffer;
}

/**
 * Sets up a SimpleRNN layer for BPTT.
 * @param layer kernel [inputDim, units], recurrentKernel [units, units], bias [units]
 * @param projection x·W [batch, timeSteps, units]; the bias is added to it in place
 * @param faults fault hooks (tests only, see CellBackwardFaults)
 */
export const createSimpleRnnBackwardCell: DifferentiableCellFactory = (layer, projection, batch, timeSteps, arith, faults) => {
  const { units } = layer;
  const { round } = arith;
  const activation = activationFunction(layer.activation);
  const derivative = cellDerivative('activation', layer.activation, faults);
  const recurrentKernel = viewOf(arith.load(layer.recurrentKernel.data), units, units);
  const recurrentKernelT = transposed(recurrentKernel, arith);
  // Parity note: as the forward, the bias goes onto x·W before h·U is added.
  addRowVector(viewOf(projection, batch * timeSteps, units), arith.load(layer.bias), round);
  const recurrentKernelGradient = arith.alloc(units * units);

  return {
    stateCount: 1,
    recurrentKernelGradient,
    forward(t, [hPrevious]): SimpleRnnStep {
      const xw = timeStepRows(projection, batch, timeSteps, units, t);
      const hu = arith.alloc(batch * units);
      // [batch, units] x [units, units] -> [batch, units]
      arith.matmulAccumulate(viewOf(hu, batch, units), viewOf(hPrevious, batch, units), recurrentKernel);
      const preActivation = arith.alloc(batch * units);
      const h = arith.alloc(batch * units);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          preActivation[k] = round(xw.data[at(xw, b, j)] + hu[k]);
          h[k] = round(activation(preActivation[k]));
        }
      }
      return { next: [h], hPrevious, preActivation };
    },
    backward(step: SimpleRnnStep, [dh], [dhPrevious], dProjection) {
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          dProjection.data[at(dProjection, b, j)] = round(dh[k] * round(derivative(step.preActivation[k])));
        }
      }
      faults?.gateGradients?.('simple', dProjection, units);
      // [units, batch] x [batch, units] -> [units, units]
      accumulateTransposedLeft(viewOf(recurrentKernelGradient, units, units), viewOf(step.hPrevious, batch, units), dProjection, arith);
      // [batch, units] x [units, units] -> [batch, units]
      arith.matmulAccumulate(viewOf(dhPrevious, batch, units), dProjection, recurrentKernelT);
    },
  };
};
