/**
 * The hand path must not load TensorFlow.js: if it did, comparing it with the layer path would prove nothing.
 * Extends test/hand/no-tfjs-import.test.ts to the layer kinds: starting from every src/layers/** /hand.ts and
 * index.ts, the registry, the activation names and src/hand/*, follows every import that exists at run time
 * (not `import type`, not `export type`) through the project's own modules, and requires that none of the
 * files reached imports or requires a module whose name mentions @tensorflow or tfjs. The one exception is
 * what the contract allows an index.ts: `require('./tfjs')` inside a function (the lazy tfjsLayer), which is
 * not followed.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');
const TFJS = /@tensorflow|tfjs/;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

interface Imports {
  /** Specifiers loaded when the module loads. */
  readonly eager: string[];
  /** Specifiers of require() calls inside a function body (indented), loaded only when called. */
  readonly lazy: string[];
}

function importsOf(file: string): Imports {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const eager: string[] = [];
  const lazy: string[] = [];
  // import x from '...'; import {a, type B} from '...'; import '...'; export {a} from '...'; export * from '...'
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'"`;]*?\bfrom\s+)?['"`]([^'"`]+)['"`]/gm)) {
    if (m[2] === undefined) eager.push(m[4]);
  }
  for (const m of text.matchAll(/^([ \t]*)(?:.*?[^\w.])?(?:require|import)\(\s*['"`]([^'"`]+)['"`]\s*\)/gm)) {
    (m[1].length > 0 ? lazy : eager).push(m[2]);
  }
  return { eager, lazy };
}

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** Every project file `entry` loads eagerly, itself included. */
function reachable(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    for (const specifier of importsOf(file).eager) {
      const target = resolve(file, specifier);
      if (target !== undefined && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen];
}

const layerFiles = filesUnder(path.join(SRC, 'layers'));
const entries = [
  ...layerFiles.filter((f) => ['hand.ts', 'index.ts'].includes(path.basename(f))),
  path.join(SRC, 'layers', 'registry.ts'),
  path.join(SRC, 'layers', 'activations', 'names.ts'),
  path.join(SRC, 'layers', 'inference-identity.ts'),
  ...filesUnder(path.join(SRC, 'hand')),
];

describe('the hand path of every layer kind loads no tfjs', () => {
  test('the entries include every kind folder (the check is not vacuous)', () => {
    const names = entries.map((f) => path.relative(SRC, f));
    for (const kind of ['dense', 'lstm', 'activation', 'dropout', 'flatten', 'reshape', 'alpha-dropout', 'spatial-dropout-1d']) {
      expect(names).toContain(path.join('layers', kind, 'index.ts'));
    }
    expect(names).toContain(path.join('layers', 'dense', 'hand.ts'));
    // and the parser sees real imports: dense/index.ts loads ./hand eagerly and ./tfjs lazily
    const dense = importsOf(path.join(SRC, 'layers', 'dense', 'index.ts'));
    expect(dense.eager).toContain('./hand');
    expect(dense.eager).not.toContain('@tensorflow/tfjs');
    expect(dense.lazy).toEqual(['./tfjs']);
    // a tfjs.ts does import tfjs, so a leak through one would be caught
    expect(importsOf(path.join(SRC, 'layers', 'dense', 'tfjs.ts')).eager).toContain('@tensorflow/tfjs');
  });

  test.each(entries.map((f) => [path.relative(SRC, f), f]))('%s', (_name, entry) => {
    const offenders = reachable(entry).flatMap((file) =>
      importsOf(file)
        .eager.filter((s) => TFJS.test(s))
        .map((s) => `${path.relative(SRC, file)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  test.each(layerFiles.filter((f) => path.basename(f) === 'index.ts').map((f) => [path.relative(SRC, f), f]))(
    '%s requires only its own ./tfjs, lazily',
    (_name, file) => {
      expect(
        importsOf(file)
          .lazy.filter((s) => TFJS.test(s))
          .every((s) => s === './tfjs'),
      ).toBe(true);
    },
  );
});
