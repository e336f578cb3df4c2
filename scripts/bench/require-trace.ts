/**
 * Preloaded with `node -r dist/scripts/bench/require-trace.js`: times every first load of a module,
 * inclusive of what it loads in turn, and at exit writes to $BENCH_REQUIRE_TRACE (JSON) each require that
 * crosses into another package or comes from the project's own files: who asked, for what, how long.
 * That is how the bench finds what a command loads that it does not need.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** One first load: `from` required `to` (package name or project path), `ms` including its own requires. */
export interface RequireRecord {
  readonly from: string;
  readonly to: string;
  readonly request: string;
  readonly ms: number;
  /** Nesting depth of recorded loads: 0 for the outermost. */
  readonly depth: number;
}

interface ModuleInternals {
  _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
}

const internals = Module as unknown as ModuleInternals;
const out = process.env.BENCH_REQUIRE_TRACE;
const root = process.cwd();

/** '@tensorflow/tfjs-core' for a file in node_modules, else the path relative to the working directory. */
function owner(file: string): string {
  const parts = file.split(`${path.sep}node_modules${path.sep}`);
  if (parts.length > 1) {
    const [scope, name] = parts[parts.length - 1].split(path.sep);
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  return path.relative(root, file);
}

if (out) {
  const records: RequireRecord[] = [];
  let depth = 0;
  const load = internals._load;
  internals._load = function traced(request, parent, isMain) {
    let file: string | undefined;
    try {
      file = internals._resolveFilename(request, parent, isMain);
    } catch {
      file = undefined; // let the real load throw its own error
    }
    const parentFile = parent?.filename;
    if (file === undefined || require.cache[file] || !path.isAbsolute(file) || parentFile === undefined) {
      return load.call(this, request, parent, isMain);
    }
    const from = owner(parentFile);
    const to = owner(file);
    const crossing = from !== to || !parentFile.includes(`${path.sep}node_modules${path.sep}`);
    const start = performance.now();
    if (crossing) depth++;
    try {
      return load.call(this, request, parent, isMain);
    } finally {
      if (crossing) {
        depth--;
        records.push({ from, to, request, ms: performance.now() - start, depth });
      }
    }
  };
  process.on('exit', () => fs.writeFileSync(out, JSON.stringify(records)));
}
