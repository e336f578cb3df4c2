/**
 * NaN and Inf in what rnn-parity reads (weights, an input, Keras's expected output) are refused as bad
 * input, exit code 2, naming the array and the element. Non-finite values that a forward pass computes
 * from finite inputs are a result instead: compareOutputs counts them and the check fails, exit code 1.
 *
 * Why refuse rather than fail: no check on such a file can pass (a NaN weight reaches every output
 * through the recurrence, NaN never equals NaN), and "weight 2 has NaN at element 7" says what is wrong,
 * where "FAIL max|diff| NaN" does not.
 */

/** The first NaN or ±Inf in `data` and its flat index; undefined when every value is finite. */
export function firstNonFinite(data: ArrayLike<number>): { index: number; value: number } | undefined {
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    // value - value is 0 for every finite number and NaN for NaN and ±Inf: one test, no call.
    if (value - value !== 0) return { index: i, value };
  }
  return undefined;
}

/** Flat index -> [i, j, k] in a row-major shape, for messages: 7 in [2,2,2] -> [1,1,1]. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = shape[d] === 0 ? 0 : rest % shape[d];
    rest = shape[d] === 0 ? 0 : Math.floor(rest / shape[d]);
  }
  return out;
}
