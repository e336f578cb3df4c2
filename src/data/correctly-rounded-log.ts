/**
 * A natural log that returns the correctly rounded double (the double nearest the true log).
 *
 * Why: V8's Math.log (an fdlibm port, error < 1 ulp) and glibc's log (NumPy's, error < 0.52 ulp)
 * round differently for about 7% of inputs, which breaks bit parity with np.random.randn; see
 * the ULP study at the top of src/data/numpy-random.ts. The correctly rounded log is the one
 * platform-independent target, and glibc's log agrees with it on ~99.9% of inputs.
 *
 * How: x = 2^k * z with z in [0.75, 1.5); z is binned by the top 10 bits of its significand and
 * each bin has a double invc ~ 1/c (c = the bin's centre; c = 1 for the two bins touching 1, so
 * there is no cancellation near x = 1). Then
 *   log(x) = k*ln2 - log(invc) + log1p(r),   r = z*invc - 1 (exact, as a double-double), |r| <= 2^-10
 * log(invc) is tabulated as a double-double at load time, log1p(r) is a Taylor series whose
 * low-order part runs in double-double arithmetic. The sum is accurate to about 2^-90 relative;
 * when the result lies within 2^-80 relative of a rounding midpoint (about 1 input in 10^8) the
 * slower atanh series (about 2^-104) decides. Plain doubles only; no tfjs, no dependencies.
 */

/** value = hi + lo with |lo| <= ulp(hi)/2. */
interface DoubleDouble {
  readonly hi: number;
  readonly lo: number;
}

/** Veltkamp splitter 2^27 + 1 (Dekker's exact product without fma). */
const SPLITTER = 134217729;
/** ln 2 as a double-double: 0x1.62e42fefa39efp-1 + 0x1.abc9e3b39803fp-56 (checked with mpmath, 300 bits). */
const LN2: DoubleDouble = { hi: 0.6931471805599453, lo: 2.3190468138462996e-17 };
/** Bins over z in [0.75, 1.5): 2^10, indexed by bits 10..19 of (high word - high word of 0.75). */
const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
const HIGH_WORD_OF_0_75 = 0x3fe80000;
const SMALLEST_NORMAL = 2.2250738585072014e-308;
/** Relative distance from a rounding midpoint below which the slow series decides. */
const AMBIGUITY = 2 ** -80;

/** Error-free a + b (Knuth). */
function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

