/**
 * The gradient and optimizer checks catch the catalogued bugs (apps/faults/gradients/), at the default tolerances:
 * every gradient fault on every model it names fails both 'layer vs hand' (cpu) and 'hand vs finite differences';
 * the correct code passes on the same models, also through an empty fault seam; every optimizer fault fails the
 * training-step comparison on some gradient source while float32 rounding passes it. About 4 s.
 */
import { GRADIENT_FAULTS, RESOLUTION_PROBES } from '../../apps/faults/gradients/catalogue';
import { FAULT_MODELS } from '../../apps/faults/gradients/fault-models';
import { FaultyAdam } from '../../apps/faults/gradients/faulty-adam';
import { compareOptimizers, gradientSources, OPTIMIZER_FAULTS, roundingFloor, runOptimizerFaults } from '../../apps/faults/gradients/optimizer-faults';
import { FAULT_PAIRS, NO_FAULT, runGradientFaults, type GradientFaultOutcome } from '../../apps/faults/gradients/run-gradient-faults';
import { checkInputs } from '../../src/graph/check-inputs';
import { handLossGradients, withBackwardFaults } from '../../src/graph/hand-backward';
import { withBpttFaults } from '../../src/hand/bptt';
import { createOptimizer, resolveOptimizerSpec, type AdamConfig } from '../../src/optimizers';

let outcomes: GradientFaultOutcome[] = [];

beforeAll(async () => {
  outcomes = await runGradientFaults({ faults: [...GRADIENT_FAULTS, ...RESOLUTION_PROBES] });
});

describe('gradient faults', () => {
  test('the catalogue: the bugs asked for, unique ids, every model named exists', () => {
    const ids = GRADIENT_FAULTS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'lstm-forget-gate-sign',
      'gru-update-gate-sign',
      'simple-rnn-derivative-sign',
      'recurrent-term-dropped-at-one-step',
      'bptt-truncated',
      'derivative-of-output',
      'bias-gradient-missing',
      'mask-ignored-in-backward',
      'go-backwards-not-reversed',
      'bidirectional-backward-half-not-flipped',
      'recurrent-kernel-gradient-transposed',
      'softmax-jacobian-diagonal-only',
    ]) {
      expect(ids).toContain(id);
    }
    const names = new Set(FAULT_MODELS.map((m) => m.name));
    for (const fault of GRADIENT_FAULTS)
      for (const model of fault.models) expect({ fault: fault.id, model, known: names.has(model) }).toEqual({ fault: fault.id, model, known: true });
  });

  test('the correct code passes every comparison on every fault model', () => {
    const baselines = outcomes.filter((o) => o.fault === NO_FAULT);
    expect(baselines.length).toBeGreaterThanOrEqual(10);
    for (const o of baselines) {
      expect(o.pairs.map((p) => p.pair)).toEqual([...FAULT_PAIRS]);
      expect({ model: o.model, caught: o.caught }).toEqual({ model: o.model, caught: false });
    }
  });

  test.each(GRADIENT_FAULTS.flatMap((f) => f.models.map((m) => [f.id, m] as const)))(
    '%s on %s: caught by layer vs hand and by finite differences',
    (id, model) => {
      const outcome = outcomes.find((o) => o.fault === id && o.model === model);
      expect(outcome?.changed).toBeGreaterThan(0);
      for (const pair of FAULT_PAIRS) {
        const p = outcome?.pairs.find((x) => x.pair === pair);
        expect({ pair, caught: p?.caught }).toEqual({ pair, caught: true });
        expect(p?.ratio).toBeGreaterThan(10);
      }
    },
  );

  test('the resolution probes: each comparison resolves a wrong gradient down to about its tolerance, not far below', () => {
    const caughtBy = (delta: string) =>
      outcomes
        .find((o) => o.fault === `recurrent-kernel-gradient-scaled-1+${delta}`)
        ?.pairs.filter((p) => p.caught)
        .map((p) => p.pair);
    expect(caughtBy('1e-3')).toEqual(['layer vs hand', 'hand vs finite differences']);
    expect(caughtBy('1e-5')).toEqual(['hand vs finite differences']);
    expect(caughtBy('1e-7')).toEqual([]);
  });

  test('no fault, through the seam: the hand gradients are the shipped ones bit for bit', () => {
    for (const { model, batch, inputs: given } of FAULT_MODELS) {
      const inputs = checkInputs(model, { seed: 3, batch, ...(given ? { inputs: given } : {}) });
      const run = () =>
        handLossGradients(
          model,
          inputs,
          'sum-squares',
          model.outputs.map(() => undefined),
        ).gradients;
      const shipped = run();
      const seamed = withBackwardFaults({ bptt: {}, layer: () => undefined }, run);
      const scoped = withBpttFaults({}, run);
      expect(seamed).toEqual(shipped);
      expect(scoped).toEqual(shipped);
    }
  });

  test('withBackwardFaults closes its scope after a result, a throw and a settled promise', async () => {
    const { model, batch } = FAULT_MODELS[0];
    const inputs = checkInputs(model, { seed: 3, batch });
    const gradient = () => handLossGradients(model, inputs, 'sum-squares', [undefined]).gradients.weights[0][0][0];
    const shipped = gradient();
    const negate = GRADIENT_FAULTS.find((f) => f.id === 'simple-rnn-derivative-sign')!.faults;
    expect(withBackwardFaults(negate, gradient)).not.toBe(shipped);
    expect(gradient()).toBe(shipped);
    expect(() =>
      withBackwardFaults(negate, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(gradient()).toBe(shipped);
    const inside = await withBackwardFaults(negate, async () => {
      await Promise.resolve();
      return gradient();
    });
    expect(inside).not.toBe(shipped);
    expect(gradient()).toBe(shipped);
  });
});

describe('optimizer faults', () => {
  test('FaultyAdam with no bug switched on is the real Adam, bit for bit, in both forms and precisions', () => {
    for (const form of ['keras', 'tfjs'] as const) {
      for (const precision of ['float64', 'float32'] as const) {
        const config = resolveOptimizerSpec({ name: 'adam', form, learningRate: 0.01 }).config as AdamConfig;
        const outcome = compareOptimizers(
          'no bug',
          new FaultyAdam(form, precision, config, {}),
          createOptimizer({ name: 'adam', form, learningRate: 0.01, precision }),
          gradientSources()[0],
        );
        expect({ form, precision, ratio: outcome.ratio }).toEqual({ form, precision, ratio: 0 });
      }
    }
  });

  test('every optimizer fault is caught on some gradient source, in both forms', () => {
    const results = runOptimizerFaults();
    expect(OPTIMIZER_FAULTS.length).toBe(12);
    for (const fault of OPTIMIZER_FAULTS) {
      const mine = results.filter((o) => o.fault === fault.id);
      expect({ fault: fault.id, caught: mine.some((o) => o.caught) }).toEqual({ fault: fault.id, caught: true });
    }
  });

  test("float32 rounding of every correct optimizer stays far below the training tolerance (the faults' ratios mean something)", () => {
    for (const o of roundingFloor())
      expect({ case: `${o.fault} on ${o.source}`, below: o.ratio < 0.05 }).toEqual({ case: `${o.fault} on ${o.source}`, below: true });
  });
});
