/**
 * FusedGRU: tfjs's GRU, reset_after=False (the reset gate applied before the recurrent matmul), with the
 * same weights, config and outputs, in fewer, larger ops and a hand-written backward. Gate columns [z|r|h];
 * recurrentKernel = [U_zr | U_h].
 *
 * Forward: once XWb = X·W + b, split into its [z|r] and h columns. Per step (tfjs's GRUCell):
 *   zr = ra(XWb_zr + h·U_zr); hh = act(XWb_h + (r*h)·U_h); h' = z*h + (1 - z)*hh
 *   ops: 2 matMul, 2 add, activation, split, mul, 4 for h' = 12 (+ 3 with a mask)
 * Backward per step, with Pz = (h - hh)*ra'(z), Ph = (1 - z)*act'(hh), Qr = h*ra'(r) for all steps at once:
 *   dah = dh*Ph; drh = dah·U_h^T; dzr = [dh*Pz | drh*Qr]; dh = dh*z + drh*r + dzr·U_zr^T   (10 ops)
 * then dW = X^T·[dzr|dah], dU = [Hprev^T·dzr | (r*Hprev)^T·dah], db, dX over all steps at once.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedActivation, type FusedActivation } from './activation';
import { addMaybe, fusedOp, matMulTransposed, transposedOperand, inputGradient, projectSteps, sumOuter, sumSteps, type Named } from './fused-op';
import { assertFusable, blend, fusedRecurrentCall, recording, stepMasks, type SequenceArgs } from './sequence';
import { StockGRU, type GRUCell, type GRULayerArgs } from './stock';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

export interface GruOps {
  readonly units: number;
  readonly activation: FusedActivation;
  readonly recurrentActivation: FusedActivation;
}

function forward(ops: GruOps, args: SequenceArgs, keep: boolean, a: Named) {
  const { activation: act, recurrentActivation: ract, units } = ops;
  const { x, kernel, recurrentKernel, bias } = a;
  const timeSteps = x.shape[0];
  // [T, batch, inputDim] x [inputDim, 3*units] -> [T, batch, 3*units], + bias
  let xw: tf.Tensor = projectSteps(x, kernel);
  if (bias !== undefined) xw = tf.add(xw, bias);
  const [xzrAll, xhAll] = tf.split(xw, [2 * units, units], 2);
  const xzr = tf.unstack(xzrAll);
  const xh = tf.unstack(xhAll);
  // Parity note: tfjs's GRUCell splits the recurrent kernel into [U_zr | U_h] the same way.
  const [uzr, uh] = tf.split(recurrentKernel, [2 * units, units], 1);
  const masks = stepMasks(args.mask);
  let h = a.h0;
  const outputs: tf.Tensor[] = [];
  const kept: Record<'hPrev' | 'z' | 'r' | 'hh' | 'rh' | 'azr' | 'ah', tf.Tensor[]> = { hPrev: [], z: [], r: [], hh: [], rh: [], azr: [], ah: [] };
  for (let t = 0; t < timeSteps; t++) {
    const hPrev = h;
    // One tidy per step, as tfjs's rnn() has: only the state and what the backward keeps outlive it (see sequence.ts).
    const step = tf.tidy(() => {
      // [batch, units] x [units, 2*units] -> [batch, 2*units]
      const azr = tf.add(xzr[t], tf.matMul(hPrev, uzr));
      const [z, r] = tf.split(ract.apply(azr), 2, 1);
      const rh = tf.mul(r, hPrev);
      // [batch, units] x [units, units] -> [batch, units]
      const ah = tf.add(xh[t], tf.matMul(rh, uh));
      const hh = act.apply(ah);
      // Parity note: tfjs writes 1 - z as add(1, neg(z)); sub(1, z) rounds identically.
      const hNew = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh));
      const hOut = masks ? blend(hNew, hPrev, masks.keep[t], masks.hold[t]) : hNew;
      return keep ? [hOut, z, r, hh, rh, azr, ah] : [hOut];
    });
    h = step[0];
    if (keep) {
      const [, z, r, hh, rh, azr, ah] = step;
      Object.entries({ hPrev, z, r, hh, rh, azr, ah }).forEach(([k, v]) => kept[k as keyof typeof kept].push(v));
    }
    if (args.returnSequences) outputs.push(h);
  }
  const value = tf.stack(args.returnSequences ? outputs : [h]);
  if (!keep) return { value, saved: {} };
  const saved: Named = { x, kernel, uzr, uh };
  for (const key of ['hPrev', 'z', 'r', 'hh', 'rh'] as const) saved[key] = tf.stack(kept[key]);
  if (ract.needsPre) saved.azr = tf.stack(kept.azr);
  if (act.needsPre) saved.ah = tf.stack(kept.ah);
  if (args.mask !== null) saved.mask = args.mask;
  return { value, saved };
}

function backward(ops: GruOps, args: SequenceArgs, hasBias: boolean, dy: tf.Tensor, s: Named) {
  const { activation: act, recurrentActivation: ract } = ops;
  const timeSteps = s.x.shape[0];
  const [az, ar] = s.azr ? tf.split(s.azr, 2, 2) : [null, null];
  // [T, batch, units] each
  const pz = tf.unstack(tf.mul(tf.sub(s.hPrev, s.hh), ract.derivative(az, s.z)));
  const ph = tf.unstack(tf.mul(tf.sub(1, s.z), act.derivative(s.ah ?? null, s.hh)));
  const qr = tf.unstack(tf.mul(s.hPrev, ract.derivative(ar, s.r)));
  const z = tf.unstack(s.z);
  const r = tf.unstack(s.r);
  const masks = stepMasks((s.mask as tf.Tensor3D | undefined) ?? null);
  const dyRows = tf.unstack(dy);
  const uzrT = transposedOperand(s.uzr);
  const uhT = transposedOperand(s.uh);
  let dh: tf.Tensor | null = null;
  const dzr: tf.Tensor[] = new Array(timeSteps);
  const dah: tf.Tensor[] = new Array(timeSteps);
  for (let t = timeSteps - 1; t >= 0; t--) {
    const dyT = args.returnSequences ? dyRows[t] : t === timeSteps - 1 ? dyRows[0] : null;
    let dhT = addMaybe(dyT, dh) as tf.Tensor;
    let dhHeld: tf.Tensor | null = null;
    if (masks) {
      dhHeld = tf.mul(dhT, masks.hold[t]);
      dhT = tf.mul(dhT, masks.keep[t]);
    }
    dah[t] = tf.mul(dhT, ph[t]);
    // [batch, units] x [units, units]^T -> [batch, units]
    const drh = matMulTransposed(dah[t], uhT);
    dzr[t] = tf.concat([tf.mul(dhT, pz[t]), tf.mul(drh, qr[t])], 1);
    // [batch, 2*units] x [units, 2*units]^T -> [batch, units]
    const recurrent = tf.add(tf.add(tf.mul(dhT, z[t]), tf.mul(drh, r[t])), matMulTransposed(dzr[t], uzrT));
    dh = addMaybe(recurrent, dhHeld);
  }
  const dZr = tf.stack(dzr);
  const dAh = tf.stack(dah);
  // [T, batch, 3*units]: dL/d(x·W + b)
  const dA = tf.concat([dZr, dAh], 2);
  return {
    x: inputGradient(dA, s.kernel),
    kernel: sumOuter(s.x, dA),
    recurrentKernel: tf.concat([sumOuter(s.hPrev, dZr), sumOuter(s.rh, dAh)], 1),
    ...(hasBias ? { bias: sumSteps(dA) } : {}),
    h0: dh,
  };
}

/** The fused op: packed [S, batch, units]; kernel [inputDim, 3*units], recurrentKernel [units, 3*units], bias [3*units] or null. */
function gruSequence(ops: GruOps, args: SequenceArgs, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const keep = recording();
  const inputs: Named = { x: args.x, kernel, recurrentKernel, h0: args.states[0] };
  if (bias !== null) inputs.bias = bias;
  return fusedOp(
    inputs,
    (a) => forward(ops, args, keep, a),
    (dy, saved) => backward(ops, args, bias !== null, dy, saved),
  );
}

/** tfjs's GRU (reset_after=False), fused. Same args as tf.layers.gru (no dropout, not stateful). */
export class FusedGRU extends StockGRU {
  /** @nocollapse */
  static override readonly className = 'FusedGRU';

  /** @throws ConfigError for stateful or dropout (see assertFusable). */
  constructor(args: GRULayerArgs) {
    super(args);
    assertFusable(this as unknown as Parameters<typeof assertFusable>[0]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const cell = this.cell as GRUCell;
    const ops = { units: cell.units, activation: fusedActivation(cell.activation), recurrentActivation: fusedActivation(cell.recurrentActivation) };
    return fusedRecurrentCall(this as unknown as Parameters<typeof fusedRecurrentCall>[0], inputs, kwargs, 1, (args) =>
      gruSequence(ops, args, cell.kernel.read(), cell.recurrentKernel.read(), cell.bias?.read() ?? null),
    );
  }
}
tf.serialization.registerClass(FusedGRU);