/** Error-free a + b when |a| >= |b| (Dekker). */
function quickTwoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** Error-free a * b (Dekker, Veltkamp split); exact for the magnitudes used here. */
function twoProd(a: number, b: number): DoubleDouble {
  const p = a * b;
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

function ddAdd(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

function ddMul(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/** a / b to about 2^-104 relative (two long-division steps). Used at load time and in the slow path. */
function ddDiv(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const q1 = a.hi / b.hi;
  const rem1 = ddAdd(a, ddMul(b, { hi: -q1, lo: 0 }));
  const q2 = rem1.hi / b.hi;
  const rem2 = ddAdd(rem1, ddMul(b, { hi: -q2, lo: 0 }));
  const q3 = rem2.hi / b.hi;
  const q = quickTwoSum(q1, q2);
  return ddAdd(q, { hi: q3, lo: 0 });
}

/** 1/n as a double-double. */
function ddReciprocal(n: number): DoubleDouble {
  return ddDiv({ hi: 1, lo: 0 }, { hi: n, lo: 0 });
}

/** Coefficients 1/(2j+1), j = 0..ATANH_TERMS-1, for the slow series. */
const ATANH_TERMS = 30;
const ATANH_COEFFS: DoubleDouble[] = Array.from({ length: ATANH_TERMS }, (_, j) => ddReciprocal(2 * j + 1));

/**
 * log(z) for z in [0.5, 2] to about 2^-104 relative: 2*atanh(s), s = (z-1)/(z+1), |s| <= 1/3,
 * summed as 2s * sum_j s^(2j) / (2j+1) in double-double (|s| <= 0.2 on [0.66, 1.5] converges in 23 terms).
 */
function logAtanhSeries(z: number): DoubleDouble {
  const num: DoubleDouble = { hi: z - 1, lo: 0 }; // exact for z in [0.5, 2] (Sterbenz)
  const s = ddDiv(num, twoSum(z, 1));
  const s2 = ddMul(s, s);
  let acc = ATANH_COEFFS[ATANH_TERMS - 1]!;
  for (let j = ATANH_TERMS - 2; j >= 0; j--) acc = ddAdd(ddMul(acc, s2), ATANH_COEFFS[j]!);
  const twoS: DoubleDouble = { hi: 2 * s.hi, lo: 2 * s.lo };
  return ddMul(twoS, acc);
}

/** Per bin: invc (a double ~ 1/centre) and -log(invc) as a double-double. */
const INVC = new Float64Array(TABLE_SIZE);
const MINUS_LOG_INVC_HI = new Float64Array(TABLE_SIZE);
const MINUS_LOG_INVC_LO = new Float64Array(TABLE_SIZE);
for (let i = 0; i < TABLE_SIZE; i++) {
  // Bins 0..511 cover [0.75, 1) in steps of 2^-11, bins 512..1023 cover [1, 1.5) in steps of 2^-10.
  const half = TABLE_SIZE / 2;
  const touchesOne = i === half - 1 || i === half;
  const centre = i < half ? 0.75 + (i + 0.5) * 2 ** -11 : 1 + (i - half + 0.5) * 2 ** -10;
  const invc = touchesOne ? 1 : 1 / centre;
  const minusLog = logAtanhSeries(invc);
  INVC[i] = invc;
  MINUS_LOG_INVC_HI[i] = -minusLog.hi;
  MINUS_LOG_INVC_LO[i] = -minusLog.lo;
}

/** 1/3 as a double-double, for the log1p series (unpacked: the hot path reads plain numbers). */
const ONE_THIRD = ddReciprocal(3);
const ONE_THIRD_HI = ONE_THIRD.hi;
const ONE_THIRD_LO = ONE_THIRD.lo;
const LN2_HI = LN2.hi;
const LN2_LO = LN2.lo;

const WORDS = new Float64Array(1);
const WORDS32 = new Int32Array(WORDS.buffer);
/** Index of the high (sign/exponent) 32-bit word of WORDS: 1 on little-endian platforms. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Correctly rounded natural log of a double.
 * @param x any double; positive finite normals and subnormals take the accurate path, while
 *   0, negatives, NaN and Infinity return what Math.log returns (-Infinity, NaN, NaN, Infinity).
 * @returns the double nearest ln(x) (ties are unreachable: ln of a double other than 1 is irrational).
 */
export function correctlyRoundedLog(x: number): number {
  if (!(x > 0 && x < Infinity)) return Math.log(x);
  let scale = 0;
  if (x < SMALLEST_NORMAL) {
    x *= 2 ** 54; // subnormal: normalize, then take 54 back out of k
    scale = -54;
  }
  WORDS[0] = x;
  const high = WORDS32[HIGH]!;
  const tmp = (high - HIGH_WORD_OF_0_75) | 0;
  const k = (tmp >> 20) + scale;
  const i = (tmp >> (20 - TABLE_BITS)) & (TABLE_SIZE - 1);
  WORDS32[HIGH] = high - (tmp & 0xfff00000); // z = x / 2^k, in [0.75, 1.5)
  const z = WORDS[0];
  const fast = logFast(z, k, i);
  return fast === fast ? fast : logSlow(z, k); // NaN: too close to a midpoint to call
}

/** k*ln2 as a double-double. */
function kLn2(k: number): DoubleDouble {
  const p = twoProd(k, LN2.hi);
  return quickTwoSum(p.hi, p.lo + k * LN2.lo);
}

/** a*b - p exactly, for p = fl(a*b) (Dekker with Veltkamp split; no fma in JS). */
function productError(a: number, b: number, p: number): number {
  const ta = SPLITTER * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLITTER * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** a + b - s exactly, for s = fl(a+b) (Knuth). */
function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/**
 * k*ln2 - log(invc_i) + log1p(z*invc_i - 1) to about 2^-90 relative, rounded to a double;
 * NaN when that double might be the wrong one (within 2^-80 relative of a midpoint).
 * Scalar double-double arithmetic (pairs of locals), so nothing is allocated.
 */
function logFast(z: number, k: number, i: number): number {
  const invc = INVC[i]!;
  // r = rh + rl = z*invc - 1 exactly: p - 1 is exact (p within 2^-9 of 1, Sterbenz).
  const p = z * invc;
  const pErr = productError(z, invc, p);
  const rh = p - 1 + pErr;
  const rl = sumError(p - 1, pErr, rh);
  // log1p(r) = r + r^2*T, T = -1/2 + r*A1, A1 = 1/3 + r*A2, A2 = -1/4 + r*A3, |r| <= 2^-10.
  // Needed accuracy (for 2^-90 overall): T 2^-80, A1 2^-70, A2 2^-60, A3 2^-50, so A3 is a
  // plain double, A2 a double plus its sum error, A1 and T full double-double steps.
  const a3 = 1 / 5 + rh * (-1 / 6 + rh * (1 / 7 + rh * (-1 / 8 + rh * (1 / 9 + rh * (-1 / 10)))));
  const q2 = rh * a3;
  const a2h = -0.25 + q2;
  const a2l = sumError(-0.25, q2, a2h);
  const q1 = rh * a2h;
  const q1l = productError(rh, a2h, q1) + (rh * a2l + rl * a2h);
  let a1h = ONE_THIRD_HI + q1;
  let a1l = sumError(ONE_THIRD_HI, q1, a1h) + (ONE_THIRD_LO + q1l);
  const a1n = a1h + a1l;
  a1l -= a1n - a1h;
  a1h = a1n;
  const q0 = rh * a1h;
  const q0l = productError(rh, a1h, q0) + (rh * a1l + rl * a1h);
  let th = -0.5 + q0;
  let tl = sumError(-0.5, q0, th) + q0l;
  const tn = th + tl;
  tl -= tn - th;
  th = tn;
  // r^2 * T
  const sq = rh * rh;
  const sql = productError(rh, rh, sq) + 2 * rh * rl;
  const w = sq * th;
  const wl = productError(sq, th, w) + (sq * tl + sql * th);
  // log1p(r) = r + r^2*T, then - log(invc), then + k*ln2: each an exact two-sum of the high
  // parts plus the low parts (no step cancels by more than a factor of about 3 except the last
  // with k = 0, which is skipped).
  const lh = rh + w;
  const ll = sumError(rh, w, lh) + (rl + wl);
  const mh = MINUS_LOG_INVC_HI[i]!;
  let sh = mh + lh;
  let sl = sumError(mh, lh, sh) + (MINUS_LOG_INVC_LO[i]! + ll);
  if (k !== 0) {
    const kh = k * LN2_HI;
    const kl = productError(k, LN2_HI, kh) + k * LN2_LO;
    const nh = kh + sh;
    sl = sumError(kh, sh, nh) + (kl + sl);
    sh = nh;
  }
  const h = sh + sl;
  const l = sl - (h - sh);
  const margin = AMBIGUITY * Math.abs(h);
  return h + (l + margin) === h && h + (l - margin) === h ? h : NaN;
}

/** The same log from the atanh series on z directly (about 2^-104); decides near-midpoint cases. */
function logSlow(z: number, k: number): number {
  const sum = k === 0 ? logAtanhSeries(z) : ddAdd(kLn2(k), logAtanhSeries(z));
  return sum.hi + sum.lo;
}

/**
 * The slow, more accurate path alone (about 2^-104 relative), for tests that check the fast
 * path against it. Same domain and return convention as correctlyRoundedLog.
 */
export function correctlyRoundedLogSlow(x: number): number {
  if (!(x > 0 && x < Infinity)) return Math.log(x);
  let scale = 0;
  if (x < SMALLEST_NORMAL) {
    x *= 2 ** 54;
    scale = -54;
  }
  WORDS[0] = x;
  const high = WORDS32[HIGH]!;
  const tmp = (high - HIGH_WORD_OF_0_75) | 0;
  WORDS32[HIGH] = high - (tmp & 0xfff00000);
  return logSlow(WORDS[0], (tmp >> 20) + scale);
}
