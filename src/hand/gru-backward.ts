/**
 * GRU for backpropagation through time, kernel columns [z|r|h]. Forward as ./gru.ts (same operation order;
 * ra = recurrentActivation, act = activation), in its two variants:
 *
 * resetAfter = false:  a_z = xw_z + h_{t-1}·Uz,  a_r = xw_r + h_{t-1}·Ur,  a_h = xw_h + (r * h_{t-1})·Uh
 * resetAfter = true:   u = h_{t-1}·U + b_rec,   a_z = xw_z + u_z,  a_r = xw_r + u_r,  a_h = xw_h + r * u_h
 * Both: xw = x·W + b,  z = ra(a_z),  r = ra(a_r),  hh = act(a_h),  h = z * h_{t-1} + (1 - z) * hh.
 *
 * Backward of one step, from dh (both variants):
 *   dz = dh * (h_{t-1} - hh),  dhh = dh * (1 - z),  dh_{t-1} += dh * z
 *   da_h = dhh * act'(a_h),  da_z = dz * ra'(a_z),  da_r = dr * ra'(a_r)   -> dL/d(xw) = [da_z | da_r | da_h]
 * resetAfter = false:  d(r*h) = da_h · Uh^T,  dr = d(r*h) * h_{t-1},  dh_{t-1} += d(r*h) * r
 *   dUh += (r*h)^T · da_h,  d[Uz|Ur] += h_{t-1}^T · [da_z|da_r],  dh_{t-1} += [da_z|da_r] · [Uz|Ur]^T
 * resetAfter = true:   du = [da_z | da_r | da_h * r],  dr = da_h * u_h
 *   dU += h_{t-1}^T · du,  db_rec += sum of du,  dh_{t-1} += du · U^T
 */
import { ShapeError } from '../errors';
import { gateCount } from '../weights';
import { activationFunction, recurrentActivationFunction, ScalarFunction } from './activations';
import { at, cellDerivative, CellBackwardFaults, DifferentiableCell, DifferentiableCellFactory, StepRecord, timeStepRows } from './cell-backward';
import { GRU_GATE } from './gru';
import { addRowVector, FloatBuffer, gateOffset, gateSlice, MatrixView, viewOf } from './linalg';
import { accumulateColumnSums, accumulateTransposedLeft, rowBlock, transposed } from './linalg-transpose';
import type { Arithmetic } from './precision';

interface GruStep extends StepRecord {
  /** h_{t-1} [batch, units] */
  readonly hPrevious: FloatBuffer;
  /** a_z, a_r, a_h: the activations' inputs [batch, 3*units], columns [z|r|h] */
  readonly preActivation: FloatBuffer;
  /** z, r, hh: [batch, 3*units], columns [z|r|h] */
  readonly gates: FloatBuffer;
  /** resetAfter = false: r * h_{t-1} [batch, units]; true: u = h_{t-1}·U + b_rec [batch, 3*units] */
  readonly recurrentPart: FloatBuffer;
}

/** What both variants set up. */
interface GruBackwardSetup {
  readonly units: number;
  readonly width: number;
  readonly batch: number;
  readonly timeSteps: number;
  readonly arith: Arithmetic;
  readonly activation: ScalarFunction;
  readonly activationDerivative: ScalarFunction;
  readonly recurrentActivation: ScalarFunction;
  readonly recurrentDerivative: ScalarFunction;
  /** U [units, 3*units] and its transpose [3*units, units] */
  readonly recurrentKernel: MatrixView;
  readonly recurrentKernelT: MatrixView;
  /** x·W + b [batch, timeSteps, 3*units] */
  readonly projection: FloatBuffer;
  readonly offsets: { readonly z: number; readonly r: number; readonly h: number };
  /** Fault hooks (tests only, see CellBackwardFaults). */
  readonly faults?: CellBackwardFaults;
}

/**
 * Sets up a GRU layer for BPTT, in the variant layer.resetAfter names.
 * @param layer kernel [inputDim, 3*units], recurrentKernel [units, 3*units], bias [3*units] columns [z|r|h];
 *   with resetAfter also recurrentBias [3*units]
 * @param projection x·W [batch, timeSteps, 3*units]; the (input) bias is added to it in place
 * @param faults fault hooks (tests only, see CellBackwardFaults)
 * @throws ShapeError when resetAfter is set and recurrentBias is missing.
 */
