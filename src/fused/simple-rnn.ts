/**
 * FusedSimpleRNN: tfjs's SimpleRNN (same weights, config and outputs) in fewer, larger ops, with a
 * hand-written backward pass.
 *
 * Forward: once XWb = X·W + b ([T*batch, inputDim] x [inputDim, units]); per step h' = act(XWb_t + h·U)
 * (tfjs's SimpleRNNCell order: (x·W + b) + h·U), masked h = h'*m + h*(1 - m).
 * Ops per step: matMul, add, activation = 3 (+ 3 with a mask).
 * Backward per step: dz = dh * act'(z) (act' of all steps at once beforehand); dh = dz·U^T: 2 ops.
 * Then dW = X^T·dZ, dU = Hprev^T·dZ, db = column sums of dZ, dX = dZ·W^T over all steps at once.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedActivation, type FusedActivation } from './activation';
import { addMaybe, fusedOp, matMulTransposed, transposedOperand, inputGradient, projectSteps, sumOuter, sumSteps, type Named } from './fused-op';
import { assertFusable, blend, fusedRecurrentCall, recording, stepMasks, type SequenceArgs } from './sequence';
import { StockSimpleRNN, type SimpleRNNCell, type SimpleRNNLayerArgs } from './stock';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

function forward(act: FusedActivation, args: SequenceArgs, keep: boolean, a: Named) {
  const { x, kernel, recurrentKernel, bias } = a;
  const timeSteps = x.shape[0];
  // [T, batch, inputDim] x [inputDim, units] -> [T, batch, units], + bias
  let xw: tf.Tensor = projectSteps(x, kernel);
  if (bias !== undefined) xw = tf.add(xw, bias);
  const xwSteps = tf.unstack(xw);
  const masks = stepMasks(args.mask);
  let h = a.h0;
  const outputs: tf.Tensor[] = [];
  const hPrev_: tf.Tensor[] = [];
  const pre: tf.Tensor[] = [];
  const post: tf.Tensor[] = [];
  for (let t = 0; t < timeSteps; t++) {
    const hPrev = h;
    // One tidy per step, as tfjs's rnn() has: only the state and what the backward keeps outlive it (see sequence.ts).
    const step = tf.tidy(() => {
      // [batch, units] x [units, units] -> [batch, units]
      const z = tf.add(xwSteps[t], tf.matMul(hPrev, recurrentKernel));
      const hNew = act.apply(z);
      const hOut = masks ? blend(hNew, hPrev, masks.keep[t], masks.hold[t]) : hNew;
      return keep ? [hOut, z, hNew] : [hOut];
    });
    h = step[0];
    if (keep) {
      hPrev_.push(hPrev);
      pre.push(step[1]);
      post.push(step[2]);
    }
    if (args.returnSequences) outputs.push(h);
  }
  const value = tf.stack(args.returnSequences ? outputs : [h]);
  if (!keep) return { value, saved: {} };
  const saved: Named = { x, kernel, recurrentKernel, hPrev: tf.stack(hPrev_), post: tf.stack(post) };
  if (act.needsPre) saved.pre = tf.stack(pre);
  if (args.mask !== null) saved.mask = args.mask;
  return { value, saved };
}

function backward(act: FusedActivation, args: SequenceArgs, hasBias: boolean, dy: tf.Tensor, s: Named) {
  const timeSteps = s.x.shape[0];
  const derivative = tf.unstack(act.derivative(s.pre ?? null, s.post));
  const masks = stepMasks((s.mask as tf.Tensor3D | undefined) ?? null);
  const dyRows = tf.unstack(dy);
  const uT = transposedOperand(s.recurrentKernel);
  let dh: tf.Tensor | null = null;
  const dz: tf.Tensor[] = new Array(timeSteps);
  for (let t = timeSteps - 1; t >= 0; t--) {
    const dyT = args.returnSequences ? dyRows[t] : t === timeSteps - 1 ? dyRows[0] : null;
    let dhT = addMaybe(dyT, dh) as tf.Tensor;
    let dhHeld: tf.Tensor | null = null;
    if (masks) {
      dhHeld = tf.mul(dhT, masks.hold[t]);
      dhT = tf.mul(dhT, masks.keep[t]);
    }
    dz[t] = tf.mul(dhT, derivative[t]);
    // [batch, units] x [units, units]^T -> [batch, units]
    dh = addMaybe(matMulTransposed(dz[t], uT), dhHeld);
  }
  const dZ = tf.stack(dz);
  return {
    x: inputGradient(dZ, s.kernel),
    kernel: sumOuter(s.x, dZ),
    recurrentKernel: sumOuter(s.hPrev, dZ),
    ...(hasBias ? { bias: sumSteps(dZ) } : {}),
    h0: dh,
  };
}

/** The fused op: packed [S, batch, units] (see sequence.ts); kernel [inputDim, units], recurrentKernel [units, units], bias [units] or null. */
function simpleRnnSequence(act: FusedActivation, args: SequenceArgs, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const keep = recording();
  const inputs: Named = { x: args.x, kernel, recurrentKernel, h0: args.states[0] };
  if (bias !== null) inputs.bias = bias;
  return fusedOp(
    inputs,
    (a) => forward(act, args, keep, a),
    (dy, saved) => backward(act, args, bias !== null, dy, saved),
  );
}

/** tfjs's SimpleRNN, fused. Same args as tf.layers.simpleRNN (no dropout, not stateful). */
export class FusedSimpleRNN extends StockSimpleRNN {
  /** @nocollapse */
  static override readonly className = 'FusedSimpleRNN';

  /** @throws ConfigError for stateful or dropout (see assertFusable). */
  constructor(args: SimpleRNNLayerArgs) {
    super(args);
    assertFusable(this as unknown as Parameters<typeof assertFusable>[0]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as SimpleRNNCell;
    const act = fusedActivation(cell.activation);
    return fusedRecurrentCall(this as unknown as Parameters<typeof fusedRecurrentCall>[0], inputs, kwargs, 1, (args) =>
      simpleRnnSequence(act, args, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null),
    );
  }
}
tf.serialization.registerClass(FusedSimpleRNN);
