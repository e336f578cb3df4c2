/** --save-weights / --weights: tfjs's model.json + weights.bin, bit-exact, written atomically. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../../src/check';
import { FileFormatError } from '../../src/errors';
import { validateSpec } from '../../src/spec';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-weights-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(['simple', 'lstm', 'gru'] as const)('%s: save then load gives the same bytes and the same outputs', async (cell) => {
  const spec = validateSpec({ cell, resetAfter: false, batch: 3, units: 6, returnSequences: true, goBackwards: true });
  const saved = await runCheck({ spec, seed: 13, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  const loaded = await runCheck({ spec: validateSpec({ batch: 3 }), seed: 13, backend: 'cpu', precision: 'float64', weightsDir: dir });
  expect(loaded.spec).toEqual(spec);
  expect(loaded.report.pass).toBe(true);
  const bytes = (r: typeof saved) =>
    [r.weights.recurrent[0].kernel, r.weights.recurrent[0].recurrentKernel, r.weights.dense.kernel].map((m) => Buffer.from(m.data.buffer));
  expect(bytes(loaded)).toEqual(bytes(saved));
  expect(Buffer.from(loaded.layerOutput.data.buffer)).toEqual(Buffer.from(saved.layerOutput.data.buffer));
});

test('a truncated weights.bin is a FileFormatError naming both sizes; the files are left as they were', async () => {
  await runCheck({ spec: validateSpec({}), seed: 1, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
  const bin = path.join(dir, 'weights.bin');
  const full = fs.readFileSync(bin);
  fs.writeFileSync(bin, full.subarray(0, full.length - 4));
  const attempt = runCheck({ spec: validateSpec({}), seed: 1, backend: 'cpu', precision: 'float64', weightsDir: dir });
  // SimpleRNN(5)+Dense(2) on D=3: (15 + 25 + 5 + 10 + 2) float32 = 57 * 4 = 228 bytes expected, 224 present
  await expect(attempt).rejects.toThrow(FileFormatError);
  await expect(attempt).rejects.toThrow(
    `${dir}/model.json: weight "dense/bias" [2]: expected bytes 220..228 of weightsManifest[0]'s files (228 bytes in all), got 224 bytes`,
  );
});

test('a model.json that is not JSON is a FileFormatError', async () => {
  fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": ');
  await expect(runCheck({ spec: validateSpec({}), seed: 1, backend: 'cpu', precision: 'float64', weightsDir: dir })).rejects.toThrow(
    /expected JSON, got a parse error/,
  );
});

test('saving over an existing model replaces both files whole and leaves no temporary files', async () => {
  await runCheck({ spec: validateSpec({}), seed: 1, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
  await runCheck({ spec: validateSpec({ units: 9 }), seed: 2, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  const loaded = await runCheck({ spec: validateSpec({}), seed: 2, backend: 'cpu', precision: 'float64', weightsDir: dir });
  expect(loaded.spec.units).toBe(9);
});
