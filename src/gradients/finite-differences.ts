/**
 * Central finite differences of a float64 loss: the check of the hand backward pass itself, independent of
 * it (it only runs the hand forward). Plain TypeScript.
 *
 * Per tensor (a weight, or a float input) two probes:
 *   directional   v = a seeded random unit direction over the whole tensor;
 *                 fd = (L(x + e v) - L(x - e v)) / 2e  against  <g, v>
 *   elementwise   the tensor's entries with the largest |g| and seeded random ones;
 *                 fd_i = (L(x + e_i) - L(x - e_i)) / 2e_i  against  g_i
 * Errors are scaled by the gradient's size (||g||_2 for the directional probe, max |g| for entries), so one
 * tolerance fits tensors of any magnitude. Step e = 1e-5 * max(1, |x|) (|x|_inf for the direction): the
 * truncation error is e^2/6 |L'''| ~ 2e-11 for unit-scale functions; the cancellation error is about
 * eps |L| / e, which is not small against a small gradient of a large loss (measured: an mse loss of 1.9 with
 * max |g| 2e-3 gave 1.5e-7 scaled at e = 1e-6). That part is allowed for explicitly: a probe passes when
 *   |g - fd| <= tolerance * scale + roundingFloor,  roundingFloor = 32 eps max(|L(x+e)|, |L(x-e)|) / e
 * (32: the loss is a sum of many rounded terms; the measured noise was 0.7 eps |L| / e).
 */
import { NumpyRandomState } from '../data/numpy-random';

/** What one probe measured. */
export interface FiniteDifferenceProbe {
  /** 'direction' or the flat index of the entry. */
  readonly at: 'direction' | number;
  readonly analytic: number;
  readonly numeric: number;
  /** |analytic - numeric| / scale (the tensor's ||g||_2 or max |g|; 1 where the gradient is all zeros). */
  readonly scaledError: number;
  /** The rounding error the difference itself may carry, scaled the same way (see the file comment). */
  readonly scaledFloor: number;
}

/** Whether a probe agrees: its error within the tolerance plus its own rounding floor; never with NaN or Inf. */
export function probePasses(probe: FiniteDifferenceProbe, tolerance: number): boolean {
  return Number.isFinite(probe.analytic) && Number.isFinite(probe.numeric) && probe.scaledError <= tolerance + probe.scaledFloor;
}

export interface FiniteDifferenceOptions {
  /** Entries probed one by one per tensor (default 4: the 2 largest |g| and 2 random). */
  readonly entries?: number;
  readonly seed?: number;
  /**
   * Entries where the loss is not differentiable (a Masking layer's padded steps: moving one value unmasks
   * the step, a jump): left out of every probe, the direction included.
   */
  readonly skip?: (index: number) => boolean;
}

/** The relative step (see the file comment). */
const STEP = 1e-5;

/** 32 eps max(|L+|, |L-|) / e: the rounding error a central difference of float64 losses may carry. */
function floorOf(plus: number, minus: number, step: number): number {
  return (32 * Number.EPSILON * Math.max(Math.abs(plus), Math.abs(minus))) / step;
}

function norm2(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** The indices of the `count` largest |g| (ties by position). */
function largest(gradient: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: gradient.length }, (_, i) => i)
    .sort((a, b) => Math.abs(gradient[b]) - Math.abs(gradient[a]) || a - b)
    .slice(0, count);
}

/**
 * Probes one tensor. `values` is perturbed in place and restored after each evaluation.
 * @param values the float64 tensor the loss reads (a weight copy or an input copy)
 * @param gradient the analytic dL/d(values) under test
 * @param loss evaluates L with `values` as they are at the time of the call
 */
export function probeTensor(
  values: Float64Array,
  gradient: ArrayLike<number>,
  loss: () => number,
  options: FiniteDifferenceOptions = {},
): FiniteDifferenceProbe[] {
  const { entries = 4, seed = 0, skip = () => false } = options;
  const probes: FiniteDifferenceProbe[] = [];
  const random = new NumpyRandomState(seed);
  const gNorm = norm2(gradient);
  const gMax = maxAbs(gradient);

  // Directional probe over the whole tensor.
  const direction = random.randn([values.length]);
  for (let i = 0; i < direction.length; i++) if (skip(i)) direction[i] = 0;
  const length = norm2(direction) || 1;
  for (let i = 0; i < direction.length; i++) direction[i] /= length;
  const step = STEP * Math.max(1, maxAbs(values));
  const original = Float64Array.from(values);
  const shifted = (sign: number): number => {
    for (let i = 0; i < values.length; i++) values[i] = original[i] + sign * step * direction[i];
    const value = loss();
    values.set(original);
    return value;
  };
  const plus = shifted(1);
  const minus = shifted(-1);
  const numeric = (plus - minus) / (2 * step);
  let analytic = 0;
  for (let i = 0; i < values.length; i++) analytic += gradient[i] * direction[i];
  const dirScale = gNorm > 0 ? gNorm : 1;
  probes.push({ at: 'direction', analytic, numeric, scaledError: Math.abs(analytic - numeric) / dirScale, scaledFloor: floorOf(plus, minus, step) / dirScale });

  // Entry probes: the largest gradients (where a wrong term shows most) and random ones.
  const allowed = Array.from({ length: values.length }, (_, i) => i).filter((i) => !skip(i));
  const top = largest(gradient, values.length)
    .filter((i) => !skip(i))
    .slice(0, Math.ceil(entries / 2));
  const picks = new Set(top);
  const draws = allowed.length > 0 ? random.randint(0, allowed.length, 4 * entries) : [];
  for (const d of draws) {
    if (picks.size >= Math.min(entries, allowed.length)) break;
    picks.add(allowed[d]);
  }
  for (const i of picks) {
    const v = values[i];
    const h = STEP * Math.max(1, Math.abs(v));
    values[i] = v + h;
    const plus = loss();
    values[i] = v - h;
    const minus = loss();
    values[i] = v;
    const fd = (plus - minus) / (2 * h);
    const scale = gMax > 0 ? gMax : 1;
    probes.push({ at: i, analytic: gradient[i], numeric: fd, scaledError: Math.abs(gradient[i] - fd) / scale, scaledFloor: floorOf(plus, minus, h) / scale });
  }
  return probes;
}
