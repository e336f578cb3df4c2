/** The Maximum merge kind: the elementwise largest input (exact). */
import { maximum } from '../../src/layers/maximum';
import { A, B, C, describeMerge } from './merge-cases';

describeMerge({
  kind: maximum,
  name: 'maximum',
  maxInputs: 3,
  worked: [
    ['max(a, b)', [A, B], [4, 5, 3], [4, 5, 3]],
    ['max(b, c)', [B, C], [4, 5, 0.5], [4, 5, 0.5]],
    ['max(a, b, c)', [A, B, C], [4, 5, 3], [4, 5, 3]],
  ],
});
