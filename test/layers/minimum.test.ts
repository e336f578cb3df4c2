/** The Minimum merge kind: the elementwise smallest input (exact). */
import { minimum } from '../../src/layers/minimum';
import { A, B, C, describeMerge } from './merge-cases';

describeMerge({
  kind: minimum,
  name: 'minimum',
  maxInputs: 3,
  worked: [
    ['min(a, b)', [A, B], [1, -2, -6], [1, -2, -6]],
    ['min(a, b, c)', [A, B, C], [0.5, -2, -6], [0.5, -2, -6]],
  ],
});
