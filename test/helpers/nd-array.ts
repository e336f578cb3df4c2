/** Small NdArray builders for tests: row-major values with their shape. */
import { NdArray, sizeOf } from '../../src/tensor';

/** A float64 NdArray, e.g. ndArray([2, 3], [1, 2, 3, 4, 5, 6]). Throws when the value count is not sizeOf(shape). */
export function ndArray(shape: readonly number[], values: ArrayLike<number>): NdArray {
  checkCount(shape, values);
  return { shape: [...shape], data: Float64Array.from(values) };
}

/** A float32 NdArray, as tfjs downloads its outputs: each value rounds to the nearest float32. */
export function ndArray32(shape: readonly number[], values: ArrayLike<number>): NdArray {
  checkCount(shape, values);
  return { shape: [...shape], data: Float32Array.from(values) };
}

function checkCount(shape: readonly number[], values: ArrayLike<number>): void {
  if (values.length !== sizeOf(shape)) {
    throw new Error(`ndArray: expected ${sizeOf(shape)} values for shape [${shape.join(',')}], got ${values.length}`);
  }
}
