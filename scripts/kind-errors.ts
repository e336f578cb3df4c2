/**
 * Each layer kind's largest error against Keras, per backend: every golden model of models/keras-models/
 * (every file format it was saved in) through checkModel, and for each kind the max over the cases that
 * hold it of |layer - Keras| and |hand - Keras| (Keras float32 model.predict as the reference).
 *
 *   npm run kind-errors [-- --backends tensorflow,cpu,wasm]
 *
 * Prints a table (and --json prints the numbers). A kind's number is the worst case that contains it, so it
 * bounds that kind's error together with whatever else that model holds.
 */
import { selectBackend, type BackendName } from '../src/backends';
import { readModelFile } from '../src/formats/read-model';
import { checkModel } from '../src/graph/check';
import { layerKind } from '../src/layers/registry';
import { goldenCaseNames, loadGoldenCase } from './golden-models';

interface Cell {
  layer: number;
  hand: number;
  cases: Set<string>;
  failed: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const backendsArg = args.includes('--backends') ? args[args.indexOf('--backends') + 1] : 'tensorflow,cpu,wasm';
  const backends = backendsArg.split(',') as BackendName[];
  const json = args.includes('--json');
  const table = new Map<string, Map<BackendName, Cell>>();
  const cases = goldenCaseNames();
  for (const backend of backends) {
    await selectBackend(backend);
    for (const [n, name] of cases.entries()) {
      const golden = loadGoldenCase(name);
      for (const modelPath of golden.modelPaths) {
        const { model } = readModelFile(modelPath);
        const result = await checkModel({ model, backend, precision: 'float64', seed: 0, inputs: golden.inputs, expected: golden.expected });
        const worst = (which: string) => Math.max(...result.comparisons.filter((c) => c.name === which).map((c) => c.report.maxAbsError));
        const failed = result.comparisons.filter((c) => !c.report.pass).length;
        for (const kind of new Set(model.layers.map((l) => l.kind))) {
          const row = table.get(kind) ?? new Map<BackendName, Cell>();
          table.set(kind, row);
          const cell = row.get(backend) ?? { layer: 0, hand: 0, cases: new Set<string>(), failed: 0 };
          row.set(backend, cell);
          cell.layer = Math.max(cell.layer, worst('layer vs Keras'));
          cell.hand = Math.max(cell.hand, worst('hand vs Keras'));
          cell.cases.add(name);
          cell.failed += failed;
        }
      }
      process.stderr.write(`\rkind-errors: ${backend} ${n + 1}/${cases.length}   `);
    }
  }
  process.stderr.write('\n');
  const kinds = [...table.keys()].sort();
  if (json) {
    const out = Object.fromEntries(
      kinds.map((k) => [
        k,
        Object.fromEntries(
          [...(table.get(k) as Map<BackendName, Cell>)].map(([b, c]) => [
            b,
            { layerVsKeras: c.layer, handVsKeras: c.hand, cases: c.cases.size, failedComparisons: c.failed },
          ]),
        ),
      ]),
    );
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const e = (x: number) => (x === 0 ? '0' : x.toExponential(1));
  const header = ['kind (Keras class)', 'cases', ...backends.map((b) => `${b}: layer / hand vs Keras`)];
  const rows = kinds.map((k) => {
    const row = table.get(k) as Map<BackendName, Cell>;
    const first = row.get(backends[0]) as Cell;
    return [
      `${k} (${layerKind(k).kerasClass})`,
      String(first.cases.size),
      ...backends.map((b) => {
        const c = row.get(b) as Cell;
        return `${e(c.layer)} / ${e(c.hand)}${c.failed ? ` (${c.failed} FAIL)` : ''}`;
      }),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`kind-errors: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
