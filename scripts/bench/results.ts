/** The bench's result records and the implementations it compares, in table order. */
import type { BackendName } from '../../src/backends';
import type { CellKind } from '../../src/spec';
import type { Estimated } from './subjects';

/** One implementation: a table row, a bar colour in the plot. */
export interface Implementation {
  readonly id: string;
  readonly label: string;
  /** Plotted in the SVG (runCheck and predictLayers do the same math as model.predict plus overhead). */
  readonly plotted: boolean;
}

/** One measurement of one implementation on one (workload, cell). */
export interface ResultRow {
  readonly workload: string;
  readonly cell: CellKind;
  readonly impl: string;
  /** Operations counted for GFLOP/s (workloads.ts). */
  readonly flops: number;
  readonly measurement: Estimated;
  /** max |output - hand path float64| when the output was checked. */
  readonly maxAbsDiff?: number;
}

export const PYTHON_IMPLEMENTATIONS: readonly Implementation[] = [
  { id: 'numpy', label: 'NumPy loop f64', plotted: true },
  { id: 'numpy-1t', label: 'NumPy loop f64, 1 BLAS thread', plotted: true },
  { id: 'keras', label: 'Keras tf.function f32', plotted: true },
];

/** Every implementation the bench can run, in table order. */
export function implementations(backends: readonly BackendName[], threads: number): Implementation[] {
  return [
    ...PYTHON_IMPLEMENTATIONS,
    { id: 'naive', label: 'naive JS loop f64', plotted: true },
    { id: 'hand-f64', label: 'hand f64, 1 thread', plotted: true },
    { id: 'hand-f64-ts', label: '  the same, TS kernel', plotted: false },
    { id: 'hand-f64-threads', label: `hand f64, ${threads} threads`, plotted: true },
    { id: 'hand-f32', label: 'hand f32, 1 thread', plotted: true },
    ...backends.flatMap((backend) => [
      { id: `${backend}:predict`, label: `tfjs ${backend}: model.predict`, plotted: true },
      { id: `${backend}:predictLayers`, label: `  predictLayers`, plotted: false },
      { id: `${backend}:predictOneBatch`, label: `  model.predict, batchSize N`, plotted: false },
      { id: `${backend}:check`, label: `  runCheck (whole check)`, plotted: false },
    ]),
  ];
}

/** GFLOP/s of a row, when it was timed. */
export function gflops(row: ResultRow): number | undefined {
  return row.measurement.status === 'ok' ? row.flops / row.measurement.medianMs / 1e6 : undefined;
}

/** Median ms of a row, when it was timed. */
export function msOf(row: ResultRow | undefined): number | undefined {
  return row?.measurement.status === 'ok' ? row.measurement.medianMs : undefined;
}
