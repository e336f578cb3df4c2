/** The library entry: the documented functions are there and a check runs through it without loading tfjs-node. */
import * as rnnParity from '../src';

test('a check through the library entry on cpu passes and loads no libtensorflow', async () => {
  const result = await rnnParity.runCheck({ spec: rnnParity.validateSpec({ batch: 2 }), seed: 42, backend: 'cpu', precision: 'float64' });
  expect(result.report.pass).toBe(true);
  expect(rnnParity.summarizeReport(result.report)).toMatch(/^PASS /);
  expect(Object.keys(require.cache).some((file) => file.includes(`${'@tensorflow'}/tfjs-node/`))).toBe(false);
});

test('exports the pieces named in the README', () => {
  for (const name of [
    'buildModel',
    'extractWeights',
    'forwardHand',
    'compareOutputs',
    'runCheck',
    'selectBackend',
    'readModelFile',
    'checkModel',
    'forwardGraph',
    'buildTfjsModel',
    'presetModel',
    'summarizeGraph',
    'readNpy',
    'writeNpy',
    'defaultTolerance',
    'forwardHandParallel',
  ]) {
    expect(typeof (rnnParity as Record<string, unknown>)[name]).toBe('function');
  }
});
