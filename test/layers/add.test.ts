/** The Add merge kind: the elementwise sum, inputs folded left to right. */
import { add } from '../../src/layers/add';
import { A, B, C, describeMerge } from './merge-cases';

describeMerge({
  kind: add,
  name: 'add',
  maxInputs: 3,
  worked: [
    // [1 + 4, -2 + 5, 3 - 6]
    ['a + b', [A, B], [5, 3, -3], [5, 3, -3]],
    // (a + b) + c = [5.5, 3.5, -2.5]
    ['a + b + c', [A, B, C], [5.5, 3.5, -2.5], [5.5, 3.5, -2.5]],
  ],
});
