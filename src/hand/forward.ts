/**
 * The hand path's entry point: a whole model's forward pass in plain TypeScript, no tensor library.
 * Read top to bottom: validate, run the recurrent layers bottom to top, apply the dense head.
 */
import type { NdArray } from '../tensor';
import type { RnnWeights } from '../weights';
import { denseForward } from './dense';
import { arithmeticFor, Precision } from './precision';
import { runRecurrentLayer, type RecurrentFaults } from './recurrent';
import { validateForwardInputs } from './validate';

export type { Precision } from './precision';

/**
 * The fault seam of the hand forward (the fault suite, apps/faults/, injects its bugs here, never into a copy
 * of this code), in the order the data meets them. Without hooks the code path is the shipped one.
 */
export interface ForwardFaults extends RecurrentFaults {
  /** Rewrites what the hand code reads (a layout, a bias, an activation name). */
  readonly weights?: (weights: RnnWeights) => RnnWeights;
  /** input: [batch, timeSteps, inputDim] -> the same shape (a time shift, a batch/time mix-up). */
  readonly input?: (input: NdArray) => NdArray;
  /** output: [batch, denseUnits] or [batch, timeSteps, denseUnits] -> the same shape. */
  readonly output?: (output: NdArray) => NdArray;
}

/**
 * Runs recurrent layers + dense head on `input`, as Keras 3 and tfjs define them (zero initial state,
 * goBackwards outputs in processing order, linear dense head).
 *
 * Stacked layers: layer k's full output sequence [batch, timeSteps, units] is layer k+1's input, whatever
 * layer k's returnSequences says; only the last layer's returnSequences decides the output rank.
 *
 * @param weights recurrent layers bottom to top (kernel [inputDim, gates*units], recurrentKernel
 *   [units, gates*units], bias [gates*units]) and the dense head (kernel [units, denseUnits], bias [denseUnits])
 * @param input [batch, timeSteps, inputDim], Float32Array or Float64Array data
 * @param precision 'float64' (default): plain doubles, the reference. 'float32': every operation's result
 *   rounded to float32 (the input too), to show the float32 error floor.
 * @returns [batch, denseUnits], or [batch, timeSteps, denseUnits] when the last layer returns sequences;
 *   Float64Array data (in float32 mode every value is a float32 value)
 * @param faults fault hooks (the fault suite only); none by default
 * @throws ShapeError when the input or a weight has the wrong rank, shape or length ("expected X, got Y").
 * @throws ConfigError for an unknown precision, cell, activation or recurrentActivation.
 */
export function forwardHand(weights: RnnWeights, input: NdArray, precision: Precision = 'float64', faults: ForwardFaults = {}): NdArray {
  const arith = arithmeticFor(precision);
  const w = faults.weights ? faults.weights(weights) : weights;
  const x0 = faults.input ? faults.input(input) : input;
  const { batch, timeSteps } = validateForwardInputs(w, x0);

  const layers = w.recurrent;
  const last = layers.length - 1;
  let x = arith.load(x0.data);
  layers.forEach((layer, k) => {
    // [batch, timeSteps, inputDim] -> [batch, timeSteps, units], or [batch, units] for the last layer
    x = runRecurrentLayer(layer, x, batch, timeSteps, arith, k < last || layer.returnSequences, {}, faults);
  });

  const returnSequences = layers[last].returnSequences;
  const denseUnits = w.dense.kernel.cols;
  // [rows, units] -> [rows, denseUnits], rows = batch*timeSteps (every step) or batch (last step)
  const y = denseForward(w.dense, x, returnSequences ? batch * timeSteps : batch, arith);
  const output: NdArray = {
    shape: returnSequences ? [batch, timeSteps, denseUnits] : [batch, denseUnits],
    data: y instanceof Float64Array ? y : Float64Array.from(y),
  };
  return faults.output ? faults.output(output) : output;
}
