/**
 * GRU, kernel columns [z|r|h]; ra = recurrentActivation, act = activation; h_0 = 0. Two variants:
 *
 * resetAfter = false (tfjs's only mode; Keras's reset_after=False), bias [3*units]:
 *   z  = ra(x·Wz + bz + h_{t-1}·Uz)
 *   r  = ra(x·Wr + br + h_{t-1}·Ur)
 *   hh = act(x·Wh + bh + (r * h_{t-1})·Uh)            reset gate applied before the matmul
 *
 * resetAfter = true (Keras's default), bias = input bias [3*units], recurrentBias [3*units]:
 *   mx = x·W + bias,  mi = h_{t-1}·U + recurrentBias
 *   z  = ra(mx_z + mi_z),  r = ra(mx_r + mi_r)
 *   hh = act(mx_h + r * mi_h)                         reset gate applied after the matmul
 *
 * Both: h = z * h_{t-1} + (1 - z) * hh.
 */
import { ShapeError } from '../errors';
import { AnyWeightValues, gateCount, RecurrentLayerWeights } from '../weights';
import { activationFunction, recurrentActivationFunction, ScalarFunction } from './activations';
import { CellFactory, projectInputs, RecurrentCell } from './cell';
import { addRowVector, FloatBuffer, gateOffset, gateSlice, MatrixView, viewOf } from './linalg';
import type { Arithmetic } from './precision';

/** Gate order of the kernel columns, [z|r|h], as in Keras and tfjs. */
export const GRU_GATE = { z: 0, r: 1, h: 2 } as const;

/** What both variants set up: weights in this precision, x·W + bias for all steps, and the state. */
interface GruSetup {
  readonly units: number;
  readonly width: number;
  readonly activation: ScalarFunction;
  readonly recurrentActivation: ScalarFunction;
  readonly recurrentKernel: MatrixView;
  /** x·W + bias: [batch*timeSteps, 3*units]. */
  readonly xw: FloatBuffer;
  /** [batch, units] */
  readonly h: FloatBuffer;
  readonly hView: MatrixView;
  readonly zOffset: number;
  readonly rOffset: number;
  readonly hOffset: number;
}

function setUp(layer: RecurrentLayerWeights<AnyWeightValues>, input: FloatBuffer, batch: number, timeSteps: number, arith: Arithmetic): GruSetup {
  const { units } = layer;
  const width = gateCount('gru') * units;
  const kernel = viewOf(arith.load(layer.kernel.data), layer.kernel.rows, width);
  // Parity note: Keras 3's and tfjs's GRUCell add the (input) bias to x·W before anything else.
  // [batch*timeSteps, inputDim] x [inputDim, 3*units] -> [batch*timeSteps, 3*units]
  const projection = projectInputs(input, batch * timeSteps, kernel, arith);
  addRowVector(projection, arith.load(layer.bias), arith.round);
  const h = arith.alloc(batch * units);
  return {
    units,
    width,
    activation: activationFunction(layer.activation),
    recurrentActivation: recurrentActivationFunction(layer.recurrentActivation),
    recurrentKernel: viewOf(arith.load(layer.recurrentKernel.data), units, width),
    xw: projection.data,
    h,
    hView: viewOf(h, batch, units),
    zOffset: gateOffset(GRU_GATE.z, units),
    rOffset: gateOffset(GRU_GATE.r, units),
    hOffset: gateOffset(GRU_GATE.h, units),
  };
}

/**
 * Sets up a GRU layer over a whole input sequence, in the variant layer.resetAfter names.
 *
 * @param layer kernel [inputDim, 3*units], recurrentKernel [units, 3*units], bias [3*units] columns [z|r|h];
 *   with resetAfter also recurrentBias [3*units]
 * @param input [batch, timeSteps, inputDim]
 * @returns a RecurrentCell whose h is [batch, units]
 * @throws ConfigError when layer.activation or layer.recurrentActivation is not a known name.
 * @throws ShapeError when resetAfter is set and recurrentBias is missing.
 */
export const createGruCell: CellFactory = (layer, input, batch, timeSteps, arith) => {
  const setup = setUp(layer, input, batch, timeSteps, arith);
  if (!layer.resetAfter) return resetBeforeCell(setup, batch, timeSteps, arith);
  if (layer.recurrentBias === undefined) {
    // forwardHand's validation refuses this first; kept so the factory never reads a missing bias.
    throw new ShapeError(`gru recurrentBias: expected [${setup.width}] with resetAfter, got undefined`);
  }
  return resetAfterCell(setup, arith.load(layer.recurrentBias), batch, timeSteps, arith);
};