export const createGruBackwardCell: DifferentiableCellFactory = (layer, projection, batch, timeSteps, arith, faults) => {
  const { units } = layer;
  const width = gateCount('gru') * units;
  // Parity note: as the forward, the (input) bias goes onto x·W before anything else.
  addRowVector(viewOf(projection, batch * timeSteps, width), arith.load(layer.bias), arith.round);
  const recurrentKernel = viewOf(arith.load(layer.recurrentKernel.data), units, width);
  const setup: GruBackwardSetup = {
    units,
    width,
    batch,
    timeSteps,
    arith,
    activation: activationFunction(layer.activation),
    activationDerivative: cellDerivative('activation', layer.activation, faults),
    recurrentActivation: recurrentActivationFunction(layer.recurrentActivation),
    recurrentDerivative: cellDerivative('recurrentActivation', layer.recurrentActivation, faults),
    recurrentKernel,
    recurrentKernelT: transposed(recurrentKernel, arith),
    projection,
    offsets: { z: gateOffset(GRU_GATE.z, units), r: gateOffset(GRU_GATE.r, units), h: gateOffset(GRU_GATE.h, units) },
    ...(faults ? { faults } : {}),
  };
  if (!layer.resetAfter) return resetBeforeCell(setup);
  if (layer.recurrentBias === undefined) throw new ShapeError(`gru recurrentBias: expected [${width}] with resetAfter, got undefined`);
  return resetAfterCell(setup, arith.load(layer.recurrentBias));
};

/**
 * The gates from their inputs' recurrent parts (the part the variants share): fills preActivation and gates
 * for z and r from xw + recurrentZr, where recurrentZr(b, col) reads h_{t-1}·[Uz|Ur] (+ b_rec).
 */
function updateAndResetGates(
  setup: GruBackwardSetup,
  t: number,
  recurrentZr: (b: number, col: number) => number,
  preActivation: FloatBuffer,
  gates: FloatBuffer,
): void {
  const { units, width, batch, timeSteps, arith, recurrentActivation, projection, offsets } = setup;
  const xw = timeStepRows(projection, batch, timeSteps, width, t);
  for (let b = 0; b < batch; b++) {
    for (const offset of [offsets.z, offsets.r]) {
      for (let j = 0; j < units; j++) {
        const k = b * width + offset + j;
        preActivation[k] = arith.round(xw.data[at(xw, b, offset + j)] + recurrentZr(b, offset + j));
        gates[k] = arith.round(recurrentActivation(preActivation[k]));
      }
    }
  }
}

/** The candidate hh and the new h, from a_h's recurrent part recurrentH(b, j). Fills preActivation's and gates' h block. */
function candidateAndState(
  setup: GruBackwardSetup,
  t: number,
  hPrevious: FloatBuffer,
  recurrentH: (b: number, j: number) => number,
  preActivation: FloatBuffer,
  gates: FloatBuffer,
): FloatBuffer {
  const { units, width, batch, timeSteps, arith, activation, projection, offsets } = setup;
  const { round } = arith;
  const xw = timeStepRows(projection, batch, timeSteps, width, t);
  const h = arith.alloc(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < units; j++) {
      const k = b * width + offsets.h + j;
      preActivation[k] = round(xw.data[at(xw, b, offsets.h + j)] + recurrentH(b, j));
      gates[k] = round(activation(preActivation[k]));
      const z = gates[b * width + offsets.z + j];
      h[b * units + j] = round(round(z * hPrevious[b * units + j]) + round(round(1 - z) * gates[k]));
    }
  }
  return h;
}

/**
 * The shared start of a step's backward: dh_{t-1} += dh * z, and da_h = dh * (1 - z) * act'(a_h) into
 * dProjection's h block; returns dz (before ra') [batch, units] for the caller to finish once it knows dr.
 */
