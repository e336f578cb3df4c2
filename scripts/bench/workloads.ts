/**
 * The bench's workloads and cells, and the operation count its GFLOP/s figures use.
 *
 *   name    N (batch)  T (timeSteps)  D (inputDim)  M (units)
 *   tiny    1          10             3             5          seed 003's notebook
 *   small   32         50             16            64
 *   medium  64         100            32            128
 *   large   256        200            64            256
 *   long    1          10000          8             32         one sample, a long recurrence
 *
 * Every model is one recurrent layer + Dense(2), Keras's defaults otherwise (tanh; sigmoid gates; GRU
 * reset_after=True), the last step's output only.
 */
import { CELLS, DEFAULT_SPEC, validateSpec, type CellKind, type ModelSpec } from '../../src/spec';
import { gateCount } from '../../src/weights';

export interface Workload {
  readonly name: string;
  readonly batch: number;
  readonly timeSteps: number;
  readonly inputDim: number;
  readonly units: number;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'tiny', batch: 1, timeSteps: 10, inputDim: 3, units: 5 },
  { name: 'small', batch: 32, timeSteps: 50, inputDim: 16, units: 64 },
  { name: 'medium', batch: 64, timeSteps: 100, inputDim: 32, units: 128 },
  { name: 'large', batch: 256, timeSteps: 200, inputDim: 64, units: 256 },
  { name: 'long', batch: 1, timeSteps: 10000, inputDim: 8, units: 32 },
];

/** What --quick runs unless --workloads / --cells say otherwise. */
export const QUICK_WORKLOADS: readonly string[] = ['tiny', 'medium'];
export const QUICK_CELLS: readonly CellKind[] = ['simple'];

export const BENCH_CELLS: readonly CellKind[] = CELLS;

/** Units of the dense head, as in the notebook. */
const DENSE_UNITS = 2;

/** The spec of `cell` on `workload`; the defaults are DEFAULT_SPEC's (Keras's). */
export function specFor(workload: Workload, cell: CellKind): ModelSpec {
  return validateSpec({
    ...DEFAULT_SPEC,
    cell,
    batch: workload.batch,
    timeSteps: workload.timeSteps,
    inputDim: workload.inputDim,
    units: workload.units,
    denseUnits: DENSE_UNITS,
  });
}

/**
 * Floating-point operations counted for GFLOP/s: N*T*G*(2*D*M + 2*M*M), G = gates (1 simple, 4 lstm,
 * 3 gru), i.e. the input and recurrent matmuls. The dense head and the elementwise gate math are not
 * counted (the reference numbers count the same).
 */
export function workloadFlops(workload: Workload, cell: CellKind): number {
  const { batch: n, timeSteps: t, inputDim: d, units: m } = workload;
  return n * t * gateCount(cell) * (2 * d * m + 2 * m * m);
}

/** "N=64 T=100 D=32 M=128" */
export function describeWorkload(workload: Workload): string {
  return `N=${workload.batch} T=${workload.timeSteps} D=${workload.inputDim} M=${workload.units}`;
}
