/**
 * The demo's text section: padded token ids through Embedding(mask_zero) -> Bidirectional(LSTM) -> Dense(sigmoid),
 * a model saved by real Keras (models/keras-models/text-masked-bilstm-classifier). Both paths and Keras's
 * own output side by side, the padded steps shown, and what ignoring the mask would have cost.
 */
import * as path from 'node:path';
import type { BackendChoice } from '../../src/backends';
import { packageRoot } from '../../apps/cli/package-root';
import { compareOutputs } from '../../src/compare/compare';
import { formatError } from '../../src/compare/summary';
import { readModelFile } from '../../src/formats/read-model';
import { checkModel } from '../../src/graph/check';
import { forwardGraph } from '../../src/graph/hand-forward';
import type { GraphModel } from '../../src/graph/model';
import { readNpyFile } from '../../src/io/npy';
import type { ComparisonLog } from './comparison-log';
import { header } from './print';

const CASE = 'text-masked-bilstm-classifier';

/** The same model with Embedding's mask_zero switched off: what a port that drops the mask computes. */
function withoutMask(model: GraphModel): GraphModel {
  return { ...model, layers: model.layers.map((l) => (l.kind === 'embedding' ? { ...l, config: { ...(l.config as object), maskZero: false } } : l)) };
}

export async function textSection(log: ComparisonLog, say: (...lines: string[]) => void, backend: BackendChoice): Promise<void> {
  const section = 'text';
  const dir = path.join(packageRoot(), 'models', 'keras-models', CASE);
  const { model, writer } = readModelFile(path.join(dir, 'model.keras'));
  const ids = readNpyFile(path.join(dir, 'input.npy'));
  const keras = readNpyFile(path.join(dir, 'expected.npy'));
  say(...header('Text: padded ids, Embedding(mask_zero) -> Bidirectional(LSTM(6)) -> Dense(1, sigmoid)'));
  say(`  ${CASE}/model.keras (${writer ?? 'Keras'}); id 0 is padding (shown as .): a recurrent layer keeps its state over it`);
  const result = await checkModel({ model, backend, precision: 'float64', seed: 0, inputs: [ids], expected: [keras] });
  const [batch, timeSteps] = ids.shape;
  const out = result.outputs[0];
  const unmasked = forwardGraph(withoutMask(model), [ids], 'float64')[0];
  say('  sample  ids                              tfjs        hand        Keras       hand, mask ignored');
  for (let b = 0; b < batch; b++) {
    const row = Array.from(ids.data.subarray(b * timeSteps, (b + 1) * timeSteps), (id) => (id === 0 ? ' .' : String(id).padStart(2))).join(' ');
    const cell = (x: number) => x.toFixed(8).padStart(11);
    say(`  ${String(b).padStart(6)}  ${row}  ${cell(out.layer.data[b])} ${cell(out.hand.data[b])} ${cell(keras.data[b])} ${cell(unmasked.data[b])}`);
  }
  for (const c of result.comparisons) log.record(section, c.name, c.report);
  const ignored = compareOutputs(unmasked, keras, result.tolerance.base);
  say(`  ignoring the mask moves the output by up to ${formatError(ignored.maxAbsError)} (sample 0, unpadded, by 0): the mask matters.`);
}
