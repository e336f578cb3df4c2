/**
 * fusedOp: one tf.customGrad op with named inputs and named saved tensors, so that each cell's forward and
 * backward read as mathematics, not as index bookkeeping. The forward runs with the tape off (tfjs records
 * none of its ops: that is the point), and the backward is the cell's hand-written BPTT.
 */
import * as tf from '@tensorflow/tfjs';

export type Named = Record<string, tf.Tensor>;

interface ForwardResult {
  /** The op's one output. */
  readonly value: tf.Tensor;
  /** What the backward needs, kept by the engine until backpropagation has run (only when recording). */
  readonly saved: Named;
}

/** dL/d input for each input name; null where none flows (a mask): zeros of the input's shape are returned. */
type Backward = (dy: tf.Tensor, saved: Named) => Record<string, tf.Tensor | null>;

/**
 * Runs `forward` on `inputs` as one op whose gradient is `backward`.
 * @param inputs every tensor the value depends on and that may need a gradient (weights, sequence, states)
 */
export function fusedOp(inputs: Named, forward: (inputs: Named) => ForwardResult, backward: Backward): tf.Tensor {
  const names = Object.keys(inputs);
  const shapes = names.map((name) => inputs[name].shape);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[names.length] as tf.GradSaveFunc;
    const named: Named = {};
    names.forEach((name, k) => (named[name] = args[k] as tf.Tensor));
    const { value, saved } = forward(named);
    const savedNames = Object.keys(saved);
    save(savedNames.map((name) => saved[name]));
    return {
      value,
      gradFunc: (dy: tf.Tensor, savedList: tf.Tensor[]) => {
        const restored: Named = {};
        savedNames.forEach((name, k) => (restored[name] = savedList[k]));
        const grads = backward(dy, restored);
        return names.map((name, k) => grads[name] ?? tf.zeros(shapes[k]));
      },
    };
  });
  return op(...names.map((name) => inputs[name]));
}

/** a + b where either may be absent (null: no contribution yet). */
export function addMaybe(a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return tf.add(a, b);
}

/**
 * Parity note: tfjs-backend-wasm 4.22's matMul is far slower with a transposed operand than on an explicit
 * tf.transpose of it (measured, 2 cores: [3584, 128]^T x [3584, 512] 466 ms vs 23 ms; [128, 512] x [128, 512]^T
 * 8.4 ms vs 1.6 ms); tfjs-node (Eigen) and cpu take the flags as they are (cpu: 655 ms with the flag, 988 ms
 * with the explicit transpose). So on wasm the operand is transposed first. The values are the same.
 */
function explicitTranspose(): boolean {
  return tf.getBackend() === 'wasm';
}

/** b prepared for a·b^T repeated every step (dz·U^T in the BPTT loops). */
interface TransposedOperand {
  readonly matrix: tf.Tensor;
  readonly transposeB: boolean;
}

/** b [n, k] prepared for repeated a [m, k] x b^T -> [m, n] (matMulTransposed). */
export function transposedOperand(b: tf.Tensor): TransposedOperand {
  return explicitTranspose() ? { matrix: tf.transpose(b), transposeB: false } : { matrix: b, transposeB: true };
}

/** a [m, k] x b^T -> [m, n], b from transposedOperand. */
export function matMulTransposed(a: tf.Tensor, b: TransposedOperand): tf.Tensor2D {
  return tf.matMul(a as tf.Tensor2D, b.matrix as tf.Tensor2D, false, b.transposeB);
}

/**
 * [T*B, D]^T x [T*B, N] -> [D, N]: a weight gradient summed over every step and sample in one matmul.
 * rows: [T, B, D] (time-major), dz: [T, B, N].
 */
export function sumOuter(rows: tf.Tensor, dz: tf.Tensor): tf.Tensor2D {
  const [t, b, d] = rows.shape;
  const n = dz.shape[2] as number;
  const flat = tf.reshape(rows, [t * b, d as number]) as tf.Tensor2D;
  const dzFlat = tf.reshape(dz, [t * b, n]) as tf.Tensor2D;
  return explicitTranspose() ? tf.matMul(tf.transpose(flat), dzFlat) : tf.matMul(flat, dzFlat, true, false);
}

/** [T, B, N] x [D, N]^T -> [T, B, D]: dL/dx of the input projection, all steps in one matmul. */
export function inputGradient(dz: tf.Tensor, kernel: tf.Tensor): tf.Tensor3D {
  const [t, b, n] = dz.shape as [number, number, number];
  // [T*B, N] x [D, N]^T -> [T*B, D]
  return tf.reshape(matMulTransposed(tf.reshape(dz, [t * b, n]), transposedOperand(kernel)), [t, b, kernel.shape[0]]);
}

/** [T, B, D] x [D, N] -> [T, B, N]: the input projection of every step in one matmul. */
export function projectSteps(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor3D {
  const [t, b, d] = x.shape as [number, number, number];
  // [T*B, D] x [D, N] -> [T*B, N]
  return tf.reshape(tf.matMul(tf.reshape(x, [t * b, d]), kernel), [t, b, kernel.shape[1] as number]);
}

/** Column sums over steps and samples: [T, B, N] -> [N]. */
export function sumSteps(dz: tf.Tensor): tf.Tensor {
  return tf.sum(dz, [0, 1]);
}