function candidateBackward(setup: GruBackwardSetup, step: GruStep, dh: FloatBuffer, dhPrevious: FloatBuffer, dProjection: MatrixView): FloatBuffer {
  const { units, width, batch, arith, activationDerivative, offsets } = setup;
  const { round } = arith;
  const dUpdateGate = arith.alloc(batch * units);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < units; j++) {
      const k = b * units + j;
      const z = step.gates[b * width + offsets.z + j];
      const hh = step.gates[b * width + offsets.h + j];
      dUpdateGate[k] = round(dh[k] * round(step.hPrevious[k] - hh));
      dhPrevious[k] = round(dhPrevious[k] + round(dh[k] * z));
      const dCandidate = round(dh[k] * round(1 - z));
      dProjection.data[at(dProjection, b, offsets.h + j)] = round(dCandidate * round(activationDerivative(step.preActivation[b * width + offsets.h + j])));
    }
  }
  return dUpdateGate;
}

/** da_z = dz * ra'(a_z) and da_r = dr * ra'(a_r) into dProjection's z and r blocks. */
function gateInputsBackward(setup: GruBackwardSetup, step: GruStep, dUpdateGate: FloatBuffer, dResetGate: FloatBuffer, dProjection: MatrixView): void {
  const { units, width, batch, arith, recurrentDerivative, offsets } = setup;
  const { round } = arith;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < units; j++) {
      const k = b * units + j;
      const aZ = step.preActivation[b * width + offsets.z + j];
      const aR = step.preActivation[b * width + offsets.r + j];
      dProjection.data[at(dProjection, b, offsets.z + j)] = round(dUpdateGate[k] * round(recurrentDerivative(aZ)));
      dProjection.data[at(dProjection, b, offsets.r + j)] = round(dResetGate[k] * round(recurrentDerivative(aR)));
    }
  }
  setup.faults?.gateGradients?.('gru', dProjection, units);
}

/** resetAfter = false: (r * h_{t-1})·Uh, a second matmul per step, as the forward. */
function resetBeforeCell(setup: GruBackwardSetup): DifferentiableCell {
  const { units, width, batch, arith, recurrentKernel, recurrentKernelT } = setup;
  const { round } = arith;
  const recurrentKernelZr = gateSlice(recurrentKernel, GRU_GATE.z, units, 2);
  const recurrentKernelH = gateSlice(recurrentKernel, GRU_GATE.h, units);
  // Rows of U^T [3*units, units]: [Uz|Ur]^T and Uh^T.
  const recurrentKernelZrT = rowBlock(recurrentKernelT, gateOffset(GRU_GATE.z, units), 2 * units);
  const recurrentKernelHT = rowBlock(recurrentKernelT, gateOffset(GRU_GATE.h, units), units);
  const recurrentKernelGradient = arith.alloc(units * width);
  const gradientView = viewOf(recurrentKernelGradient, units, width);

  return {
    stateCount: 1,
    recurrentKernelGradient,
    forward(t, [hPrevious]): GruStep {
      const hu = arith.alloc(batch * 2 * units);
      // [batch, units] x [units, 2*units] -> [batch, 2*units]   (columns [z|r])
      arith.matmulAccumulate(viewOf(hu, batch, 2 * units), viewOf(hPrevious, batch, units), recurrentKernelZr);
      const preActivation = arith.alloc(batch * width);
      const gates = arith.alloc(batch * width);
      updateAndResetGates(setup, t, (b, col) => hu[b * 2 * units + col], preActivation, gates);
      const resetHidden = arith.alloc(batch * units);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) resetHidden[b * units + j] = round(gates[b * width + setup.offsets.r + j] * hPrevious[b * units + j]);
      }
      const rhu = arith.alloc(batch * units);
      // [batch, units] x [units, units] -> [batch, units]   (r * h_{t-1}) · Uh
      arith.matmulAccumulate(viewOf(rhu, batch, units), viewOf(resetHidden, batch, units), recurrentKernelH);
      const h = candidateAndState(setup, t, hPrevious, (b, j) => rhu[b * units + j], preActivation, gates);
      return { next: [h], hPrevious, preActivation, gates, recurrentPart: resetHidden };
    },
    backward(step: GruStep, [dh], [dhPrevious], dProjection) {
      const dUpdateGate = candidateBackward(setup, step, dh, dhPrevious, dProjection);
      const dCandidateInput = gateSlice(dProjection, GRU_GATE.h, units);
      // [units, batch] x [batch, units] -> [units, units]   dUh += (r*h)^T · da_h
      accumulateTransposedLeft(gateSlice(gradientView, GRU_GATE.h, units), viewOf(step.recurrentPart, batch, units), dCandidateInput, arith);
      const dResetHidden = arith.alloc(batch * units);
      // [batch, units] x [units, units] -> [batch, units]   d(r*h) = da_h · Uh^T
      arith.matmulAccumulate(viewOf(dResetHidden, batch, units), dCandidateInput, recurrentKernelHT);
      const dResetGate = arith.alloc(batch * units);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) {
          const k = b * units + j;
          dResetGate[k] = round(dResetHidden[k] * step.hPrevious[k]);
          dhPrevious[k] = round(dhPrevious[k] + round(dResetHidden[k] * step.gates[b * width + setup.offsets.r + j]));
        }
      }
      gateInputsBackward(setup, step, dUpdateGate, dResetGate, dProjection);
      const dGateInputsZr = gateSlice(dProjection, GRU_GATE.z, units, 2);
      // [units, batch] x [batch, 2*units] -> [units, 2*units]
      accumulateTransposedLeft(gateSlice(gradientView, GRU_GATE.z, units, 2), viewOf(step.hPrevious, batch, units), dGateInputsZr, arith);
      // [batch, 2*units] x [2*units, units] -> [batch, units]
      arith.matmulAccumulate(viewOf(dhPrevious, batch, units), dGateInputsZr, recurrentKernelZrT);
    },
  };
}

