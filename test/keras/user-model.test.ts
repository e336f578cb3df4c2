/**
 * A .keras file made as a user makes one (scripts/keras-fixtures/user_model.py: Sequential with layers
 * named "encoder" and "score", compiled with Adam, fitted, model.save), checked against Keras's own
 * predictions on every backend, from the .keras and from the bare .weights.h5 saved beside it.
 */
import path from 'node:path';
import { selectBackend } from '../../src/backends';
import { readNpyFile } from '../../src/io/npy';
import { runKerasCheck } from '../../src/keras/check';
import { readKerasFile } from '../../src/keras/read';
import { kerasTolerance } from '../../src/keras/tolerance';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, LAYER_BACKENDS } from '../model/helpers';
import { USER_DIR } from './helpers';

const file = (suffix: string) => path.join(USER_DIR, `user-lstm${suffix}`);

describe.each(LAYER_BACKENDS)("the user's LSTM on %s", (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test.each(['.keras', '.weights.h5'])('from %s: both paths agree with Keras', async (suffix) => {
    const input = readNpyFile(file('.input.npy'));
    const expected = readNpyFile(file('.expected.npy'));
    const spec = suffix === '.weights.h5' ? readKerasFile(file('.keras')).spec : undefined;
    const result = await expectNoLeakedTensors(() =>
      runKerasCheck({ file: file(suffix), ...(spec ? { spec } : {}), backend, seed: 0, precision: 'float64', input, expected }),
    );
    expect(result.spec).toMatchObject({ cell: 'lstm', batch: 4, timeSteps: 12, inputDim: 3, units: 16, denseUnits: 1 });
    expect(result.layers.map((l) => `${l.name} (${l.type})`)).toEqual(suffix === '.keras' ? ['encoder (LSTM)', 'score (Dense)'] : ['lstm (LSTM)', 'dense (Dense)']);
    expectClose(result.layerOutput, expected, kerasTolerance(result.spec));
    expectClose(result.manualOutput, expected, kerasTolerance(result.spec));
    expect(result.pass).toBe(true);
  });
});
