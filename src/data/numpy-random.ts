/**
 * NumPy's legacy random stream, bit for bit: `np.random.seed(S); np.random.randn(*shape)`.
 *
 * RandomState = MT19937 seeded by `init_genrand(S)` (src/data/mt19937.ts), 53-bit doubles
 * ((a >> 5) * 2**26 + (b >> 6)) / 2**53, and the legacy polar (Marsaglia) Gaussian that
 * returns f*x2 and caches f*x1 for the next call.
 *
 * ULP study: the uniforms are exact and sqrt, *, / round the same (IEEE) in C and JS: only `log` can differ.
 *   python3 scripts/numpy-ulp-study.py --out /tmp/ulp-study --seeds 0-9 --count 1000000 --mpmath 500000
 *   npx tsc -p tsconfig.build.json && node dist/scripts/ulp-study.js /tmp/ulp-study
 * numpy 2.4.6, glibc 2.36 (x86-64, FMA), Node 20.20.2; 10 seeds x 1e6 values = 1e7 randn, 5e6 logs:
 *   randn with V8 Math.log:          314,959 / 1e7 differ (3.1%), max 3 ulp   (the naive port)
 *   randn with correctlyRoundedLog:    3,579 / 1e7 differ (0.036%), max 3 ulp (this file)
 *   randn fed NumPy's own log values:      0 / 1e7 differ: log is the only source
 *   log: Math.log vs glibc log 364,642 / 5e6 (7.3%, all 1 ulp); correctlyRoundedLog vs glibc
 *   4,051 / 5e6 (0.081%, 1 ulp); correctlyRoundedLog vs mpmath (200 bits) 0 / 5e6; glibc vs
 *   mpmath 4,051 / 5e6: every remaining difference is glibc's log misrounding, not ours.
 * So the stream is NumPy's bit for bit except where glibc's log (< 0.52 ulp since glibc 2.28,
 * ARM optimized-routines) rounds the wrong way; both values of that polar pair then differ by
 * 1-3 ulps. Matching those too would need glibc's own tables and its FMA/non-FMA code path,
 * which differ by CPU and libc (glibc < 2.28's log was correctly rounded), so we target the
 * correctly rounded log. In the fixtures: 8 of 36,144 values (seed 42: indices 76 and 77).
 *
 * Integers: `np.random.randint(low, high, size)` (legacy, default dtype int64) is integer
 * arithmetic on MT19937 words only, so `randint` below is bit-exact everywhere, no exceptions
 * (fixtures: test/fixtures/numpy-random/randint.json, scripts/make-numpy-randint-vectors.py).
 */
import { ConfigError } from '../errors';
import { NdArray, formatShape, sizeOf } from '../tensor';
import { correctlyRoundedLog } from './correctly-rounded-log';
import { Mt19937 } from './mt19937';

/** Largest seed `np.random.seed` accepts as an int: 2**32 - 1. */
export const MAX_SEED = 4294967295;

/** Throws unless `seed` is an integer in [0, 2**32 - 1], the range `np.random.seed(int)` takes. */
function validateSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ConfigError(`seed: expected an integer from 0 to ${MAX_SEED}, got ${String(seed)}`);
  }
}

/** Throws unless every dimension of `shape` is a non-negative safe integer. */
function validateShape(shape: readonly number[]): void {
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new ConfigError(`shape: expected non-negative integer dimensions, got ${formatShape(shape)}`);
    }
  }
}

/** 2**32 and 2**53, for randint's 64-bit path and its exactness limit. */
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * Throws unless randint's arguments are ones we can reproduce exactly in float64:
 * integers with -(2**53 - 1) <= low < high <= 2**53 and high - low <= 2**53, so that every
 * result in [low, high) and the range `high - low - 1` are exact doubles.
 */
