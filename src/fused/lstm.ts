/**
 * FusedLSTM: tfjs's LSTM (same weights, config and outputs) computed in fewer, larger ops, with a
 * hand-written backward pass. Gate columns [i|f|c|o] (tfjs's and Keras's).
 *
 * Forward, ra = recurrentActivation, act = activation:
 *   once:      XW = X·W                                       [T*batch, inputDim] x [inputDim, 4*units]
 *   per step:  z = (XW_t + h·U) + b; i, f, g, o = ra(z_i), ra(z_f), act(z_c), ra(z_o)
 *              c' = f*c + i*g; h' = o*act(c')                 (Keras 3 and tfjs order: (x·W + h·U) + b)
 *              masked: h = h'*m + h*(1 - m), c likewise        (tfjs's rnn())
 *   ops per step: matMul, 2 add, split, 4 activations, 3 for c', 2 for h' = 13 (+ 6 with a mask).
 *
 * On the tensorflow backend, tanh/sigmoid without a mask: the whole sequence is one BlockLSTMV2 call and its
 * backward one BlockLSTMGradV2 call instead (block-lstm.ts).
 *
 * Backward (BPTT), per step only the recurrent part, with M = [g*ra'(z_i) | c*ra'(z_f) | i*act'(z_c) |
 * act(c')*ra'(z_o)] and K = o*act'(c') computed for all steps at once beforehand:
 *   dc' = dc + dh*K;  dz = [dc'|dc'|dc'|dh] * M;  dh = dz·U^T;  dc = dc'*f          (6 ops per step)
 * then dW = X^T·dZ, dU = Hprev^T·dZ, db = column sums of dZ and dX = dZ·W^T, one op each over all steps.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedActivation, type FusedActivation } from './activation';
import { blockLstmRefusal, blockLstmSequence } from './block-lstm';
import { addMaybe, fusedOp, matMulTransposed, transposedOperand, inputGradient, projectSteps, sumOuter, sumSteps, type Named } from './fused-op';
import { assertFusable, blend, fusedRecurrentCall, recording, stepMasks, type SequenceArgs } from './sequence';
import { StockLSTM, type LSTMCell, type LSTMLayerArgs } from './stock';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

interface LstmOps {
  readonly activation: FusedActivation;
  readonly recurrentActivation: FusedActivation;
}

function forward(ops: LstmOps, args: SequenceArgs, keep: boolean, a: Named) {
  const { activation: act, recurrentActivation: ract } = ops;
  const { x, kernel, recurrentKernel, bias } = a;
  const timeSteps = x.shape[0];
  // [T, batch, inputDim] x [inputDim, 4*units] -> T x [batch, 4*units]
  const xw = tf.unstack(projectSteps(x, kernel));
  const masks = stepMasks(args.mask);
  let h = a.h0;
  let c = a.c0;
  const outputs: tf.Tensor[] = [];
  const kept: Record<'hPrev' | 'cPrev' | 'i' | 'f' | 'g' | 'o' | 'z' | 'cNew' | 'tc', tf.Tensor[]> = {
    hPrev: [],
    cPrev: [],
    i: [],
    f: [],
    g: [],
    o: [],
    z: [],
    cNew: [],
    tc: [],
  };
  for (let t = 0; t < timeSteps; t++) {
    const [hPrev, cPrev] = [h, c];
    // One tidy per step, as tfjs's rnn() has: only the state and what the backward keeps outlive it (see sequence.ts).
    const step = tf.tidy(() => {
      // [batch, units] x [units, 4*units] -> [batch, 4*units]
      let z = tf.add(xw[t], tf.matMul(hPrev, recurrentKernel));
      if (bias !== undefined) z = tf.add(z, bias);
      const [zi, zf, zc, zo] = tf.split(z, 4, 1);
      const i = ract.apply(zi);
      const f = ract.apply(zf);
      const g = act.apply(zc);
      const o = ract.apply(zo);
      const cNew = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
      const tc = act.apply(cNew);
      const hNew = tf.mul(o, tc);
      const hOut = masks ? blend(hNew, hPrev, masks.keep[t], masks.hold[t]) : hNew;
      const cOut = masks ? blend(cNew, cPrev, masks.keep[t], masks.hold[t]) : cNew;
      return keep ? [hOut, cOut, i, f, g, o, z, cNew, tc] : [hOut, cOut];
    });
    [h, c] = step;
    if (keep) {
      const [, , i, f, g, o, z, cNew, tc] = step;
      Object.entries({ hPrev, cPrev, i, f, g, o, z, cNew, tc }).forEach(([k, v]) => kept[k as keyof typeof kept].push(v));
    }
    if (args.returnSequences) outputs.push(h);
  }
  const rows = [...(args.returnSequences ? outputs : [h]), ...(args.returnState ? [c] : [])];
  const value = tf.stack(rows);
  if (!keep) return { value, saved: {} };
  const saved: Named = { x, kernel, recurrentKernel };
  for (const key of ['hPrev', 'cPrev', 'i', 'f', 'g', 'o', 'tc'] as const) saved[key] = tf.stack(kept[key]);
  if (ract.needsPre || act.needsPre) saved.z = tf.stack(kept.z);
  if (act.needsPre) saved.cNew = tf.stack(kept.cNew);
  if (args.mask !== null) saved.mask = args.mask;
  return { value, saved };
}

function backward(ops: LstmOps, args: SequenceArgs, hasBias: boolean, dy: tf.Tensor, s: Named) {
  const { activation: act, recurrentActivation: ract } = ops;
  const timeSteps = s.x.shape[0];
  // [T, batch, units] each
  const [zi, zf, zc, zo] = s.z ? tf.split(s.z, 4, 2) : [null, null, null, null];
  const m = tf.unstack(
    tf.concat(
      [
        tf.mul(s.g, ract.derivative(zi, s.i)),
        tf.mul(s.cPrev, ract.derivative(zf, s.f)),
        tf.mul(s.i, act.derivative(zc, s.g)),
        tf.mul(s.tc, ract.derivative(zo, s.o)),
      ],
      2,
    ),
  );
  const k = tf.unstack(tf.mul(s.o, act.derivative(s.cNew ?? null, s.tc)));
  const f = tf.unstack(s.f);
  const masks = stepMasks((s.mask as tf.Tensor3D | undefined) ?? null);
  const dyRows = tf.unstack(dy);
  const uT = transposedOperand(s.recurrentKernel);
  const rows = args.returnSequences ? timeSteps : 1;
  let dh: tf.Tensor | null = null;
  let dc: tf.Tensor | null = args.returnState ? dyRows[rows] : null;
  const dz: tf.Tensor[] = new Array(timeSteps);
  for (let t = timeSteps - 1; t >= 0; t--) {
    const dyT = args.returnSequences ? dyRows[t] : t === timeSteps - 1 ? dyRows[0] : null;
    let dhT = addMaybe(dyT, dh) as tf.Tensor;
    let dcT = dc;
    let dhHeld: tf.Tensor | null = null;
    let dcHeld: tf.Tensor | null = null;
    if (masks) {
      dhHeld = tf.mul(dhT, masks.hold[t]);
      dhT = tf.mul(dhT, masks.keep[t]);
      if (dcT !== null) {
        dcHeld = tf.mul(dcT, masks.hold[t]);
        dcT = tf.mul(dcT, masks.keep[t]);
      }
    }
    const dcNew = addMaybe(dcT, tf.mul(dhT, k[t])) as tf.Tensor;
    // [batch, 4*units]
    dz[t] = tf.mul(tf.concat([dcNew, dcNew, dcNew, dhT], 1), m[t]);
    // [batch, 4*units] x [units, 4*units]^T -> [batch, units]
    dh = addMaybe(matMulTransposed(dz[t], uT), dhHeld);
    dc = addMaybe(tf.mul(dcNew, f[t]), dcHeld);
  }
  // [T, batch, 4*units]
  const dZ = tf.stack(dz);
  return {
    x: inputGradient(dZ, s.kernel),
    kernel: sumOuter(s.x, dZ),
    recurrentKernel: sumOuter(s.hPrev, dZ),
    ...(hasBias ? { bias: sumSteps(dZ) } : {}),
    h0: dh,
    c0: dc,
  };
}

/**
 * The fused op: packed [S, batch, units] (see sequence.ts) from the prepared sequence and the weights
 * (kernel [inputDim, 4*units], recurrentKernel [units, 4*units], bias [4*units] or null). On the tensorflow
 * backend a tanh/sigmoid LSTM without a mask runs as TensorFlow's BlockLSTMV2 kernels (block-lstm.ts);
 * everything else runs the per-step ops below.
 */
