/**
 * The table of docs/optimizers.md ("Measured gaps"): per golden case and tensor, how far tfjs's form is from Keras's
 * after 1 and after 20 steps, in float32 (what the two frameworks give) and in float64 (the forms themselves).
 * Plain TypeScript only: the float32 tfjs form equals tf.train.* on the cpu backend bit for bit (tfjs-form.test.ts),
 * and the Keras goldens are Keras.
 */
import { createOptimizer } from '../../src/optimizers';
import { gapAt, loadGoldens, runGoldenSequence, specOf, toFloat32, worstGap, type WeightHistory } from './goldens';

const TENSORS = [
  { index: 0, label: 'kernel [3,4], g ~ 1' },
  { index: 1, label: 'bias [4], g ~ 1e-4' },
];

/** A number as the table shows it: 0, NaN, or 3 significant digits. */
function formatGap(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x === 0 ? '0' : x.toExponential(2);
}

function maxDisplacement(history: WeightHistory, step: number, tensor: number): number {
  const initial = loadGoldens().initialWeights[tensor];
  return Math.max(...history[step - 1][tensor].map((x, j) => Math.abs(x - initial[j])));
}

/** The markdown rows of the table, one per case and tensor. */
export function formGapRows(): string[] {
  const rows: string[] = [];
  for (const golden of loadGoldens().cases) {
    const tfjs32 = runGoldenSequence(createOptimizer(specOf(golden, 'tfjs', 'float32')));
    const tfjs64 = runGoldenSequence(createOptimizer(specOf(golden, 'tfjs')));
    const keras32 = toFloat32(golden.float32);
    for (const { index, label } of TENSORS) {
      const cells = [
        golden.name,
        label,
        formatGap(gapAt(tfjs32, keras32, 1, [index]).maxAbs),
        formatGap(gapAt(tfjs32, keras32, 20, [index]).maxAbs),
        formatGap(gapAt(tfjs64, golden.float64, 1, [index]).maxAbs),
        formatGap(gapAt(tfjs64, golden.float64, 20, [index]).maxAbs),
        formatGap(worstGap(keras32, golden.float64, [index]).maxAbs),
        formatGap(maxDisplacement(golden.float64, 20, index)),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
    }
  }
  return rows;
}
