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
 * Each probe is taken at e and at e/2; where they disagree, a kink lies within e (relu networks: the 784-step
 * IRNN has 40 million relu inputs, and some lie within 1e-5 of 0), and the probe is not judged (see probeTensor).
 */
import { NumpyRandomState } from '../data/numpy-random';
import { maxAbs, norm2 } from './compare-gradients';

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
  /** false where the steps e and e/2 disagree: the loss has a kink within e of the point (not judged). */
  readonly smooth: boolean;
}

/**
 * Whether a probe agrees: its error within the tolerance plus its own rounding floor; never with NaN or Inf.
 * A probe across a kink (not smooth) is not judged: finite differences say nothing there.
 */
export function probePasses(probe: FiniteDifferenceProbe, tolerance: number): boolean {
  if (!Number.isFinite(probe.analytic) || !Number.isFinite(probe.numeric)) return false;
  return !probe.smooth || probe.scaledError <= tolerance + probe.scaledFloor;
}

interface FiniteDifferenceOptions {
  /** Entries probed one by one per tensor (default 4: the 2 largest |g| and 2 random). */
  readonly entries?: number;
  readonly seed?: number;
  /**
   * Entries where the loss is not differentiable (a Masking layer's padded steps: moving one value unmasks
   * the step, a jump): left out of every probe, the direction included.
   */
  readonly skip?: (index: number) => boolean;
  /** The tolerance the probes will be judged by (default 1e-6): also what tells a kink from a smooth point. */
  readonly tolerance?: number;
}

/** The relative step (see the file comment). */
const STEP = 1e-5;

/** 32 eps max(|L+|, |L-|) / e: the rounding error a central difference of float64 losses may carry. */
function floorOf(plus: number, minus: number, step: number): number {
  return (32 * Number.EPSILON * Math.max(Math.abs(plus), Math.abs(minus))) / step;
}

/** The indices of the `count` largest |g| (ties by position). */
function largest(gradient: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: gradient.length }, (_, i) => i)
    .sort((a, b) => Math.abs(gradient[b]) - Math.abs(gradient[a]) || a - b)
    .slice(0, count);
}

/**
 * One central difference along `set` (which applies a perturbation of size t, 0 restoring the original) at
 * steps e and e/2. For a smooth loss the two agree to ~1e-11 relative; where the perturbation crosses a kink
 * (relu at 0, a max's tie, a clip's edge) within e of the point, they do not, and the probe says so.
 */
function centralDifference(set: (t: number) => void, loss: () => number, step: number): { numeric: number; spread: number; floor: number } {
  const at = (t: number): number => {
    set(t);
    const value = loss();
    set(0);
    return value;
  };
  const wide = (at(step) - at(-step)) / (2 * step);
  const plus = at(step / 2);
  const minus = at(-step / 2);
  const narrow = (plus - minus) / step;
  return { numeric: narrow, spread: Math.abs(wide - narrow), floor: floorOf(plus, minus, step / 2) };
}

/**
 * Probes one tensor. `values` is perturbed in place and restored after each evaluation.
 * A probe whose two step sizes disagree by more than the tolerance crossed a kink: it is kept, marked not
 * smooth (it neither passes nor fails), and another direction or entry is drawn in its place (up to 3 times
 * as many as asked).
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
  const { entries = 4, seed = 0, skip = () => false, tolerance = 1e-6 } = options;
  const probes: FiniteDifferenceProbe[] = [];
  const random = new NumpyRandomState(seed);
  const gNorm = norm2(gradient);
  const gMax = maxAbs(gradient);
  const original = Float64Array.from(values);

  // Directional probes over the whole tensor, until one is smooth (3 tries).
  const dirScale = gNorm > 0 ? gNorm : 1;
  const step = STEP * Math.max(1, maxAbs(values));
  for (let attempt = 0; attempt < 3; attempt++) {
    const direction = random.randn([values.length]);
    for (let i = 0; i < direction.length; i++) if (skip(i)) direction[i] = 0;
    const length = norm2(direction) || 1;
    for (let i = 0; i < direction.length; i++) direction[i] /= length;
    const set = (t: number): void => {
      for (let i = 0; i < values.length; i++) values[i] = original[i] + t * direction[i];
    };
    const { numeric, spread, floor } = centralDifference(set, loss, step);
    let analytic = 0;
    for (let i = 0; i < values.length; i++) analytic += gradient[i] * direction[i];
    const smooth = spread <= tolerance * dirScale + floor;
    probes.push({ at: 'direction', analytic, numeric, scaledError: Math.abs(analytic - numeric) / dirScale, scaledFloor: floor / dirScale, smooth });
    if (smooth) break;
  }

  // Entry probes: the largest gradients (where a wrong term shows most), then random ones.
  const scale = gMax > 0 ? gMax : 1;
  const allowed = Array.from({ length: values.length }, (_, i) => i).filter((i) => !skip(i));
  const order = [
    ...largest(gradient, values.length)
      .filter((i) => !skip(i))
      .slice(0, Math.ceil(entries / 2)),
    ...(allowed.length > 0 ? Array.from(random.randint(0, allowed.length, 6 * entries), (d) => allowed[d]) : []),
  ];
  const tried = new Set<number>();
  let smoothCount = 0;
  for (const i of order) {
    if (smoothCount >= Math.min(entries, allowed.length) || tried.size >= 3 * entries) break;
    if (tried.has(i)) continue;
    tried.add(i);
    const v = original[i];
    const set = (t: number): void => {
      values[i] = v + t;
    };
    const { numeric, spread, floor } = centralDifference(set, loss, STEP * Math.max(1, Math.abs(v)));
    const smooth = spread <= tolerance * scale + floor;
    probes.push({ at: i, analytic: gradient[i], numeric, scaledError: Math.abs(gradient[i] - numeric) / scale, scaledFloor: floor / scale, smooth });
    if (smooth) smoothCount++;
  }
  return probes;
}
