/**
 * The gradient fault catalogue: bugs people write in a hand backward pass (BPTT, a layer's backward), each as
 * hooks on the real code through its fault seam (BackwardFaults in src/graph/hand-backward.ts, BpttFaults in
 * src/hand/bptt.ts, CellBackwardFaults in src/hand/cell-backward.ts, BidirectionalBackwardFaults), never a
 * copy of it. A fault is exact: the faulty gradient is what the buggy code would compute. The hand forward is
 * untouched, so finite differences of it and tfjs's autodiff both still see the correct gradient.
 *
 * `models` names the fault models (./fault-models.ts) where the fault changes the gradient; the runner checks
 * that it does (a fault that changes nothing would pass for the wrong reason).
 */
import type { BackwardFaults, LayerBackward } from '../../../src/graph/hand-backward';
import type { GraphLayer } from '../../../src/graph/model';
import { bidirectionalBackward } from '../../../src/layers/bidirectional/backward';
import type { AnyLayerKind } from '../../../src/layers/kind';
import { activationFunction, recurrentActivationFunction, type ScalarFunction } from '../../../src/hand/activations';
import { GRU_GATE } from '../../../src/hand/gru';
import type { FloatBuffer, MatrixView } from '../../../src/hand/linalg';
import { LSTM_GATE } from '../../../src/hand/lstm';
import type { CellKind } from '../../../src/spec';
import { negateGateBlock, negateView, transposeGateBlocks, withoutMasks, withWeightGradient, zerosLike } from './hook-parts';

export interface GradientFault {
  /** kebab-case, e.g. 'lstm-forget-gate-sign'. */
  readonly id: string;
  /** What the buggy backward does, in a few words. */
  readonly description: string;
  /** The fault models (FAULT_MODELS names) it changes the gradient of. */
  readonly models: readonly string[];
  readonly faults: BackwardFaults;
}

const RECURRENT_KINDS = new Set(['simple-rnn', 'lstm', 'gru']);
const CELLS = ['simple', 'lstm', 'gru-after', 'gru-before'] as const;
const GRUS = ['gru-after', 'gru-before'] as const;

/** A layer-level fault on the recurrent layers: their kind's backward wrapped by `wrap`. */
function onRecurrentLayers(wrap: (backward: LayerBackward, layer: GraphLayer, kind: AnyLayerKind) => LayerBackward): BackwardFaults {
  return {
    layer: (layer, kind) => (RECURRENT_KINDS.has(layer.kind) && kind.backward ? wrap(kind.backward, layer, kind) : undefined),
  };
}

/** BPTT faults negating one gate's block of `cell`'s gate-input gradients at every step (every block without `gate`). */
function negatedGate(cell: CellKind, gate?: number): BackwardFaults {
  const gateGradients = (kind: CellKind, d: MatrixView, units: number): void => {
    if (kind !== cell) return;
    if (gate === undefined) negateView(d);
    else negateGateBlock(d, gate, units);
  };
  return { bptt: { gateGradients } };
}

/** The index of the layer's weight called `name` (-1 when it has none). */
function weightIndex(layer: GraphLayer, name: string): number {
  return layer.weights.findIndex((w) => w.name === name);
}

/** The derivative a correct cell would evaluate at the activation's output y = f(x): f'(f(x)). */
function derivativeOfOutput(role: 'activation' | 'recurrentActivation', name: string, real: ScalarFunction): ScalarFunction {
  const f = role === 'activation' ? activationFunction(name) : recurrentActivationFunction(name);
  return (x) => real(f(x));
}

/** Derivatives written in terms of the output y (tanh' = 1 - y^2, sigmoid' = y (1 - y)): fed the pre-activation by mistake. */
const OUTPUT_FORM: Readonly<Record<string, ScalarFunction>> = {
  tanh: (y) => 1 - y * y,
  sigmoid: (y) => y * (1 - y),
};

/** Truncated BPTT's horizon: the gradient flows back through this many steps, then stops. */
const TRUNCATION_STEPS = 2;

/**
 * The softmax layer's backward with the Jacobian's diagonal only: dz = dy * y (1 - y) (the off-diagonal
 * -y_i y_j terms left out), then the layer's own backward from dz as if its activation were linear.
 */
function softmaxDiagonalOnly(layer: GraphLayer, kind: AnyLayerKind): LayerBackward | undefined {
  const backward = kind.backward;
  if ((layer.config as { activation?: unknown }).activation !== 'softmax' || !backward) return undefined;
  return (config, weights, inputs, [dy, ...rest], arith) => {
    const { round } = arith;
    const y = kind.forward(config, weights, inputs, arith).data;
    const dz = dy.map((g, i) => round(g * round(y[i] * round(1 - y[i]))));
    return backward({ ...config, activation: 'linear' }, weights, inputs, [dz, ...rest], arith);
  };
}

