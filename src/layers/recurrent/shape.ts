/** Shapes of a recurrent layer: [batch, timeSteps, inputDim] in, [batch, units] or [batch, timeSteps, units] out. */
import { ShapeError } from '../../errors';
import type { Shape } from '../../graph/model';
import type { WeightSpec } from '../kind';
import type { RecurrentConfig } from './config';

/** The one input's feature size. @throws ShapeError for an input that is not [batch, timeSteps, features]. */
export function sequenceFeatures(inputs: readonly Shape[], what: string): number {
  const [input] = inputs;
  if (inputs.length !== 1 || input.length !== 3 || typeof input[2] !== 'number') {
    const got = inputs.map((s) => `[${s.map((d) => d ?? 'None').join(', ')}]`).join(' and ');
    throw new ShapeError(`${what}: expected one input [batch, timeSteps, features] with a known features size, got ${got}`);
  }
  return input[2];
}

export function recurrentOutputShape(config: RecurrentConfig, inputs: readonly Shape[], what: string): Shape {
  sequenceFeatures(inputs, what);
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
