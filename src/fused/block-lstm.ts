/**
 * FusedLSTM's whole sequence as TensorFlow's own kernels, on the tensorflow backend (tfjs-node, and
 * tfjs-node-gpu, which registers the same backend name): `BlockLSTMV2` for the forward and `BlockLSTMGradV2`
 * for the backward, one native call each per layer call instead of ~13 per step forward and ~7 per step back.
 *
 * The ops (tensorflow/core/ops/rnn_ops.cc, kernels in tensorflow/core/kernels/rnn/lstm_ops.cc):
 *   BlockLSTMV2(seq_len_max: int64 scalar, x [T, batch, inputDim], cs_prev [batch, units], h_prev [batch, units],
 *               w [inputDim + units, 4*units], wci, wcf, wco [units] (peepholes), b [4*units];
 *               attrs cell_clip: float, use_peephole: bool, T: {half, float})
 *     -> i, cs, f, o, ci, co, h, each [T, batch, units]   (ci = tanh(z_c), co = tanh(cs), h = o * co)
 *   BlockLSTMGradV2(the 9 inputs, the 7 outputs, cs_grad [T, batch, units], h_grad [T, batch, units]; use_peephole, T)
 *     -> x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad
 *
 * Parity note: BlockLSTMV2's kernels are registered with gate layout IFCO (`BlockLSTMOp<CPUDevice, T, false,
 * IFCO>`; V1 `BlockLSTM` is ICFO), i.e. columns [i|f|c|o], Keras's and tfjs's own order, so the weights go in
 * unpermuted: w = [kernel; recurrentKernel]. V2 has no forget_bias attr (the kernel adds 0), and cell_clip
 * clips only when > 0. The gate order is checked numerically once per backend by the probe below, so a
 * libtensorflow with another layout falls back instead of computing a different LSTM.
 *
 * Rounding: the kernel computes z = [x, h]·[W; U] + b as one gemm per step, where tfjs computes
 * (x·W + h·U) + b: outputs within a few float32 ulps of the stock layer's (measured in test/fused/block-lstm.test.ts).
 *
 * Only sigmoid recurrent activation and tanh activation exist in the kernel, and no mask: every other LSTM
 * (and every other backend) keeps the per-step fused path of lstm.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedOp, type Named } from './fused-op';
import type { SequenceArgs } from './sequence';

/** The parts of tfjs-node's NodeJSKernelBackend this file calls (dist/nodejs_kernel_backend.js). */
interface NativeBackend {
  readonly binding: {
    createTensor(shape: number[], dtype: number, values: Int32Array): number;
    deleteTensor(id: number): void;
    executeOp(name: string, attrs: OpAttr[], inputIds: number[], numOutputs: number): unknown[];
    readonly TF_INT64: number;
    readonly TF_FLOAT: number;
    readonly TF_ATTR_TYPE: number;
    readonly TF_ATTR_BOOL: number;
    readonly TF_ATTR_FLOAT: number;
  };
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  /** Registers one op output with the engine as a tf.Tensor (tracked by the enclosing tidy). */
  createOutputTensor(metadata: unknown): tf.Tensor;
}

interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: number | boolean;
}

/** The active backend as tfjs-node's, or null when it is not the tensorflow backend (or lacks the methods). */
function nativeBackend(): NativeBackend | null {
  if (tf.getBackend() !== 'tensorflow') return null;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  const ok =
    typeof backend.binding?.executeOp === 'function' && typeof backend.getInputTensorIds === 'function' && typeof backend.createOutputTensor === 'function';
  return ok ? (backend as NativeBackend) : null;
}

/**
 * Runs one TensorFlow op whose first input is `seq_len_max: int64` (tfjs has no int64 dtype: the scalar is
 * made as tfjs-node's Int64Scalar makes one, two int32 words little-endian, and deleted after the call).
 */
function executeWithSeqLen(native: NativeBackend, name: string, attrs: OpAttr[], seqLen: number, inputs: tf.Tensor[], numOutputs: number): tf.Tensor[] {
  const { binding } = native;
  const seqLenId = binding.createTensor([], binding.TF_INT64, new Int32Array([seqLen, 0]));
  try {
    const outputs = binding.executeOp(name, attrs, [seqLenId, ...native.getInputTensorIds(inputs)], numOutputs);
    return outputs.map((m) => native.createOutputTensor(m));
  } finally {
    binding.deleteTensor(seqLenId);
  }
}

