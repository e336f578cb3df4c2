/**
 * The training parity's plain-TypeScript half loads no TensorFlow.js: following every static value import (type-only
 * imports are erased, `await import()` is lazy) from each src/training file but layer-trainer.ts, through src/,
 * reaches no module that imports a @tensorflow package. The tfjs half (layer-trainer.ts) is loaded lazily by
 * trainStepParity after the backend is chosen, as src/graph/check.ts loads ./tfjs-model.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');
const TRAINING = path.join(SRC, 'training');
const TFJS_HALF = 'layer-trainer.ts';

/** The static value imports of a file: module specifiers, `import type` and `export type` left out. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[1] === undefined) found.push(m[2]);
  }
  return found;
}

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** Every src file reached from `entry` by static value imports, and the packages they name. */
function reach(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of staticImports(file)) {
      const next = resolve(file, specifier);
      if (next) queue.push(next);
      else if (!specifier.startsWith('.')) packages.set(specifier, path.relative(SRC, file));
    }
  }
  return { files, packages };
}

const PLAIN = fs.readdirSync(TRAINING).filter((f) => f.endsWith('.ts') && f !== TFJS_HALF);

test('the check is not vacuous: the tfjs half imports tfjs, the plain half is there', () => {
  expect(PLAIN).toEqual(expect.arrayContaining(['train-step-parity.ts', 'hand-trainer.ts', 'index.ts', 'drift-svg.ts']));
  expect([...reach(path.join(TRAINING, TFJS_HALF)).packages.keys()]).toContain('@tensorflow/tfjs');
});

test.each(PLAIN)('%s reaches no @tensorflow package', (file) => {
  const { files, packages } = reach(path.join(TRAINING, file));
  const tfjs = [...packages].filter(([name]) => name.startsWith('@tensorflow/')).map(([name, by]) => `${name} (imported by ${by})`);
  expect(tfjs).toEqual([]);
  expect([...files].map((f) => path.basename(f))).not.toContain(TFJS_HALF);
});
