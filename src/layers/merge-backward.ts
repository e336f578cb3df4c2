/**
 * The backward pass of the elementwise merge kinds, through the forward's left fold
 * out_k = op(out_{k-1}, x_k) (out_0 = x_0; Average divides the sum by n at the end). Plain TypeScript (no tfjs).
 *   add: every input gets dy;  subtract: dy, -dy;  average: dy / n each;
 *   multiply: back through the fold, dx_k = g * out_{k-1} and g = g * x_k (as TF's Mul gradient chains);
 *   maximum / minimum: back through the fold, TF's Maximum/Minimum gradient at each op: where
 *     out_{k-1} >= x_k (maximum; <= for minimum) the gradient goes to the left operand, else to x_k. So on a tie
 *     the earliest tied input takes all of it. Measured (TF 2.21 / Keras 3.15.1, float32 and float64, and tfjs
 *     4.22 on the cpu backend, the same): Maximum()([a, b, c]) with a = [1, 2, 3], b = [1, 5, 3], c = [1, 2, 3]
 *     and dL/dy = [1, 2, 3] gives da = [1, 0, 3], db = [0, 2, 0], dc = [0, 0, 0]; Minimum likewise.
 * Masked inputs are refused, as the forward refuses them.
 */
import type { FloatBuffer } from '../hand/linalg';
import type { Arithmetic } from '../hand/precision';
import type { HandTensor, LayerGradients } from './kind';
import { refuseMaskedInputs } from './merge';

type MergeOperation = 'add' | 'subtract' | 'multiply' | 'average' | 'maximum' | 'minimum';

/** f(dy) per element, rounded (float32 mode). */
function mapped(outputGrad: FloatBuffer, f: (dy: number) => number, arith: Arithmetic): FloatBuffer {
  const out = arith.alloc(outputGrad.length);
  for (let i = 0; i < out.length; i++) out[i] = arith.round(f(outputGrad[i]));
  return out;
}

/** Multiply, Maximum, Minimum: back through the fold from the last input to the first. */
function foldBackward(
  operation: 'multiply' | 'maximum' | 'minimum',
  inputs: readonly FloatBuffer[],
  outputGrad: FloatBuffer,
  arith: Arithmetic,
): FloatBuffer[] {
  const n = inputs.length;
  const length = inputs[0].length;
  // partial[k] = out_k, the fold of inputs 0..k (partial[n - 1], the output, is not needed)
  const partial: FloatBuffer[] = [inputs[0]];
  for (let k = 1; k < n - 1; k++) {
    const out = arith.alloc(length);
    const prev = partial[k - 1];
    for (let i = 0; i < length; i++) {
      const a = prev[i];
      const b = inputs[k][i];
      out[i] = operation === 'multiply' ? arith.round(a * b) : operation === 'maximum' ? Math.max(a, b) : Math.min(a, b);
    }
    partial.push(out);
  }
  const g = arith.alloc(length);
  g.set(outputGrad);
  const grads: FloatBuffer[] = new Array<FloatBuffer>(n);
  for (let k = n - 1; k >= 1; k--) {
    const left = partial[k - 1];
    const x = inputs[k];
    const dx = arith.alloc(length);
    for (let i = 0; i < length; i++) {
      if (operation === 'multiply') {
        dx[i] = arith.round(g[i] * left[i]);
        g[i] = arith.round(g[i] * x[i]);
        continue;
      }
      const toLeft = operation === 'maximum' ? left[i] >= x[i] : left[i] <= x[i];
      if (!toLeft) {
        dx[i] = g[i];
        g[i] = 0;
      }
    }
    grads[k] = dx;
  }
  grads[0] = g;
  return grads;
}

/**
 * @param inputs n tensors of one shape, none masked
 * @param outputGrad dL/dy, that shape
 * @returns dL/d each input (that shape); no weights
 * @throws ConfigError for a masked input
 */
export function mergeBackward(
  kerasClass: string,
  operation: MergeOperation,
  inputs: readonly HandTensor[],
  outputGrad: Float64Array | Float32Array,
  arith: Arithmetic,
): LayerGradients {
  refuseMaskedInputs(kerasClass, inputs);
  const dy = arith.load(outputGrad);
  const n = inputs.length;
  switch (operation) {
    case 'add':
      return { inputs: inputs.map(() => mapped(dy, (v) => v, arith)), weights: [] };
    case 'subtract':
      return { inputs: [mapped(dy, (v) => v, arith), mapped(dy, (v) => -v, arith)], weights: [] };
    case 'average':
      // TF's RealDiv gradient: dy / n
      return { inputs: inputs.map(() => mapped(dy, (v) => v / n, arith)), weights: [] };
    default:
      return {
        inputs: foldBackward(
          operation,
          inputs.map((x) => arith.load(x.data)),
          dy,
          arith,
        ),
        weights: [],
      };
  }
}