/** resetAfter = false: (r * h)·Uh, a second matmul per step. */
function resetBeforeCell(setup: GruSetup, batch: number, timeSteps: number, arith: Arithmetic): RecurrentCell {
  const { units, width, activation, recurrentActivation, xw, h, hView, zOffset, rOffset, hOffset } = setup;
  const { round } = arith;
  // Parity note: tfjs's GRUCell multiplies h by [Uz|Ur] first, then (r * h) by Uh (recurrentKernel sliced).
  const recurrentKernelZr = gateSlice(setup.recurrentKernel, GRU_GATE.z, units, 2);
  const recurrentKernelH = gateSlice(setup.recurrentKernel, GRU_GATE.h, units);
  const zrWidth = recurrentKernelZr.cols;
  const hu = arith.alloc(batch * zrWidth);
  const huView = viewOf(hu, batch, zrWidth);
  const z = arith.alloc(batch * units);
  const rh = arith.alloc(batch * units);
  const rhView = viewOf(rh, batch, units);
  const rhu = arith.alloc(batch * units);
  const rhuView = viewOf(rhu, batch, units);

  return {
    h,
    state: [h],
    step(t) {
      hu.fill(0);
      // [batch, units] x [units, 2*units] -> [batch, 2*units]   (columns [z|r])
      arith.matmulAccumulate(huView, hView, recurrentKernelZr);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * timeSteps + t) * width;
        const zrRow = b * zrWidth;
        const hRow = b * units;
        for (let j = 0; j < units; j++) {
          z[hRow + j] = round(recurrentActivation(round(xw[xRow + zOffset + j] + hu[zrRow + zOffset + j])));
          const r = round(recurrentActivation(round(xw[xRow + rOffset + j] + hu[zrRow + rOffset + j])));
          rh[hRow + j] = round(r * h[hRow + j]);
        }
      }
      rhu.fill(0);
      // [batch, units] x [units, units] -> [batch, units]   (r * h_{t-1}) · Uh
      arith.matmulAccumulate(rhuView, rhView, recurrentKernelH);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * timeSteps + t) * width;
        const hRow = b * units;
        for (let j = 0; j < units; j++) {
          const hh = round(activation(round(xw[xRow + hOffset + j] + rhu[hRow + j])));
          const zj = z[hRow + j];
          h[hRow + j] = round(round(zj * h[hRow + j]) + round(round(1 - zj) * hh));
        }
      }
    },
  };
}

/** resetAfter = true: one matmul per step, h·U + recurrentBias, with r applied to its h block. */
function resetAfterCell(setup: GruSetup, recurrentBias: FloatBuffer, batch: number, timeSteps: number, arith: Arithmetic): RecurrentCell {
  const { width, activation, recurrentActivation, xw, h, hView, zOffset, rOffset, hOffset } = setup;
  const { units } = setup;
  const { round } = arith;
  const hu = arith.alloc(batch * width);
  const huView = viewOf(hu, batch, width);

  return {
    h,
    state: [h],
    step(t) {
      hu.fill(0);
      // [batch, units] x [units, 3*units] -> [batch, 3*units]
      arith.matmulAccumulate(huView, hView, setup.recurrentKernel);
      // Parity note: Keras 3's GRUCell (reset_after=True) adds the recurrent bias to h·U, then r scales its h block.
      addRowVector(huView, recurrentBias, round);
      for (let b = 0; b < batch; b++) {
        const xRow = (b * timeSteps + t) * width;
        const uRow = b * width;
        const hRow = b * units;
        for (let j = 0; j < units; j++) {
          const z = round(recurrentActivation(round(xw[xRow + zOffset + j] + hu[uRow + zOffset + j])));
          const r = round(recurrentActivation(round(xw[xRow + rOffset + j] + hu[uRow + rOffset + j])));
          const hh = round(activation(round(xw[xRow + hOffset + j] + round(r * hu[uRow + hOffset + j]))));
          h[hRow + j] = round(round(z * h[hRow + j]) + round(round(1 - z) * hh));
        }
      }
    },
  };
}
