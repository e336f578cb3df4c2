/**
 * The gradient check's measured errors, per layer kind and backend: every golden model of models/keras-models/
 * through checkGradients with every loss (its own inputs, seeded targets; a model whose hand forward takes over
 * 0.5 s with its Keras golden's loss only), and for each kind the max over the
 * cases that hold it of the scaled errors (max |a - b| / max |b| per tensor):
 *   layer vs hand        tfjs autodiff (float32) against the hand backward pass (float64)
 *   hand vs FD           the hand backward against central finite differences (float64), as a fraction of
 *                        what each probe allows (tolerance + its rounding floor): below 1 passes
 *   hand / layer vs Keras  against Keras's GradientTape gradients, where the case has them (its gradients/ folder)
 *
 *   npm run gradient-errors [-- --backends tensorflow,cpu,wasm] [--json]
 *
 * The default tolerances in src/graph/gradient-check.ts come from this table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { selectBackend, type BackendName } from '../src/backends';
import { readModelFile } from '../src/formats/read-model';
import { checkGradients, type GradientPair } from '../src/graph/gradient-check';
import { forwardGraph } from '../src/graph/hand-forward';
import { graphReductionSize } from '../src/graph/tolerance';
import { LOSSES } from '../src/gradients/losses';
import { readKerasGradients } from '../src/io/keras-gradients';
import { layerKind } from '../src/layers/registry';
import { goldenCaseNames, KERAS_MODELS_DIR, loadGoldenCase } from './golden-models';

type Worst = Record<GradientPair, number>;

function emptyWorst(): Worst {
  return { 'layer vs hand': 0, 'hand vs finite differences': 0, 'hand vs Keras': 0, 'layer vs Keras': 0 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const backendsArg = args.includes('--backends') ? args[args.indexOf('--backends') + 1] : 'tensorflow,cpu,wasm';
  const backends = backendsArg.split(',') as BackendName[];
  const json = args.includes('--json');
  const byKind = new Map<string, Map<BackendName, Worst>>();
  const byCase: { name: string; backend: BackendName; k: number; worst: Worst; failed: number; error?: string }[] = [];
  const cases = goldenCaseNames();
  for (const backend of backends) {
    await selectBackend(backend);
    for (const [n, name] of cases.entries()) {
      const golden = loadGoldenCase(name);
      const { model } = readModelFile(golden.modelPaths[0]);
      const gradientsDir = path.join(KERAS_MODELS_DIR, name, 'gradients');
      const keras = fs.existsSync(gradientsDir) ? readKerasGradients(gradientsDir, model) : undefined;
      const caseWorst = emptyWorst();
      let failed = 0;
      let error: string | undefined;
      // A model whose hand forward takes over half a second (the 784-step IRNN: ~2 s) gets its golden loss
      // only: the finite differences run the forward 2 + 2 * 4 times per tensor, per loss.
      const started = performance.now();
      forwardGraph(model, golden.inputs);
      const slow = performance.now() - started > 500;
      // softmax-crossentropy needs 2+ classes per output (the check refuses a one-class output: its loss is 0).
      const multiClass = golden.expected.every((y) => y.shape[y.shape.length - 1] > 1);
      const losses = slow && keras ? [keras.loss] : LOSSES.filter((l) => l !== 'softmax-crossentropy' || multiClass);
      if (slow && backend !== 'tensorflow') {
        // tfjs's cpu and wasm autodiff through 784 steps of 512 samples take many minutes.
        byCase.push({ name, backend, k: graphReductionSize(model), worst: emptyWorst(), failed: 0, error: 'skipped: too slow on this backend' });
        continue;
      }
      for (const loss of losses) {
        let result;
        try {
          result = await checkGradients({
            model,
            backend,
            loss,
            seed: keras?.seed ?? 42,
            inputs: golden.inputs,
            ...(keras && keras.loss === loss ? { keras: keras.gradients } : {}),
          });
        } catch (caught) {
          // A model the layer path cannot differentiate is a finding, not the end of the table.
          error = `${loss}: ${(caught as Error).message.split('\n')[0]}`;
          continue;
        }
        failed += result.rows.reduce((sum, r) => sum + r.comparisons.filter((c) => !c.difference.pass).length, 0);
        for (const row of result.rows) {
          const layerName = row.name.startsWith('input ') ? undefined : row.name.split('/')[0];
          const kind = layerName === undefined ? 'input' : (model.layers.find((l) => l.name === layerName)?.kind ?? '?');
          const kindRow = byKind.get(kind) ?? new Map<BackendName, Worst>();
          byKind.set(kind, kindRow);
          const cell = kindRow.get(backend) ?? emptyWorst();
          kindRow.set(backend, cell);
          for (const c of row.comparisons) {
            // Finite differences: the error over what the probe may carry (tolerance + its rounding floor), so
            // a large loss with a small gradient does not read as a large error; probes across a kink are not judged.
            const value =
              c.pair === 'hand vs finite differences'
                ? Math.max(0, ...row.probes.filter((p) => p.smooth).map((p) => p.scaledError / (result.tolerances.finiteDifferences + p.scaledFloor)))
                : c.difference.scaledMaxError;
            cell[c.pair] = Math.max(cell[c.pair], value);
            caseWorst[c.pair] = Math.max(caseWorst[c.pair], value);
          }
        }
      }
      byCase.push({ name, backend, k: graphReductionSize(model), worst: caseWorst, failed, ...(error ? { error } : {}) });
      process.stderr.write(`\rgradient-errors: ${backend} ${n + 1}/${cases.length}   `);
    }
  }
  process.stderr.write('\n');
  if (json) {
    const kinds = Object.fromEntries([...byKind].map(([k, row]) => [k, Object.fromEntries(row)]));
    process.stdout.write(`${JSON.stringify({ kinds, cases: byCase }, null, 2)}\n`);
    return;
  }
  const e = (x: number) => (x === 0 ? '0' : x.toExponential(1));
  const pairs: GradientPair[] = ['layer vs hand', 'hand vs finite differences', 'hand vs Keras', 'layer vs Keras'];
  const print = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
  };
  process.stdout.write('Worst scaled gradient error (max |a - b| / max |b| per tensor) per kind, over the golden models and the four losses\n');
  print(
    ['kind', ...backends.flatMap((b) => pairs.map((p) => `${b}: ${p}`))],
    [...byKind.keys()]
      .sort()
      .map((k) => [
        k === 'input' ? 'model inputs' : `${k} (${layerKind(k).kerasClass})`,
        ...backends.flatMap((b) => pairs.map((p) => e((byKind.get(k)?.get(b) ?? emptyWorst())[p]))),
      ]),
  );
  process.stdout.write('\nPer case (K = the longest dot product)\n');
  print(
    ['case', 'backend', 'K', ...pairs, 'failed'],
    byCase.map((c) => [c.name, c.backend, String(c.k), ...pairs.map((p) => e(c.worst[p])), c.error ? `error (${c.error})` : String(c.failed)]),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`gradient-errors: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
