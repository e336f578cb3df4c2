/**
 * FusedGRUResetAfter: Keras's default GRU (reset_after=True), as this project's GRUResetAfter layer
 * (src/model/layers/gru-reset-after.ts: same weights kernel [inputDim, 3*units], recurrent_kernel
 * [units, 3*units], bias [2, 3*units], config and outputs), in fewer, larger ops with a hand-written backward.
 *
 * Forward: once XWb = X·W + bias[0] (Keras 3: matrix_x = x·W + input_bias). Per step:
 *   mi = h·U + bias[1]; zr = ra(XWb_zr + mi_zr); hh = act(XWb_h + r*mi_h); h' = z*h + (1 - z)*hh
 *   ops: matMul, 2 add, split, add, activation, split, 3 for hh, 4 for h' = 14 (+ 3 with a mask)
 * Backward per step, with Pz = (h - hh)*ra'(z), Ph = (1 - z)*act'(hh), Pr = Ph*mi_h*ra'(r), Pm = Ph*r, and
 * Pa = [Pz|Pr|Ph], Pi = [Pz|Pr|Pm] for all steps at once:
 *   d3 = [dh|dh|dh]; da = d3*Pa; di = d3*Pi; dh = dh*z + di·U^T     (6 ops)
 * then dW = X^T·dA, dU = Hprev^T·dI, dbias = [colsum dA; colsum dI], dX = dA·W^T over all steps at once.
 */
import * as tf from '@tensorflow/tfjs';
import { GRUResetAfterCell, type GRUResetAfterArgs } from '../model/layers';
import { fusedActivation, type LayerActivation } from './activation';
import { addMaybe, fusedOp, matMulTransposed, transposedOperand, inputGradient, projectSteps, sumOuter, sumSteps, type Named } from './fused-op';
import type { GruOps } from './gru';
import { assertFusable, blend, fusedRecurrentCall, recording, stepMasks, type SequenceArgs } from './sequence';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

function forward(ops: GruOps, args: SequenceArgs, keep: boolean, a: Named) {
  const { activation: act, recurrentActivation: ract, units } = ops;
  const { x, kernel, recurrentKernel } = a;
  const timeSteps = x.shape[0];
  // Parity note: Keras 3 unstacks the (2, 3*units) bias into input_bias and recurrent_bias.
  const [inputBias, recurrentBias] = tf.unstack(a.bias);
  // [T, batch, inputDim] x [inputDim, 3*units] -> [T, batch, 3*units], + input bias
  const xw = tf.add(projectSteps(x, kernel), inputBias);
  const [xzrAll, xhAll] = tf.split(xw, [2 * units, units], 2);
  const xzr = tf.unstack(xzrAll);
  const xh = tf.unstack(xhAll);
  const masks = stepMasks(args.mask);
  let h = a.h0;
  const outputs: tf.Tensor[] = [];
  const kept: Record<'hPrev' | 'z' | 'r' | 'hh' | 'mh' | 'azr' | 'ah', tf.Tensor[]> = { hPrev: [], z: [], r: [], hh: [], mh: [], azr: [], ah: [] };
  for (let t = 0; t < timeSteps; t++) {
    const hPrev = h;
    // One tidy per step, as tfjs's rnn() has: only the state and what the backward keeps outlive it (see sequence.ts).
    const step = tf.tidy(() => {
      // [batch, units] x [units, 3*units] -> [batch, 3*units], + recurrent bias
      const mi = tf.add(tf.matMul(hPrev, recurrentKernel), recurrentBias);
      const [mzr, mh] = tf.split(mi, [2 * units, units], 1);
      const azr = tf.add(xzr[t], mzr);
      const [z, r] = tf.split(ract.apply(azr), 2, 1);
      // Parity note: reset_after=True scales h·U_h + bias_h by r, after the matmul (Keras 3's GRUCell).
      const ah = tf.add(xh[t], tf.mul(r, mh));
      const hh = act.apply(ah);
      const hNew = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
      const hOut = masks ? blend(hNew, hPrev, masks.keep[t], masks.hold[t]) : hNew;
      return keep ? [hOut, z, r, hh, mh, azr, ah] : [hOut];
    });
    h = step[0];
    if (keep) {
      const [, z, r, hh, mh, azr, ah] = step;
      Object.entries({ hPrev, z, r, hh, mh, azr, ah }).forEach(([k, v]) => kept[k as keyof typeof kept].push(v));
    }
    if (args.returnSequences) outputs.push(h);
  }
  const value = tf.stack(args.returnSequences ? outputs : [h]);
  if (!keep) return { value, saved: {} };
  const saved: Named = { x, kernel, recurrentKernel };
  for (const key of ['hPrev', 'z', 'r', 'hh', 'mh'] as const) saved[key] = tf.stack(kept[key]);
  if (ract.needsPre) saved.azr = tf.stack(kept.azr);
  if (act.needsPre) saved.ah = tf.stack(kept.ah);
  if (args.mask !== null) saved.mask = args.mask;
  return { value, saved };
}

