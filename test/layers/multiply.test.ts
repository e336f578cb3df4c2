/** The Multiply merge kind: the elementwise product, inputs folded left to right. */
import { multiply } from '../../src/layers/multiply';
import { A, B, C, describeMerge } from './merge-cases';

describeMerge({
  kind: multiply,
  name: 'multiply',
  maxInputs: 3,
  worked: [
    // [1 * 4, -2 * 5, 3 * -6]
    ['a * b', [A, B], [4, -10, -18], [4, -10, -18]],
    // (a * b) * c
    ['a * b * c', [A, B, C], [2, -5, -9], [2, -5, -9]],
  ],
});
