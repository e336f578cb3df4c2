/**
 * Default tolerances, chosen from measured error levels (not from tfjs-core's test epsilon of 1e-3,
 * which lets real bugs through: hardSigmoid for sigmoid moves outputs by up to 0.08).
 *
 * What we compare: the layer path (float32 on every backend) against the hand path in float64.
 * Its error is float32 rounding, which grows with the length of the dot products each step reduces
 * over, K = inputDim + units (the kernel and recurrent-kernel matmuls), and barely with T: the
 * recurrences here are contractive, so old rounding errors fade instead of adding up.
 *
 * Measured max |layer - float64 hand| on the tensorflow backend, seed 42 (rnn-parity's check with the
 * spec shown; same order of magnitude on cpu and wasm):
 *   SimpleRNN 1/10/3/5 (K=8), the notebook ........................ 1.7e-8
 *   SimpleRNN 4/10/3/5, relu, sigmoid, linear, sequences, backwards  <= 4.8e-7 (linear, |y| up to 4.6)
 *   SimpleRNN 1/1000/8/32 (K=40) .................................. 1.8e-7
 *   SimpleRNN 1/10000/8/32 ........................................ 1.5e-7
 *   SimpleRNN 16/100/32/128 (K=160) ............................... 3.9e-7
 *   SimpleRNN 256/200/64/256 (K=320), |y| up to 3.4 ............... 1.95e-6
 *   LSTM 16/28/28/128 (seed 002's shape, K=156) ................... 3.8e-7
 *   LSTM 8/50/512/512 (K=1024) .................................... 7.7e-7
 *   GRU (reset_after=False) 64/100/32/128, 1/1000/3/32 ............ <= 3.8e-7
 * Real Keras float32 sits within about 5e-7 of a float64 recomputation on small models, the same floor.
 * A trained model is harder: seed 002's LSTM(128) after training (models/mnist-lstm, standardized pixels)
 * has logits up to 10.7 (12.6 after 5 epochs) and errors up to 6.4e-6 over 100,000 logits (7.4e-6 after
 * 5 epochs), using at most 41% (44%) of atol + rtol*|logit|: the rtol term carries it.
 *
 * What must still be caught, measured on the default spec (SimpleRNN 1/10/3/5): adding 1e-4 to any single
 * recurrent bias element moves the output by at least 6.4e-6; hardSigmoid for sigmoid moves it by ~1e-2.
 *
 * Hence atol = 2e-6 * max(1, sqrt(K / 16)): 2e-6 for small models (16x above their 1.2e-7 float32 floor,
 * 3x below the smallest single-bias shift), growing like float32 dot-product error with K; at K=320 it is
 * 8.9e-6, 4.6x the measured 1.95e-6. rtol = 1e-6, 16 float32 ulps of relative slack for outputs far from 0.
 * Every check prints the tolerance it used; --atol and --rtol override both.
 *
 * When a check fails at this tolerance, runCheck measures the model's own float32 floor and, if that floor
 * is higher, retries at floorAwareTolerance (below): linear and relu recurrences can grow far from unit
 * scale, where fixed atol is meaningless. The report says when that happened.
 *
 * Assumption: inputs of unit scale, as the seeded randn input is. float32's error follows the size of the
 * terms a dot product adds up, not of its result: seed 000's inputs near 100 (terms summing to ~265 that
 * cancel to 1.4) put the wasm backend at 1.9e-6 against an allowed 2.9e-6. For inputs far from unit scale,
 * pass --atol (or scale the input).
 */
import type { ModelSpec } from '../spec';
import type { Tolerance } from './compare';

/** The absolute tolerance for small models (K <= 16). */
export const BASE_ATOL = 2e-6;
/** Relative tolerance: 16 float32 ulps (float32 epsilon is 1.19e-7, half an ulp relative is 6e-8). */
export const DEFAULT_RTOL = 1e-6;
/** Dot-product length up to which BASE_ATOL applies unscaled. */
const BASE_REDUCTION = 16;

/** Longest dot product a step reduces over: inputDim + units for layer 0 (units + units above it). */
function reductionSize(spec: ModelSpec): number {
  const firstLayer = spec.inputDim + spec.units;
  const upperLayers = spec.layers > 1 ? 2 * spec.units : 0;
  return Math.max(firstLayer, upperLayers, spec.units);
}

/** The default tolerance for comparing a float32 layer path with the float64 hand path on `spec`. */
export function defaultTolerance(spec: ModelSpec): Tolerance {
  const scale = Math.max(1, Math.sqrt(reductionSize(spec) / BASE_REDUCTION));
  return { atol: BASE_ATOL * scale, rtol: DEFAULT_RTOL };
}

/**
 * How far above a model's own float32 floor the layer path may sit, when that floor is above the default.
 * The floor is max |hand path in float32 - hand path in float64|: the same model and input with every
 * operation rounded to float32 in the hand path's order. Measured in the 500-spec no-false-alarm sweeps
 * (scripts/no-false-alarms.ts) on the specs whose values leave unit scale (linear or relu recurrences
 * growing to |y| of 17 to 1e18): the layer path's error over that floor was about 1.0 on wasm and cpu and
 * up to 2.1 on tensorflow for SimpleRNN (libtensorflow sums in another order), and 6.5 for a 2-layer relu
 * LSTM on tensorflow (seed 3145465589, 4/60/19/20: floor 4.5e-4, layer 3.0e-3). 16 leaves 2.5x over that.
 * Models that overflow float32 still fail: Inf and NaN never pass.
 */
export const FLOOR_FACTOR = 16;

/**
 * The tolerance once a model's float32 floor is known: atol = max(base.atol, FLOOR_FACTOR * float32Floor).
 * For models at unit scale the floor is ~1e-7 and this is `base` unchanged; it only grows where float32
 * itself cannot do better, so it never hides an error float32 could have avoided.
 */
export function floorAwareTolerance(base: Tolerance, float32Floor: number): Tolerance {
  return { atol: Math.max(base.atol, FLOOR_FACTOR * float32Floor), rtol: base.rtol };
}
