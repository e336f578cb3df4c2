/**
 * The hand path's entry point: a whole model's forward pass in plain TypeScript, no tensor library.
 * Read top to bottom: validate, run the recurrent layers bottom to top, apply the dense head.
 */
import type { NdArray } from '../tensor';
import type { RnnWeights } from '../weights';
import { denseForward } from './dense';
import { arithmeticFor, Precision } from './precision';
import { runRecurrentLayer } from './recurrent';
import { validateForwardInputs } from './validate';

export type { Precision } from './precision';

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
 * @throws ShapeError when the input or a weight has the wrong rank, shape or length ("expected X, got Y").
 * @throws ConfigError for an unknown precision, cell, activation or recurrentActivation.
 */
export function forwardHand(weights: RnnWeights, input: NdArray, precision: Precision = 'float64'): NdArray {
  const arith = arithmeticFor(precision);
  const { batch, timeSteps } = validateForwardInputs(weights, input);

  const layers = weights.recurrent;
  const last = layers.length - 1;
  let x = arith.load(input.data);
  layers.forEach((layer, k) => {
    // [batch, timeSteps, inputDim] -> [batch, timeSteps, units], or [batch, units] for the last layer
    x = runRecurrentLayer(layer, x, batch, timeSteps, arith, k < last || layer.returnSequences);
  });

  const returnSequences = layers[last].returnSequences;
  const denseUnits = weights.dense.kernel.cols;
  // [rows, units] -> [rows, denseUnits], rows = batch*timeSteps (every step) or batch (last step)
  const y = denseForward(weights.dense, x, returnSequences ? batch * timeSteps : batch, arith);
  return {
    shape: returnSequences ? [batch, timeSteps, denseUnits] : [batch, denseUnits],
    data: y instanceof Float64Array ? y : Float64Array.from(y),
  };
}
