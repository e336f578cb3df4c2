/**
 * MT19937, the Mersenne Twister behind NumPy's legacy `np.random.RandomState`.
 *
 * Only the piece NumPy uses for an integer seed is here: `init_genrand` seeding (Matsumoto &
 * Nishimura, 2002), the 624-word block twist, the standard tempering, and NumPy's 53-bit
 * double built from two 32-bit draws. Plain TS, no dependencies; the 624-word state lives in a
 * Uint32Array and the seeding multiply uses Math.imul, so nothing ever leaves uint32 range.
 *
 * Parity note: `np.random.seed(s)` with an int `s` in [0, 2**32 - 1] calls NumPy's
 * `mt19937_seed(state, s)`, which is exactly `init_genrand(s)`; an array seed would go through
 * `init_by_array` instead, which this module does not implement (the CLI only takes an int).
 */

/** Words of state (N in the reference implementation). */
const STATE_WORDS = 624;
/** Middle word offset (M). */
const SHIFT_WORDS = 397;
/** Twist matrix constant. */
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
/** 2**26 and 2**53, for the 53-bit double. */
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** One MT19937 stream, seeded the way `np.random.seed(int)` seeds it. */
export class Mt19937 {
  private readonly state = new Uint32Array(STATE_WORDS);
  /** Next word of `state` to temper; STATE_WORDS means "twist first". */
  private index = STATE_WORDS;

  /**
   * @param seed an integer in [0, 2**32 - 1]; the caller validates it (NumpyRandomState does).
   *   Parity note: NumPy masks with `& 0xffffffff`, and so does `>>> 0` here.
   */
  constructor(seed: number) {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < STATE_WORDS; i++) {
      const prev = mt[i - 1]!;
      // mt[i] = (1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i) mod 2**32
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** Regenerates all 624 words at once (the reference `genrand_int32` block step). */
  private twist(): void {
    const mt = this.state;
    let i = 0;
    for (; i < STATE_WORDS - SHIFT_WORDS; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[i + 1]! & LOWER_MASK);
      mt[i] = mt[i + SHIFT_WORDS]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < STATE_WORDS - 1; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[i + 1]! & LOWER_MASK);
      mt[i] = mt[i + SHIFT_WORDS - STATE_WORDS]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[STATE_WORDS - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    mt[STATE_WORDS - 1] = mt[SHIFT_WORDS - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }

  /** Next tempered 32-bit word, an integer in [0, 2**32 - 1]. */
  nextUint32(): number {
    if (this.index >= STATE_WORDS) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Next double in [0, 1) with 53 random bits, from two words a, b:
   * ((a >> 5) * 2**26 + (b >> 6)) / 2**53.
   * Parity note: NumPy's `mt19937_next_double`, which legacy `random_sample` and the legacy
   * Gaussian both use. Every step is exact in float64, so this matches NumPy bit for bit.
   */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }
}
