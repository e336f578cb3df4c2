/**
 * What a fault of the forward fault suite is (hooks into the hand path's fault seam, ForwardFaults in src/hand/forward.ts), where it
 * applies, and the builders the catalogues share (a fault that only rewrites each recurrent layer's weights).
 */
import type { CellKind, ModelSpec } from '../../src/spec';
import type { RecurrentLayerWeights } from '../../src/weights';
import type { ForwardFaults } from '../../src/hand/forward';
import { mapLayers, mapValues } from './transforms';

export interface Fault {
  /** kebab-case, e.g. 'recurrent-kernel-transposed'. */
  readonly id: string;
  /** What the buggy hand code does, in a few words. */
  readonly description: string;
  readonly cells: readonly CellKind[];
  /** Extra condition on the spec (beyond `cells`) for the fault to change anything. */
  readonly when?: (spec: ModelSpec) => boolean;
  readonly hooks: ForwardFaults;
}

/** Whether `fault` changes the computation of `spec` (see the header). */
export function faultApplies(fault: Fault, spec: ModelSpec): boolean {
  return fault.cells.includes(spec.cell) && (fault.when ? fault.when(spec) : true);
}

export const ALL_CELLS: readonly CellKind[] = ['simple', 'lstm', 'gru'];
export const GATED: readonly CellKind[] = ['lstm', 'gru'];

/** A fault that only rewrites each recurrent layer's weights. */
export function layerFault(
  id: string,
  description: string,
  cells: readonly CellKind[],
  rewrite: (layer: RecurrentLayerWeights) => RecurrentLayerWeights,
  when?: (spec: ModelSpec) => boolean,
): Fault {
  return { id, description, cells, when, hooks: { weights: (w) => mapLayers(w, rewrite) } };
}

/** The values of one gate's block of a [gates*units] bias shifted by `delta`. */
export function shiftGateBias(layer: RecurrentLayerWeights, gate: number, delta: number): RecurrentLayerWeights {
  const from = gate * layer.units;
  const to = from + layer.units;
  return { ...layer, bias: mapValues(layer.bias, (x, i) => (i >= from && i < to ? x + delta : x)) };
}

/** A reset_after GRU layer's recurrent bias (the GRU bias faults apply to reset_after layers only). */
export function recurrentBiasOf(layer: RecurrentLayerWeights): Float32Array {
  if (layer.recurrentBias === undefined) throw new Error('fault catalogue: expected a reset_after GRU layer with a recurrent bias, got none');
  return layer.recurrentBias;
}