/** resetAfter = true: one matmul per step, h_{t-1}·U + b_rec, with r scaling its h block, as the forward. */
function resetAfterCell(setup: GruBackwardSetup, recurrentBias: FloatBuffer): DifferentiableCell {
  const { units, width, batch, arith, recurrentKernel, recurrentKernelT, offsets } = setup;
  const { round } = arith;
  const recurrentKernelGradient = arith.alloc(units * width);
  const recurrentBiasGradient = arith.alloc(width);

  return {
    stateCount: 1,
    recurrentKernelGradient,
    recurrentBiasGradient,
    forward(t, [hPrevious]): GruStep {
      const hu = arith.alloc(batch * width);
      const huView = viewOf(hu, batch, width);
      // [batch, units] x [units, 3*units] -> [batch, 3*units]
      arith.matmulAccumulate(huView, viewOf(hPrevious, batch, units), recurrentKernel);
      addRowVector(huView, recurrentBias, round);
      const preActivation = arith.alloc(batch * width);
      const gates = arith.alloc(batch * width);
      updateAndResetGates(setup, t, (b, col) => hu[b * width + col], preActivation, gates);
      const h = candidateAndState(setup, t, hPrevious, (b, j) => round(gates[b * width + offsets.r + j] * hu[b * width + offsets.h + j]), preActivation, gates);
      return { next: [h], hPrevious, preActivation, gates, recurrentPart: hu };
    },
    backward(step: GruStep, [dh], [dhPrevious], dProjection) {
      const dUpdateGate = candidateBackward(setup, step, dh, dhPrevious, dProjection);
      // du [batch, 3*units]: da_z and da_r as they are, da_h scaled by r.
      const dRecurrent = arith.alloc(batch * width);
      const dResetGate = arith.alloc(batch * units);
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < units; j++) {
          const dCandidateInput = dProjection.data[at(dProjection, b, offsets.h + j)];
          dRecurrent[b * width + offsets.h + j] = round(dCandidateInput * step.gates[b * width + offsets.r + j]);
          dResetGate[b * units + j] = round(dCandidateInput * step.recurrentPart[b * width + offsets.h + j]);
        }
      }
      gateInputsBackward(setup, step, dUpdateGate, dResetGate, dProjection);
      for (let b = 0; b < batch; b++) {
        for (const offset of [offsets.z, offsets.r]) {
          for (let j = 0; j < units; j++) dRecurrent[b * width + offset + j] = dProjection.data[at(dProjection, b, offset + j)];
        }
      }
      const dRecurrentView = viewOf(dRecurrent, batch, width);
      // [units, batch] x [batch, 3*units] -> [units, 3*units]
      accumulateTransposedLeft(viewOf(recurrentKernelGradient, units, width), viewOf(step.hPrevious, batch, units), dRecurrentView, arith);
      accumulateColumnSums(recurrentBiasGradient, dRecurrentView, round);
      // [batch, 3*units] x [3*units, units] -> [batch, units]
      arith.matmulAccumulate(viewOf(dhPrevious, batch, units), dRecurrentView, recurrentKernelT);
    },
  };
}
