/**
 * SimpleRNN: h_t = activation(x_t·W + b + h_{t-1}·U), h_0 = 0.
 * Weights: kernel W [inputDim, units], recurrentKernel U [units, units], bias b [units].
 */
import { activationFunction } from './activations';
import { CellFactory, projectInputs } from './cell';
import { addRowVector, viewOf } from './linalg';

/**
 * Sets up a SimpleRNN layer over a whole input sequence.
 *
 * @param layer kernel [inputDim, units], recurrentKernel [units, units], bias [units]
 * @param input [batch, timeSteps, inputDim]
 * @returns a RecurrentCell whose h is [batch, units]
 * @throws ConfigError when layer.activation is not a known activation.
 */
export const createSimpleRnnCell: CellFactory = (layer, input, batch, timeSteps, arith) => {
  const { units } = layer;
  const { round } = arith;
  const activation = activationFunction(layer.activation);
  const kernel = viewOf(arith.load(layer.kernel.data), layer.kernel.rows, units);
  const recurrentKernel = viewOf(arith.load(layer.recurrentKernel.data), units, units);
  const bias = arith.load(layer.bias);

  // Parity note: Keras 3's and tfjs's SimpleRNNCell add the bias to x·W, then add h·U.
  // [batch*timeSteps, inputDim] x [inputDim, units] -> [batch*timeSteps, units]
  const projection = projectInputs(input, batch * timeSteps, kernel, arith);
  addRowVector(projection, bias, round);
  const xw = projection.data;

  const h = arith.alloc(batch * units);
  const hView = viewOf(h, batch, units);
  const hu = arith.alloc(batch * units);
  const huView = viewOf(hu, batch, units);

  return {
    h,
    state: [h],
    step(t) {
      hu.fill(0);
      // [batch, units] x [units, units] -> [batch, units]
      arith.matmulAccumulate(huView, hView, recurrentKernel);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * timeSteps + t) * units;
        const hRow = b * units;
        for (let j = 0; j < units; j++) {
          h[hRow + j] = round(activation(round(xw[xRow + j] + hu[hRow + j])));
        }
      }
    },
  };
};