function validateIntegerRange(low: number, high: number, count: number): void {
  if (!Number.isSafeInteger(low)) {
    throw new ConfigError(`randint low: expected an integer from -(2^53 - 1) to 2^53 - 1, got ${String(low)}`);
  }
  if (typeof high !== 'number' || !Number.isInteger(high) || high > TWO_POW_53) {
    throw new ConfigError(`randint high: expected an integer up to 2^53, got ${String(high)}`);
  }
  if (high <= low) {
    // NumPy: ValueError("low >= high"); the range [low, high) would be empty.
    throw new ConfigError(`randint: expected low < high, got low ${low}, high ${high}`);
  }
  // BigInt: high - low as a double could round once it passes 2**53.
  if (BigInt(high) - BigInt(low) > BigInt(TWO_POW_53)) {
    throw new ConfigError(`randint: expected high - low <= 2^53 (values exact as doubles), got low ${low}, high ${high}`);
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new ConfigError(`randint count: expected a non-negative integer, got ${String(count)}`);
  }
}

/** NumPy's `gen_mask` for a 32-bit range: the smallest 2**k - 1 >= rng (0 for 0). */
function mask32(rng: number): number {
  return rng === 0 ? 0 : 0xffffffff >>> Math.clz32(rng);
}

/**
 * The legacy `np.random.RandomState(seed)` for an integer seed: uniform and Gaussian draws
 * identical to NumPy's, including the Gaussian's cached second value.
 */
export class NumpyRandomState {
  private readonly mt: Mt19937;
  /** Parity note: legacy `has_gauss` / `gauss`; a fresh seed starts with nothing cached. */
  private hasGauss = false;
  private gauss = 0;

  /**
   * @param seed integer in [0, 2**32 - 1], as for `np.random.seed(seed)`.
   * @throws ConfigError when `seed` is negative, fractional, NaN, infinite or above 2**32 - 1.
   */
  constructor(seed: number) {
    validateSeed(seed);
    this.mt = new Mt19937(seed);
  }

  /** One draw of `np.random.random_sample()`: a double in [0, 1) with 53 random bits. */
  randomSample(): number {
    return this.mt.nextDouble();
  }

  /**
   * One draw of `np.random.standard_normal()` (legacy `legacy_gauss`).
   * Parity note: the polar method draws (x1, x2) uniformly in the unit disc (rejecting
   * r2 >= 1 and r2 == 0), returns f*x2 with f = sqrt(-2 log(r2) / r2), and caches f*x1 as
   * the next call's value; the expression order is NumPy's so the roundings are the same.
   * Parity note: NumPy calls libm's log; we call correctlyRoundedLog, not Math.log (see the
   * ULP study above for why and what it leaves).
   */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gauss;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.mt.nextDouble() - 1.0;
      x2 = 2.0 * this.mt.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * correctlyRoundedLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * `np.random.randn(*shape)`: standard normals in C (row-major) order.
   * @param shape e.g. [batch, timeSteps, inputDim]; [] gives one value.
   * @returns Float64Array of length prod(shape).
   * @throws ConfigError when a dimension is not a non-negative integer.
   */
  randn(shape: readonly number[]): Float64Array {
    validateShape(shape);
    const out = new Float64Array(sizeOf(shape));
    for (let i = 0; i < out.length; i++) out[i] = this.standardNormal();
    return out;
  }

