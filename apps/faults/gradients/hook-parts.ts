/**
 * Small pure pieces the gradient faults are made of: each edits one thing the real backward computed (a gate
 * block of a step's gate-input gradients, the state gradients passed back, a weight's gradient, a layer's
 * inputs) and nothing else. Plain TypeScript, no tfjs.
 */
import type { HandTensor, LayerGradients } from '../../../src/layers/kind';
import { gateOffset, type FloatBuffer, type MatrixView } from '../../../src/hand/linalg';

/** Negates gate block `gate` ([batch, units] columns gate*units ...) of a [batch, gates*units] view, in place. */
export function negateGateBlock(view: MatrixView, gate: number, units: number): void {
  const from = gateOffset(gate, units);
  for (let r = 0; r < view.rows; r++) {
    const row = view.offset + r * view.stride + from;
    for (let j = 0; j < units; j++) view.data[row + j] = -view.data[row + j];
  }
}

/** Negates every entry of a view, in place. */
export function negateView(view: MatrixView): void {
  for (let r = 0; r < view.rows; r++) {
    const row = view.offset + r * view.stride;
    for (let c = 0; c < view.cols; c++) view.data[row + c] = -view.data[row + c];
  }
}

/** Zero buffers of the same types and lengths. */
export function zerosLike(buffers: readonly FloatBuffer[]): FloatBuffer[] {
  return buffers.map((b) => new (b.constructor as new (length: number) => FloatBuffer)(b.length));
}

/**
 * A [rows, gates*rows] matrix (a recurrent kernel's gradient, rows = units) with each [rows, rows] gate block
 * transposed: what dU = dz^T · h computes in place of h^T · dz.
 */
export function transposeGateBlocks(data: FloatBuffer, rows: number): FloatBuffer {
  const cols = data.length / rows;
  const out = data.slice();
  for (let g = 0; g < cols / rows; g++) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < rows; j++) out[i * cols + g * rows + j] = data[j * cols + g * rows + i];
    }
  }
  return out;
}

/** The layer's gradients with weight `index`'s gradient replaced. */
export function withWeightGradient(gradients: LayerGradients, index: number, replace: (g: FloatBuffer) => FloatBuffer): LayerGradients {
  return { ...gradients, weights: gradients.weights.map((g, k) => (k === index ? replace(g) : g)) };
}

/** The inputs without their masks (what a backward that never looks at the mask sees). */
export function withoutMasks(inputs: readonly HandTensor[]): HandTensor[] {
  return inputs.map((x) => ({ shape: x.shape, data: x.data }));
}