function lstmSequence(ops: LstmOps, args: SequenceArgs, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  if (blockLstmRefusal(ops.activation.name, ops.recurrentActivation.name, args) === null) {
    return blockLstmSequence(args, kernel, recurrentKernel, bias);
  }
  const keep = recording();
  const inputs: Named = { x: args.x, kernel, recurrentKernel, h0: args.states[0], c0: args.states[1] };
  if (bias !== null) inputs.bias = bias;
  return fusedOp(
    inputs,
    (a) => forward(ops, args, keep, a),
    (dy, saved) => backward(ops, args, bias !== null, dy, saved),
  );
}

/** tfjs's LSTM, fused. Same args as tf.layers.lstm (no dropout, not stateful). */
export class FusedLSTM extends StockLSTM {
  /** @nocollapse */
  static override readonly className = 'FusedLSTM';

  /** @throws ConfigError for stateful or dropout (see assertFusable). */
  constructor(args: LSTMLayerArgs) {
    super(args);
    assertFusable(this as unknown as Parameters<typeof assertFusable>[0]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as LSTMCell;
    const ops = { activation: fusedActivation(cell.activation), recurrentActivation: fusedActivation(cell.recurrentActivation) };
    return fusedRecurrentCall(this as unknown as Parameters<typeof fusedRecurrentCall>[0], inputs, kwargs, 2, (args) =>
      lstmSequence(ops, args, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null),
    );
  }
}
tf.serialization.registerClass(FusedLSTM);