  /**
   * `np.random.randint(low, high, count)`: `count` integers uniform on [low, high), legacy
   * RandomState, default dtype int64 (NumPy's `_rand_int64` with `use_masked=True` ->
   * `random_bounded_uint64_fill` in numpy/random/src/distributions/distributions.c).
   *
   * Parity note, the algorithm: rng = high - low - 1, off = low, out[i] = off + draw(rng):
   *   rng == 0:              no draw at all (every value is low; the stream does not move);
   *   rng <  2**32 - 1:      mask = gen_mask(rng) (smallest 2**k - 1 >= rng); repeat
   *                          `v = next_uint32() & mask` until v <= rng. One whole MT19937 word
   *                          per try: NOT buffered (the 32-bit masked sampler takes bcnt/buf
   *                          but ignores them; only the uint8/uint16 samplers split a word);
   *   rng == 2**32 - 1:      v = next_uint32(), no rejection;
   *   rng >= 2**32:          v = next_uint64() & mask, rejected while > rng, where legacy
   *                          MT19937's next_uint64 is (first word << 32) | second word.
   * Every call starts afresh (NumPy's `buf`/`bcnt` are locals of the fill), and the cached
   * Gaussian is left alone: `randn(3); randint(...); randn(1)` continues as NumPy does.
   * @param low smallest value, inclusive; an integer >= -(2**53 - 1).
   * @param high one above the largest value; an integer <= 2**53, > low, high - low <= 2**53.
   * @param count how many values (NumPy's `size`, flattened in C order).
   * @returns Float64Array of exact integers (every value is within +-2**53, so exact).
   * @throws ConfigError for non-integer or out-of-range bounds, low >= high, or a bad count.
   *   Parity note: NumPy returns an empty array for size 0 without checking the bounds; we
   *   check them anyway.
   */
  randint(low: number, high: number, count: number): Float64Array {
    validateIntegerRange(low, high, count);
    const out = new Float64Array(count);
    const rng = high - low - 1; // exact: high - low <= 2**53
    if (rng === 0) {
      out.fill(low);
    } else if (rng < TWO_POW_32 - 1) {
      const mask = mask32(rng);
      for (let i = 0; i < count; i++) {
        let v: number;
        do v = (this.mt.nextUint32() & mask) >>> 0;
        while (v > rng);
        out[i] = low + v;
      }
    } else if (rng === TWO_POW_32 - 1) {
      for (let i = 0; i < count; i++) out[i] = low + this.mt.nextUint32();
    } else {
      // rng in [2**32, 2**53 - 1]: the mask keeps all 32 low bits and k <= 21 high bits, so
      // hi * 2**32 + lo < 2**53 is exact.
      const maskHi = mask32(Math.floor(rng / TWO_POW_32));
      for (let i = 0; i < count; i++) {
        let v: number;
        do {
          const hi = (this.mt.nextUint32() & maskHi) >>> 0;
          const lo = this.mt.nextUint32();
          v = hi * TWO_POW_32 + lo;
        } while (v > rng);
        out[i] = low + v;
      }
    }
    return out;
  }
}

/**
 * `np.random.seed(seed); np.random.randn(*shape)` as an NdArray (Float64Array data).
 * @param seed integer in [0, 2**32 - 1].
 * @param shape e.g. [batch, timeSteps, inputDim] for model inputs.
 * @returns NdArray with `shape` and Float64Array data in C order.
 * @throws ConfigError for an invalid seed or shape.
 */
export function seededNormal(seed: number, shape: readonly number[]): NdArray {
  const data = new NumpyRandomState(seed).randn(shape);
  return { shape: [...shape], data };
}

/**
 * `np.random.seed(seed); np.random.randint(low, high, size=shape)` as an NdArray: e.g. token ids
 * for an Embedding input, `seededIntegers(42, [batch, timeSteps], 0, vocabularySize)`.
 * @param seed integer in [0, 2**32 - 1].
 * @param shape NumPy's `size`; [] gives one value (shape []).
 * @param low smallest value, inclusive.
 * @param high one above the largest value (see NumpyRandomState.randint for the limits).
 * @returns NdArray whose data is a Float64Array holding the integer values exactly (NumPy's
 *   are int64; every value here is within +-2**53, where a double is exact), C order.
 * @throws ConfigError for an invalid seed, shape or range.
 */
export function seededIntegers(seed: number, shape: readonly number[], low: number, high: number): NdArray {
  validateShape(shape);
  const data = new NumpyRandomState(seed).randint(low, high, sizeOf(shape));
  return { shape: [...shape], data };
}
