/**
 * The forward over a long sequence, tfjs's layer vs the fused one (scripts/bench's "long" workload: batch 1,
 * inputDim 8, units 32), for SimpleRNN, LSTM and GRU at T = 1,000 and 10,000: predict() on the active backend,
 * the median of a few runs after one warm-up run. The fused LSTM is timed on both its paths: TensorFlow's
 * BlockLSTMV2 kernel (fusedMs, when the backend has it) and the per-step fused ops (fusedStepsMs).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedLayer } from '../../src/fused';
import { blockLstmUsage, setBlockLstmPolicy } from '../../src/fused/block-lstm';
import { median } from '../bench/timing';

const LONG_STEPS = [1000, 10000] as const;
const CELLS = ['simpleRNN', 'lstm', 'gru'] as const;
const INPUT_DIM = 8;
const UNITS = 32;

export interface LongForwardRow {
  readonly cell: string;
  readonly timeSteps: number;
  readonly tfjsMs: number;
  readonly fusedMs: number;
  /** What the fused layer ran for fusedMs: 'block' (BlockLSTMV2) or 'steps' (the per-step fused ops). */
  readonly fusedPath: 'block' | 'steps';
  /** LSTM only: the fused layer with the BlockLSTM kernel turned off. */
  readonly fusedStepsMs?: number;
  /** max |fused - tfjs| over the output (fusedMs's run). */
  readonly maxDiff: number;
}

function stockLayer(cell: (typeof CELLS)[number]): tf.layers.Layer {
  const args = { units: UNITS, recurrentActivation: 'sigmoid', kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform' } as never;
  return cell === 'simpleRNN' ? tf.layers.simpleRNN(args) : cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args);
}

function timeForward(model: tf.LayersModel, x: tf.Tensor, runs: number): { ms: number; output: Float32Array } {
  let output: Float32Array = new Float32Array();
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t = performance.now();
    output = Float32Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
    if (r > 0) times.push(performance.now() - t);
  }
  return { ms: median(times), output };
}

/** Every cell x T; `runs` timed runs each (after one warm-up). */
export function longForwardRows(runs: number): LongForwardRow[] {
  const rows: LongForwardRow[] = [];
  for (const cell of CELLS) {
    for (const timeSteps of LONG_STEPS) {
      const stock = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [timeSteps, INPUT_DIM] }), stockLayer(cell)] });
      const fused = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [timeSteps, INPUT_DIM] }), fusedLayer(stockLayer(cell))] });
      fused.setWeights(stock.getWeights());
      const x = tf.randomNormal([1, timeSteps, INPUT_DIM], 0, 1, 'float32', 7);
      try {
        const a = timeForward(stock, x, runs);
        const blockCalls = blockLstmUsage().forward;
        const b = timeForward(fused, x, runs);
        const fusedPath = blockLstmUsage().forward > blockCalls ? 'block' : 'steps';
        const maxDiff = a.output.reduce((m, v, i) => Math.max(m, Math.abs(v - b.output[i])), 0);
        let fusedStepsMs: number | undefined;
        if (cell === 'lstm') {
          const previous = setBlockLstmPolicy('off');
          try {
            fusedStepsMs = timeForward(fused, x, runs).ms;
          } finally {
            setBlockLstmPolicy(previous);
          }
        }
        rows.push({ cell, timeSteps, tfjsMs: a.ms, fusedMs: b.ms, fusedPath, ...(fusedStepsMs === undefined ? {} : { fusedStepsMs }), maxDiff });
      } finally {
        x.dispose();
        stock.dispose();
        fused.dispose();
      }
    }
  }
  return rows;
}