function forwardAttrs(native: NativeBackend): OpAttr[] {
  const { binding } = native;
  return [
    // The kernel clips cs only when cell_clip > 0 (LSTMBlockCellFpropWithEigen): -1 = no clipping, as Keras's LSTM.
    { name: 'cell_clip', type: binding.TF_ATTR_FLOAT, value: -1 },
    { name: 'use_peephole', type: binding.TF_ATTR_BOOL, value: false },
    { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
  ];
}

function gradAttrs(native: NativeBackend): OpAttr[] {
  const { binding } = native;
  return [
    { name: 'use_peephole', type: binding.TF_ATTR_BOOL, value: false },
    { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
  ];
}

/** The 7 outputs of BlockLSTMV2, in the op's order. */
const FORWARD_OUTPUTS = ['i', 'cs', 'f', 'o', 'ci', 'co', 'h'] as const;

/**
 * BlockLSTMV2: [i, cs, f, o, ci, co, h], each [T, batch, units].
 * x [T, batch, inputDim]; h0, c0 [batch, units]; w [inputDim + units, 4*units]; b [4*units].
 */
function blockLstmForward(native: NativeBackend, x: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor[] {
  return executeWithSeqLen(native, 'BlockLSTMV2', forwardAttrs(native), x.shape[0], [x, c0, h0, w, ...noPeepholes(h0.shape[1] as number), b], 7);
}

/** wci, wcf, wco: the peephole weights, [units] each, zeros (use_peephole is false: the kernel reads none of them). */
function noPeepholes(units: number): tf.Tensor[] {
  const zeros = tf.zeros([units]);
  return [zeros, zeros, zeros];
}

/** Why the kernel cannot be used on the active backend, or null when the probe passed. Cached per backend. */
const probed = new WeakMap<object, string | null>();

/**
 * One tiny sequence (T = batch = inputDim = units = 1) through BlockLSTMV2 and BlockLSTMGradV2, checked
 * against the LSTM written out in float64 with gates [i|f|c|o]: catches a missing op or kernel, a changed
 * signature and another gate layout. Returns the reason it failed, or null.
 */
function probe(native: NativeBackend): string | null {
  // bias [b_i, b_f, b_c, b_o], zero weights and input, c0 = 1, h0 = 0:
  //   c = sigmoid(b_f) * 1 + sigmoid(b_i) * tanh(b_c);  h = sigmoid(b_o) * tanh(c)
  const bias = [0.1, -0.7, 0.4, 1.3];
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const c = sigmoid(bias[1]) + sigmoid(bias[0]) * Math.tanh(bias[2]);
  const h = sigmoid(bias[3]) * Math.tanh(c);
  const outcome: { reason: string | null } = { reason: null };
  try {
    tf.tidy(() => {
      const x = tf.zeros([1, 1, 1]);
      const h0 = tf.zeros([1, 1]);
      const c0 = tf.ones([1, 1]);
      const w = tf.zeros([2, 4]);
      const b = tf.tensor1d(bias);
      const out = blockLstmForward(native, x, h0, c0, w, b);
      const [gotC, gotH] = [out[1].dataSync()[0], out[6].dataSync()[0]];
      // float32 sigmoid/tanh of these values are within ~2 ulps (1.2e-7) of float64; 1e-5 separates a gate mix-up (> 0.05).
      if (!(Math.abs(gotC - c) < 1e-5 && Math.abs(gotH - h) < 1e-5)) {
        outcome.reason = `BlockLSTMV2 computed another LSTM: expected gates [i|f|c|o] (c = ${c.toFixed(6)}, h = ${h.toFixed(6)}), got c = ${gotC}, h = ${gotH}`;
        return;
      }
      const gradInputs = [x, c0, h0, w, ...noPeepholes(1), b, ...out, tf.zeros([1, 1, 1]), tf.ones([1, 1, 1])];
      const grads = executeWithSeqLen(native, 'BlockLSTMGradV2', gradAttrs(native), 1, gradInputs, 8);
      if (grads.length !== 8) outcome.reason = `BlockLSTMGradV2: expected 8 outputs, got ${grads.length}`;
    });
  } catch (error) {
    outcome.reason = `BlockLSTMV2 did not run: ${(error as Error).message.split('\n')[0]}`;
  }
  return outcome.reason;
}

/** 'auto': use the kernel wherever it applies; 'off': always the per-step path (for comparisons and benchmarks). */
type BlockLstmPolicy = 'auto' | 'off';
let policy: BlockLstmPolicy = 'auto';

/** Sets whether FusedLSTM may use the BlockLSTM kernels; returns the previous policy. */
export function setBlockLstmPolicy(next: BlockLstmPolicy): BlockLstmPolicy {
  const previous = policy;
  policy = next;
  return previous;
}

/** How often each path ran since the process started. */
interface BlockLstmUsage {
  /** FusedLSTM calls run as BlockLSTMV2. */
  forward: number;
  /** Backward passes run as BlockLSTMGradV2. */
  backward: number;
  /** Calls that took the per-step path, by reason. */
  fallbacks: Record<string, number>;
}

const usage: BlockLstmUsage = { forward: 0, backward: 0, fallbacks: {} };

/** A copy of the counters: which path FusedLSTM's calls took (tests assert the kernel is really in use). */
export function blockLstmUsage(): BlockLstmUsage {
  return { forward: usage.forward, backward: usage.backward, fallbacks: { ...usage.fallbacks } };
}

/** Whether the kernel can run on the active backend: null, or the reason it cannot (the probe runs once per backend). */
export function blockLstmUnavailable(): string | null {
  const native = nativeBackend();
  if (native === null) return `backend ${tf.getBackend()}: BlockLSTMV2 is a TensorFlow kernel (tensorflow backend only)`;
  if (!probed.has(native)) probed.set(native, probe(native));
  return probed.get(native) as string | null;
}

/**
 * Why this FusedLSTM call cannot run as BlockLSTM (null: it can). Records a refusal in the usage counters.
 * @param activation, recurrentActivation tfjs class names of the cell's activations
 */
export function blockLstmRefusal(activation: string, recurrentActivation: string, args: SequenceArgs): string | null {
  let reason: string | null = null;
  if (policy === 'off') reason = 'policy off';
  else if (activation !== 'tanh' || recurrentActivation !== 'sigmoid') reason = `activations ${activation}/${recurrentActivation} (kernel: tanh/sigmoid)`;
  else if (args.mask !== null) reason = 'mask';
  else if (args.x.dtype !== 'float32') reason = `dtype ${args.x.dtype}`;
  else reason = blockLstmUnavailable();
  if (reason !== null) usage.fallbacks[reason] = (usage.fallbacks[reason] ?? 0) + 1;
  return reason;
}

/**
 * The LSTM over the whole sequence as BlockLSTMV2 / BlockLSTMGradV2, in the fused layers' packed form
 * (sequence.ts): [S, batch, units], the outputs (all T with returnSequences, else the last), then the final c
 * with returnState. Call only when blockLstmRefusal returned null.
 * kernel [inputDim, 4*units], recurrentKernel [units, 4*units], bias [4*units] or null (zeros go in, and its
 * gradient is dropped).
 */
export function blockLstmSequence(args: SequenceArgs, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const native = nativeBackend() as NativeBackend;
  const inputs: Named = { x: args.x, kernel, recurrentKernel, h0: args.states[0], c0: args.states[1] };
  if (bias !== null) inputs.bias = bias;
  const { returnSequences, returnState } = args;
  return fusedOp(
    inputs,
    (a) => {
      usage.forward++;
      const [timeSteps, batch] = a.x.shape;
      const units = a.h0.shape[1] as number;
      // [inputDim, 4*units] ; [units, 4*units] -> [inputDim + units, 4*units]
      const w = tf.concat([a.kernel, a.recurrentKernel], 0);
      const b = a.bias ?? tf.zeros([4 * units]);
      const out = blockLstmForward(native, a.x, a.h0, a.c0, w, b);
      const named = Object.fromEntries(FORWARD_OUTPUTS.map((key, k) => [key, out[k]])) as Record<(typeof FORWARD_OUTPUTS)[number], tf.Tensor>;
      const last = (t: tf.Tensor) => tf.slice(t, [timeSteps - 1, 0, 0], [1, batch, units]);
      const rows = [returnSequences ? named.h : last(named.h), ...(returnState ? [last(named.cs)] : [])];
      const value = rows.length === 1 ? rows[0] : tf.concat(rows, 0);
      return { value, saved: { x: a.x, h0: a.h0, c0: a.c0, w, b, ...named } };
    },
    (dy, s) => {
      usage.backward++;
      const [timeSteps, batch, inputDim] = s.x.shape;
      const units = s.h0.shape[1] as number;
      const outputRows = returnSequences ? timeSteps : 1;
      // The gradient reaching each step's h and cs from outside the recurrence, [T, batch, units]: every step's
      // output row with returnSequences, else only the last step's; cs only at the last step (returnState).
      const atLastStep = (row: number) =>
        tf.pad(tf.slice(dy, [row, 0, 0], [1, batch, units]), [
          [timeSteps - 1, 0],
          [0, 0],
          [0, 0],
        ]);
      const hGrad = returnSequences ? (dy.shape[0] === timeSteps ? dy : tf.slice(dy, 0, timeSteps)) : atLastStep(0);
      const csGrad = returnState ? atLastStep(outputRows) : tf.zeros([timeSteps, batch, units]);
      const forward = FORWARD_OUTPUTS.map((key) => s[key]);
      const [dx, dc0, dh0, dw, , , , db] = executeWithSeqLen(
        native,
        'BlockLSTMGradV2',
        gradAttrs(native),
        timeSteps,
        [s.x, s.c0, s.h0, s.w, ...noPeepholes(units), s.b, ...forward, csGrad, hGrad],
        8,
      );
      return {
        x: dx,
        // [inputDim + units, 4*units] -> kernel rows, recurrentKernel rows
        kernel: tf.slice(dw, [0, 0], [inputDim, 4 * units]),
        recurrentKernel: tf.slice(dw, [inputDim, 0], [units, 4 * units]),
        ...(bias !== null ? { bias: db } : {}),
        h0: dh0,
        c0: dc0,
      };
    },
  );
}
