/**
 * Every cell x reset_after (GRU) x go_backwards x return_sequences x layers in {1, 2}, on tensorflow,
 * cpu and wasm: the layer path against the float64 hand path at the default tolerance.
 * Small sizes (batch 3, T 7, D 4, units 5) keep the 96 checks quick; the wider shapes live in simple-rnn.test.ts.
 */
import type { BackendName } from '../../src/backends';
import { runCheck } from '../../src/check';
import { defaultTolerance } from '../../src/compare/tolerance';
import { validateSpec, type ModelSpec } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';

const BACKENDS: BackendName[] = ['tensorflow', 'cpu', 'wasm'];

function grid(): [string, Partial<ModelSpec>][] {
  const rows: [string, Partial<ModelSpec>][] = [];
  const cells: [string, Partial<ModelSpec>][] = [
    ['simple', { cell: 'simple' }],
    ['lstm', { cell: 'lstm' }],
    ['gru reset_after', { cell: 'gru', resetAfter: true }],
    ['gru reset_before', { cell: 'gru', resetAfter: false }],
  ];
  for (const [cellName, cell] of cells) {
    for (const goBackwards of [false, true]) {
      for (const returnSequences of [false, true]) {
        for (const layers of [1, 2]) {
          const title = `${cellName}${goBackwards ? ' backwards' : ''}${returnSequences ? ' sequences' : ''} x${layers}`;
          rows.push([title, { ...cell, goBackwards, returnSequences, layers, batch: 3, timeSteps: 7, inputDim: 4, units: 5, denseUnits: 3 }]);
        }
      }
    }
  }
  return rows;
}

describe.each(BACKENDS)('%s', (backend) => {
  test.each(grid())('%s', async (_title, partial) => {
    const spec = validateSpec(partial);
    const result = await runCheck({ spec, seed: 21, backend, precision: 'float64' });
    expect(result.report.pass).toBe(true);
    expectClose(result.layerOutput, result.handOutput, defaultTolerance(spec));
  });
});