function backward(ops: GruOps, args: SequenceArgs, dy: tf.Tensor, s: Named) {
  const { activation: act, recurrentActivation: ract } = ops;
  const timeSteps = s.x.shape[0];
  const [az, ar] = s.azr ? tf.split(s.azr, 2, 2) : [null, null];
  // [T, batch, units] each
  const pz = tf.mul(tf.sub(s.hPrev, s.hh), ract.derivative(az, s.z));
  const ph = tf.mul(tf.sub(1, s.z), act.derivative(s.ah ?? null, s.hh));
  const pr = tf.mul(tf.mul(ph, s.mh), ract.derivative(ar, s.r));
  // [T, batch, 3*units]
  const pa = tf.unstack(tf.concat([pz, pr, ph], 2));
  const pi = tf.unstack(tf.concat([pz, pr, tf.mul(ph, s.r)], 2));
  const z = tf.unstack(s.z);
  const masks = stepMasks((s.mask as tf.Tensor3D | undefined) ?? null);
  const dyRows = tf.unstack(dy);
  const uT = transposedOperand(s.recurrentKernel);
  let dh: tf.Tensor | null = null;
  const da: tf.Tensor[] = new Array(timeSteps);
  const di: tf.Tensor[] = new Array(timeSteps);
  for (let t = timeSteps - 1; t >= 0; t--) {
    const dyT = args.returnSequences ? dyRows[t] : t === timeSteps - 1 ? dyRows[0] : null;
    let dhT = addMaybe(dyT, dh) as tf.Tensor;
    let dhHeld: tf.Tensor | null = null;
    if (masks) {
      dhHeld = tf.mul(dhT, masks.hold[t]);
      dhT = tf.mul(dhT, masks.keep[t]);
    }
    const d3 = tf.concat([dhT, dhT, dhT], 1);
    da[t] = tf.mul(d3, pa[t]);
    di[t] = tf.mul(d3, pi[t]);
    // [batch, 3*units] x [units, 3*units]^T -> [batch, units]
    dh = addMaybe(tf.add(tf.mul(dhT, z[t]), matMulTransposed(di[t], uT)), dhHeld);
  }
  const dA = tf.stack(da);
  const dI = tf.stack(di);
  return {
    x: inputGradient(dA, s.kernel),
    kernel: sumOuter(s.x, dA),
    recurrentKernel: sumOuter(s.hPrev, dI),
    // [2, 3*units]: row 0 the input bias, row 1 the recurrent bias
    bias: tf.stack([sumSteps(dA), sumSteps(dI)]),
    h0: dh,
  };
}

/** The fused op: packed [S, batch, units]; kernel [inputDim, 3*units], recurrentKernel [units, 3*units], bias [2, 3*units]. */
function gruResetAfterSequence(ops: GruOps, args: SequenceArgs, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const keep = recording();
  return fusedOp(
    { x: args.x, kernel, recurrentKernel, bias, h0: args.states[0] },
    (a) => forward(ops, args, keep, a),
    (dy, saved) => backward(ops, args, dy, saved),
  );
}

/**
 * GRUResetAfter, fused: the same args, cell (GRUResetAfterCell, which holds the weights) and flattened config,
 * so a saved GRUResetAfter's config and weights load into it as they are.
 */
export class FusedGRUResetAfter extends tf.layers.RNN {
  /** @nocollapse */
  static override readonly className = 'FusedGRUResetAfter';

  /** @throws ConfigError for bad cell arguments (GRUResetAfterCell) or a stateful layer. */
  constructor(args: GRUResetAfterArgs) {
    const cell = new GRUResetAfterCell({
      units: args.units,
      activation: args.activation,
      recurrentActivation: args.recurrentActivation,
      kernelInitializer: args.kernelInitializer,
      recurrentInitializer: args.recurrentInitializer,
      biasInitializer: args.biasInitializer,
    });
    super({ ...args, cell } as tf.RNNLayerArgs);
    assertFusable(this as unknown as Parameters<typeof assertFusable>[0]);
  }

  /** Rebuilds the layer from its flattened config, as GRUResetAfter.fromConfig does. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as unknown as { units: number; activation: LayerActivation; recurrentActivation: LayerActivation };
    // GRUResetAfterCell keeps its variables private; its weights are [kernel, recurrent_kernel, bias] in build() order.
    const [kernel, recurrentKernel, bias] = this.cell.weights.map((w) => w.read());
    const ops = { units: cell.units, activation: fusedActivation(cell.activation), recurrentActivation: fusedActivation(cell.recurrentActivation) };
    return fusedRecurrentCall(this as unknown as Parameters<typeof fusedRecurrentCall>[0], inputs, kwargs, 1, (args) =>
      gruResetAfterSequence(ops, args, kernel, recurrentKernel, bias),
    );
  }
}
tf.serialization.registerClass(FusedGRUResetAfter);