/** Every gradient fault, in table order: gate signs, the time loop, derivatives, weights, masks and direction, heads. */
export const GRADIENT_FAULTS: readonly GradientFault[] = [
  {
    id: 'lstm-forget-gate-sign',
    description: "the forget gate's derivative with the wrong sign: dz_f = -(dc * c_{t-1} * sigma'(z_f))",
    models: ['lstm'],
    faults: negatedGate('lstm', LSTM_GATE.f),
  },
  {
    id: 'gru-update-gate-sign',
    description: "the update gate's derivative with the wrong sign: da_z = -(dh * (h_{t-1} - hh) * sigma'(a_z))",
    models: [...GRUS],
    faults: negatedGate('gru', GRU_GATE.z),
  },
  {
    id: 'simple-rnn-derivative-sign',
    description: "SimpleRNN's activation derivative with the wrong sign: da = -(dh * f'(a)) (tanh' written as y^2 - 1)",
    models: ['simple'],
    faults: negatedGate('simple'),
  },
  {
    id: 'recurrent-term-dropped-at-one-step',
    description: 'dh_{t-1} not propagated at one step (the middle one): the step passes zeros back for h',
    models: [...CELLS],
    faults: {
      bptt: { previousStateGradients: (s, timeSteps, real) => (s === Math.floor(timeSteps / 2) ? [...zerosLike(real.slice(0, 1)), ...real.slice(1)] : real) },
    },
  },
  {
    id: 'bptt-truncated',
    description: `truncated BPTT: the state gradients stopped after ${TRUNCATION_STEPS} steps back from the last`,
    models: [...CELLS],
    faults: { bptt: { previousStateGradients: (s, timeSteps, real) => (s <= timeSteps - TRUNCATION_STEPS ? zerosLike(real) : real) } },
  },
  {
    id: 'lstm-cell-state-gradient-dropped',
    description: "LSTM: dc_{t-1} never passed back (each step's dc starts from dh alone)",
    models: ['lstm'],
    faults: { bptt: { previousStateGradients: (_s, _timeSteps, real) => (real.length === 2 ? [real[0], ...zerosLike(real.slice(1))] : real) } },
  },
  {
    id: 'derivative-of-output',
    description: "every activation's derivative evaluated at its output: f'(f(x)) for f'(x) (tanh: 1 - tanh(y)^2)",
    models: [...CELLS],
    faults: { bptt: { derivative: derivativeOfOutput } },
  },
  {
    id: 'output-form-derivative-of-pre-activation',
    description: "a derivative written for the output fed the pre-activation: 1 - x^2 for tanh', x (1 - x) for sigmoid'",
    models: [...CELLS],
    faults: { bptt: { derivative: (_role, name, real) => OUTPUT_FORM[name] ?? real } },
  },
  {
    id: 'bias-gradient-missing',
    description: "the recurrent layer's bias gradient never accumulated (zeros)",
    models: [...CELLS],
    faults: onRecurrentLayers((backward, layer) => (...args) => {
      const bias = weightIndex(layer, 'bias');
      return withWeightGradient(backward(...args), bias, (g) => zerosLike([g])[0]);
    }),
  },
  {
    id: 'gru-recurrent-bias-gradient-missing',
    description: "GRU reset_after: the recurrent bias row's gradient never accumulated (row 1 of the bias zeros)",
    models: ['gru-after'],
    faults: onRecurrentLayers((backward, layer) => (...args) => {
      const bias = weightIndex(layer, 'bias');
      return withWeightGradient(backward(...args), bias, (g) => {
        const out = g.slice();
        if (layer.weights[bias].shape.length === 2) out.fill(0, g.length / 2);
        return out;
      });
    }),
  },
  {
    id: 'recurrent-kernel-gradient-transposed',
    description: "dU computed as dz^T · h_{t-1} (each gate's [units, units] block transposed)",
    models: [...CELLS],
    faults: onRecurrentLayers((backward, layer) => (...args) => {
      const units = (layer.config as { units: number }).units;
      return withWeightGradient(backward(...args), weightIndex(layer, 'recurrent_kernel'), (g: FloatBuffer) => transposeGateBlocks(g, units));
    }),
  },
  {
    id: 'mask-ignored-in-backward',
    description: 'the recurrent backward run without the mask (padded steps recomputed and differentiated as real ones)',
    models: CELLS.map((c) => `${c} masked`),
    faults: onRecurrentLayers(
      (backward) => (config, weights, inputs, outputGrads, arith) => backward(config, weights, withoutMasks(inputs), outputGrads, arith),
    ),
  },
  {
    id: 'go-backwards-not-reversed',
    description: 'go_backwards: the backward loop reads time step s at processing step s (not T - 1 - s)',
    models: [...CELLS.map((c) => `${c} backwards`), 'bidirectional lstm'],
    faults: { bptt: { backwardTimeStep: (s) => s } },
  },
  {
    id: 'bidirectional-backward-half-not-flipped',
    description: "Bidirectional: the backward layer's output gradient left in input order (not flipped to its processing order)",
    models: ['bidirectional lstm'],
    faults: {
      layer: (layer) =>
        layer.kind === 'bidirectional'
          ? (config, weights, inputs, outputGrads, arith) => bidirectionalBackward(config, weights, inputs, outputGrads, arith, { flipGradient: (g) => g.data })
          : undefined,
    },
  },
  {
    id: 'softmax-jacobian-diagonal-only',
    description: "softmax's backward with the Jacobian's diagonal only: dz = dy * y (1 - y)",
    models: ['lstm softmax head'],
    faults: { layer: softmaxDiagonalOnly },
  },
];

/**
 * Resolution probes, not bugs: every recurrent kernel's gradient scaled by (1 + delta), for deltas around each
 * comparison's tolerance (layer vs hand 2e-5 scaled, finite differences 1e-6), to show where each stops
 * resolving a wrong gradient. Not part of the catalogue's verdict.
 */
export const RESOLUTION_PROBES: readonly GradientFault[] = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7].map((delta) => ({
  id: `recurrent-kernel-gradient-scaled-1+${delta.toExponential(0)}`,
  description: `every recurrent kernel's gradient times (1 + ${delta.toExponential(0)})`,
  models: ['lstm'],
  faults: onRecurrentLayers((backward, layer) => (...args) => {
    const recurrentKernel = weightIndex(layer, 'recurrent_kernel');
    return withWeightGradient(backward(...args), recurrentKernel, (g) => g.map((x) => x * (1 + delta)));
  }),
}));
