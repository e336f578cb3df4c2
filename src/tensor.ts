/**
 * A plain host-side n-d array: row-major (C order) data with its shape.
 * Both paths meet here: the layer path downloads its tfjs output into one, the hand path
 * computes straight into one, and the comparator reads two of them.
 */
export interface NdArray {
  /** e.g. [batch, timeSteps, inputDim] for inputs, [batch, denseUnits] for outputs. */
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

/** Number of elements a shape holds. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Renders a shape the way tfjs prints it: [1,10,3]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
