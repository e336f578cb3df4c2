/** Shapes of a recurrent layer: [batch, timeSteps, inputDim] in, [batch, units] or [batch, timeSteps, units] out. */
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import type { WeightSpec } from '../kind';
import type { RecurrentConfig } from './config';

/**
 * The sequence's feature size. Inputs after the sequence are initial states ([batch, units] each).
 * @throws ShapeError for a first input that is not [batch, timeSteps, features], or a state of another rank.
 */
function sequenceFeatures(inputs: readonly Shape[], what: string): number {
  const [input] = inputs;
  if (inputs.length < 1 || input.length !== 3 || typeof input[2] !== 'number' || inputs.slice(1).some((s) => s.length !== 2)) {
    const got = inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ');
    throw new ShapeError(`${what}: expected an input [batch, timeSteps, features] with a known features size (then initial states [batch, units]), got ${got}`);
  }
  return input[2];
}

export function recurrentOutputShape(config: RecurrentConfig, inputs: readonly Shape[], what: string, stateCount = 1): Shape {
  sequenceFeatures(inputs, what);
  const states = inputs.slice(1);
  if (states.length > 0 && (states.length !== stateCount || states.some((s) => s[1] !== config.units))) {
    const got = states.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(', ');
    throw new ShapeError(`${what}: expected ${stateCount} initial state(s) [batch, ${config.units}], got ${got}`);
  }
  const [batch, timeSteps] = inputs[0];
  return config.returnSequences ? [batch, timeSteps, config.units] : [batch, config.units];
}

/** kernel [inputDim, gates*units], recurrent_kernel [units, gates*units], bias [gates*units] (or `biasShape`). */
export function recurrentWeightShapes(config: RecurrentConfig, inputs: readonly Shape[], gates: number, what: string, biasShape?: number[]): WeightSpec[] {
  const inputDim = sequenceFeatures(inputs, what);
  const width = gates * config.units;
  return [
    { name: 'kernel', shape: [inputDim, width] },
    { name: 'recurrent_kernel', shape: [config.units, width] },
    ...(config.useBias ? [{ name: 'bias', shape: biasShape ?? [width] }] : []),
  ];
}

/** Each step reduces over inputDim (x·W) and units (h·U), added: K = inputDim + units. */
export function recurrentReductionSize(config: RecurrentConfig, inputs: readonly Shape[]): number {
  const features = inputs[0]?.[2];
  return (typeof features === 'number' ? features : 0) + config.units;
}
