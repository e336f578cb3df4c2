/**
 * A .keras file made as a user makes one (scripts/keras-fixtures/user_model.py: Sequential with layers
 * named "encoder" and "score", compiled with Adam, fitted, model.save), read by readModelFile and checked
 * against Keras's own predictions on every backend, from the .keras and from the bare .weights.h5 saved
 * beside it (its architecture given: the .keras's own, or the one the CLI's flags describe).
 */
import path from 'node:path';
import { selectBackend } from '../../src/backends';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { readArchitecture, type Architecture } from '../../src/graph/read-config';
import { readNpyFile } from '../../src/io/npy';
import type { Blocker } from '../../src/layers/read-context';
import { presetKerasConfig } from '../../src/presets/flags';
import { validateSpec } from '../../src/spec';
import { expectClose } from '../helpers/expect-close';
import { expectNoLeakedTensors, LAYER_BACKENDS } from '../model/helpers';
import { USER_DIR } from './helpers';
import { architectureOf } from './model-helpers';

const file = (suffix: string) => path.join(USER_DIR, `user-lstm${suffix}`);

/** The architecture `--cell lstm --units 16 --features 3 --timesteps 12 --outputs 1` describes. */
function flagsArchitecture(): Architecture {
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(
    presetKerasConfig(validateSpec({ cell: 'lstm', units: 16, inputDim: 3, timeSteps: 12, denseUnits: 1 })),
    'keras',
    blockers,
  );
  expect(blockers).toEqual([]);
  return architecture;
}

const SOURCES: [string, string, () => Architecture | undefined, string[]][] = [
  ['the .keras', '.keras', () => undefined, ['encoder (LSTM)', 'score (Dense)']],
  ["the .weights.h5 with the .keras's architecture", '.weights.h5', () => architectureOf(file('.keras')), ['encoder (LSTM)', 'score (Dense)']],
  ['the .weights.h5 with the flags architecture', '.weights.h5', flagsArchitecture, ['lstm (LSTM)', 'dense (Dense)']],
];

describe.each(LAYER_BACKENDS)("the user's LSTM on %s", (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  test.each(SOURCES)('from %s: both paths agree with Keras', async (_what, suffix, architecture, layers) => {
    const input = readNpyFile(file('.input.npy'));
    const expected = readNpyFile(file('.expected.npy'));
    const given = architecture();
    const read = readModelFile(file(suffix), given ? { architecture: given } : {});
    expect(read.format).toBe(suffix === '.keras' ? 'keras' : 'weights.h5');
    const result = await expectNoLeakedTensors(() =>
      checkModel({ model: read.model, backend, seed: 0, precision: 'float64', inputs: [input], expected: [expected] }),
    );
    expect(result.inputs[0].shape).toEqual([4, 12, 3]);
    expect(result.layers.map((l) => `${l.name} (${l.type})`)).toEqual(layers);
    expect(result.totalParameters).toBe(4 * 16 * (3 + 16 + 1) + 16 + 1);
    expect(result.comparisons.map((c) => [c.name, c.report.pass])).toEqual([
      ['layer vs hand', true],
      ['hand vs Keras', true],
      ['layer vs Keras', true],
    ]);
    expectClose(result.outputs[0].layer, expected, result.tolerance.base);
    expectClose(result.outputs[0].hand, expected, result.tolerance.base);
    expect(result.pass).toBe(true);
  });
});
