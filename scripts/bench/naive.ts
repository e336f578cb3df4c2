/**
 * The baseline: the forward pass written the straightforward way, as the textbook formulas read.
 * Nested number[][] arrays, one sample at a time, one output unit at a time, the innermost loop a dot
 * product down a column of W or U (strided in memory), float64. No input projection up front, no
 * blocking, no typed arrays. Supports what the bench runs: one layer, tanh, sigmoid gates, GRU with
 * reset_after=True, last step only, then the dense head.
 */
import type { NdArray } from '../../src/tensor';
import type { RnnWeights } from '../../src/weights';
import type { CellKind } from '../../src/spec';

type Matrix = number[][];
type Vector = number[];

interface NaiveModel {
  readonly cell: CellKind;
  readonly units: number;
  /** [inputDim][gates*units] */
  readonly W: Matrix;
  /** [units][gates*units] */
  readonly U: Matrix;
  /** [gates*units] */
  readonly b: Vector;
  /** GRU reset_after only: [gates*units] */
  readonly bRecurrent: Vector;
  /** [units][denseUnits] */
  readonly Wd: Matrix;
  readonly bd: Vector;
}

function rowsOf(data: Float32Array, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols)));
}

/** The bench's weights as nested arrays (not timed). */
export function toNaiveModel(weights: RnnWeights): NaiveModel {
  const layer = weights.recurrent[0];
  return {
    cell: layer.cell,
    units: layer.units,
    W: rowsOf(layer.kernel.data, layer.kernel.rows, layer.kernel.cols),
    U: rowsOf(layer.recurrentKernel.data, layer.recurrentKernel.rows, layer.recurrentKernel.cols),
    b: Array.from(layer.bias),
    bRecurrent: Array.from(layer.recurrentBias ?? []),
    Wd: rowsOf(weights.dense.kernel.data, weights.dense.kernel.rows, weights.dense.kernel.cols),
    bd: Array.from(weights.dense.bias),
  };
}

/** The input [batch, timeSteps, inputDim] as x[b][t][d] (not timed). */
export function toNaiveInput(input: NdArray): number[][][] {
  const [batch, timeSteps, inputDim] = input.shape;
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length: timeSteps }, (_, t) => Array.from(input.data.subarray((b * timeSteps + t) * inputDim, (b * timeSteps + t + 1) * inputDim))),
  );
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Column j of x·W: sum over d of x[d] * W[d][j]. */
function dot(x: Vector, W: Matrix, j: number): number {
  let s = 0;
  for (let d = 0; d < x.length; d++) s += x[d] * W[d][j];
  return s;
}

/** Runs the model on x[b][t][d] -> y[b][k]. */
export function naiveForward(model: NaiveModel, x: number[][][]): number[][] {
  const M = model.units;
  const y: number[][] = [];
  for (const sample of x) {
    let h: Vector = new Array(M).fill(0);
    let c: Vector = new Array(M).fill(0);
    for (const xt of sample) {
      const hNew: Vector = new Array(M);
      const cNew: Vector = new Array(M);
      for (let j = 0; j < M; j++) {
        if (model.cell === 'simple') {
          hNew[j] = Math.tanh(dot(xt, model.W, j) + model.b[j] + dot(h, model.U, j));
        } else if (model.cell === 'lstm') {
          const gate = (g: number) => dot(xt, model.W, g * M + j) + dot(h, model.U, g * M + j) + model.b[g * M + j];
          const i = sigmoid(gate(0));
          const f = sigmoid(gate(1));
          const candidate = Math.tanh(gate(2));
          const o = sigmoid(gate(3));
          cNew[j] = f * c[j] + i * candidate;
          hNew[j] = o * Math.tanh(cNew[j]);
        } else {
          const fromX = (g: number) => dot(xt, model.W, g * M + j) + model.b[g * M + j];
          const fromH = (g: number) => dot(h, model.U, g * M + j) + model.bRecurrent[g * M + j];
          const z = sigmoid(fromX(0) + fromH(0));
          const r = sigmoid(fromX(1) + fromH(1));
          const candidate = Math.tanh(fromX(2) + r * fromH(2));
          hNew[j] = z * h[j] + (1 - z) * candidate;
        }
      }
      h = hNew;
      c = cNew;
    }
    y.push(model.bd.map((bk, k) => dot(h, model.Wd, k) + bk));
  }
  return y;
}
