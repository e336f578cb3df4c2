#!/usr/bin/env node
// Makes @tensorflow/tfjs-node's native binding load, then compiles the TypeScript.
//
// Routes, in order, stopping at the first whose binding loads:
//   0. the binding already loads                          -> nothing to do
//   1. a copy cached by an earlier run in .cache/         -> relink it (after `npm ci` wiped node_modules)
//   2. tfjs-node's own installer (the official download)  -> works on a machine with internet
//   3. the TensorFlow C API inside the `tensorflow-cpu` pip wheel, then build the addon from source
// Whatever a route fetched is kept in .cache/libtensorflow (git-ignored), so a second run is quick.
// Usage: node scripts/setup.mjs [--quiet] [--no-build]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const WHEEL_SPEC = 'tensorflow-cpu==2.21.0';
const OFFICIAL_INSTALL_TIMEOUT_MS = 15 * 60 * 1000;
// RNN_PARITY_CACHE: another folder for the cached binding (an installed package reusing a clone's, in tests).
const cacheDir = process.env.RNN_PARITY_CACHE ? path.resolve(process.env.RNN_PARITY_CACHE) : path.join(repoRoot, '.cache', 'libtensorflow');
const cachedDeps = path.join(cacheDir, 'deps');
const cachedOrigin = path.join(cacheDir, 'origin.json');
const wheelDir = path.join(repoRoot, '.cache', 'wheels');

const log = (line) => {
  if (!quiet) console.log(`setup: ${line}`);
};
const say = (line) => console.log(`setup: ${line}`);

function fail(lines) {
  console.error(['setup: could not make @tensorflow/tfjs-node load.', ...lines].join('\n'));
  process.exit(1);
}

function resolveTfjsNode() {
  let pkgJson;
  try {
    pkgJson = require.resolve('@tensorflow/tfjs-node/package.json');
  } catch {
    fail(['  @tensorflow/tfjs-node is not installed: run `npm install` first.']);
  }
  const dir = path.dirname(pkgJson);
  const version = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
  return { dir, pkgJson, version };
}

const tfjsNode = resolveTfjsNode();
const depsDir = path.join(tfjsNode.dir, 'deps');
/**
 * The node_modules/.bin that holds node-pre-gyp: the clone's own, or, in an installed package whose dependencies
 * npm hoisted, the project's. npm's bundled node-gyp goes on PATH too (node-pre-gyp calls it to build).
 */
function findBinPath() {
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '.bin');
    if (fs.existsSync(path.join(candidate, 'node-pre-gyp'))) return candidate;
    if (path.dirname(dir) === dir) return path.join(repoRoot, 'node_modules', '.bin');
  }
}
const binPath = findBinPath();
const npmNodeGyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'node-gyp-bin');
const envWithBin = { ...process.env, PATH: [binPath, npmNodeGyp, process.env.PATH ?? ''].join(path.delimiter) };

/** Where node-pre-gyp puts the addon for this Node (lib/napi-vN/tfjs_binding.node). */
function bindingPath() {
  const preGyp = require('@mapbox/node-pre-gyp');
  return preGyp.find(tfjsNode.pkgJson);
}

/** Loads the addon in a child process, so that a crash cannot take this script down. */
function bindingLoads() {
  const file = bindingPath();
  if (!fs.existsSync(file)) return { ok: false, why: `${path.relative(repoRoot, file)} does not exist` };
  const probe = spawnSync(process.execPath, ['-e', `process.dlopen({exports:{}}, ${JSON.stringify(file)})`], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (probe.status === 0) return { ok: true };
  const why = (probe.stderr || '').split('\n').find((l) => l.includes('Error')) ?? `exit ${probe.status}`;
  return { ok: false, why: why.trim() };
}

function originMatches() {
  try {
    const origin = JSON.parse(fs.readFileSync(cachedOrigin, 'utf8'));
    return origin.tfjsNodeVersion === tfjsNode.version && origin.nodeAbi === process.versions.modules;
  } catch {
    return false;
  }
}

/** Points tfjs-node's deps/ at the cached copy and puts the cached addon in place. */
function linkCachedDeps() {
  fs.rmSync(depsDir, { recursive: true, force: true });
  fs.symlinkSync(cachedDeps, depsDir, 'dir');
  const cachedAddon = path.join(cacheDir, 'tfjs_binding.node');
  if (fs.existsSync(cachedAddon)) {
    const target = bindingPath();
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(cachedAddon, target);
  }
}

/** Keeps what a successful route produced, so that a wiped node_modules is restored in a second. */
function saveToCache(route) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const depsIsLink = fs.lstatSync(depsDir).isSymbolicLink();
  if (!depsIsLink) {
    // The official route downloaded into node_modules: move it into the cache and link it back.
    fs.rmSync(cachedDeps, { recursive: true, force: true });
    fs.renameSync(depsDir, cachedDeps);
    fs.symlinkSync(cachedDeps, depsDir, 'dir');
  }
  fs.copyFileSync(bindingPath(), path.join(cacheDir, 'tfjs_binding.node'));
  const origin = { route, tfjsNodeVersion: tfjsNode.version, nodeAbi: process.versions.modules, savedAt: new Date().toISOString() };
  fs.writeFileSync(cachedOrigin, `${JSON.stringify(origin, null, 2)}\n`);
}

function runOfficialInstaller() {
  log("trying tfjs-node's own installer (downloads libtensorflow 2.9.1)...");
  const run = spawnSync(process.execPath, ['scripts/install.js'], {
    cwd: tfjsNode.dir,
    env: envWithBin,
    encoding: 'utf8',
    timeout: OFFICIAL_INSTALL_TIMEOUT_MS,
  });
  if (run.error) return `${run.error.message}`;
  const output = `${run.stdout}\n${run.stderr}`;
  const firstError = output.split('\n').find((l) => /Error|failed/.test(l));
  const loads = bindingLoads();
  if (loads.ok) return undefined;
  return (firstError ?? loads.why).trim();
}

function python() {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function findWheel() {
  if (!fs.existsSync(wheelDir)) return undefined;
  const name = fs.readdirSync(wheelDir).find((f) => /^tensorflow_cpu-2\.21\.0-.*\.whl$/.test(f));
  return name && path.join(wheelDir, name);
}

/** Node's own headers, so node-gyp builds against them instead of downloading them. */
function nodeHeadersDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

function installFromWheel() {
  const py = python();
  if (!py) return 'python3 with pip was not found';
  let wheel = findWheel();
  if (!wheel) {
    log(`downloading the ${WHEEL_SPEC} wheel with pip (about 270 MB)...`);
    fs.mkdirSync(wheelDir, { recursive: true });
    const dl = spawnSync(py, ['-m', 'pip', 'download', '--no-deps', '--retries', '0', '--timeout', '5', '-d', wheelDir, WHEEL_SPEC], {
      encoding: 'utf8',
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'pipe'],
    });
    wheel = findWheel();
    if (!wheel) return `pip download ${WHEEL_SPEC} failed: ${(dl.stderr || '').trim().split('\n').pop()}`;
  }
  log(`extracting the TensorFlow C API from ${path.basename(wheel)}...`);
  const extractTo = path.join(cacheDir, 'wheel');
  fs.rmSync(extractTo, { recursive: true, force: true });
  const extract = spawnSync(
    py,
    [
      '-c',
      [
        'import sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'keep = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")',
        '[z.extract(m, sys.argv[2]) for m in z.namelist() if m in keep or m.startswith("tensorflow/include/")]',
      ].join('\n'),
      wheel,
      extractTo,
    ],
    { encoding: 'utf8' },
  );
  if (extract.status !== 0) return `could not unzip ${wheel}: ${extract.stderr.trim().split('\n').pop()}`;

  // deps/ laid out as tfjs-node's binding.gyp expects: include/ and lib/libtensorflow*.so*.
  const tfDir = path.join(extractTo, 'tensorflow');
  fs.rmSync(cachedDeps, { recursive: true, force: true });
  fs.mkdirSync(path.join(cachedDeps, 'lib'), { recursive: true });
  fs.symlinkSync(path.join(tfDir, 'include'), path.join(cachedDeps, 'include'), 'dir');
  const links = {
    'libtensorflow_cc.so.2': ['libtensorflow.so', 'libtensorflow.so.2', 'libtensorflow.so.2.9.1', 'libtensorflow_cc.so.2'],
    'libtensorflow_framework.so.2': ['libtensorflow_framework.so', 'libtensorflow_framework.so.2', 'libtensorflow_framework.so.2.9.1'],
  };
  for (const [real, names] of Object.entries(links)) {
    for (const name of names) fs.symlinkSync(path.join(tfDir, real), path.join(cachedDeps, 'lib', name));
  }
  fs.rmSync(path.join(cacheDir, 'tfjs_binding.node'), { force: true });
  linkCachedDeps();

  log('building the tfjs-node addon from source (about 20 s on 2 cores)...');
  const gypArgs = ['install', '--build-from-source'];
  const nodedir = nodeHeadersDir();
  if (nodedir) gypArgs.push(`--nodedir=${nodedir}`);
  const build = spawnSync(path.join(binPath, 'node-pre-gyp'), gypArgs, {
    cwd: tfjsNode.dir,
    env: envWithBin,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (build.status !== 0) {
    const lastLine = `${build.stderr}`
      .trim()
      .split('\n')
      .filter((l) => l.includes('rror'))
      .pop();
    return `building the addon failed (needs make, g++ and Node headers): ${lastLine ?? `exit ${build.status}`}`;
  }
  // The extracted libraries stay in the cache; the wheel itself is no longer needed.
  fs.rmSync(wheel, { force: true });
  return undefined;
}

function ensureBinding() {
  const started = Date.now();
  const initial = bindingLoads();
  if (initial.ok) {
    log(`@tensorflow/tfjs-node ${tfjsNode.version} binding loads (${Date.now() - started} ms)`);
    return;
  }
  if (fs.existsSync(cachedDeps) && originMatches()) {
    linkCachedDeps();
    if (bindingLoads().ok) {
      log(`restored the tfjs-node binding from .cache/libtensorflow (${Date.now() - started} ms)`);
      return;
    }
  }
  say(`tfjs-node's binding does not load (${initial.why}); installing it`);
  const officialWhy = runOfficialInstaller();
  if (!officialWhy) {
    saveToCache('official');
    say(`installed libtensorflow with tfjs-node's own installer (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  say(`the official installer did not work: ${officialWhy}`);
  const wheelWhy = installFromWheel();
  const loads = wheelWhy ? { ok: false } : bindingLoads();
  if (!wheelWhy && loads.ok) {
    saveToCache('tensorflow-cpu wheel');
    say(`built tfjs-node on the ${WHEEL_SPEC} C API (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  fail([
    `  1. tfjs-node's installer (downloads libtensorflow from storage.googleapis.com): ${officialWhy}`,
    `  2. the C API from the ${WHEEL_SPEC} pip wheel: ${wheelWhy ?? loads.why}`,
    '  What you can do: connect to the internet and run `npm run setup` again; or make `python3 -m pip download',
    `  ${WHEEL_SPEC}` + '` work (a pip index or a wheel in .cache/wheels/); or run with `--backend cpu` or',
    '  `--backend wasm`, which need no native code.',
  ]);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles src/ and scripts/*.ts to dist/ unless dist/ is newer than every source file. */
function buildTypeScript() {
  const stamp = path.join(repoRoot, 'dist', '.built');
  const sources = ['src', 'apps', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => path.join(repoRoot, p));
  const newestSource = Math.max(
    ...sources.filter((p) => fs.existsSync(p)).map((p) => (fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs)),
  );
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSource) {
    log('dist/ is up to date');
    return;
  }
  const started = Date.now();
  const tsc = spawnSync(path.join(binPath, 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('setup: TypeScript compilation failed (see above).');
    process.exit(1);
  }
  pruneOrphans();
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  log(`compiled TypeScript to dist/ (${Date.now() - started} ms)`);
}

/** Removes what dist/ holds for sources that are gone (a moved or deleted .ts), so npm pack ships no stale file. */
function pruneOrphans() {
  const dist = path.join(repoRoot, 'dist');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
        continue;
      }
      const match = /^(.*)\.(js|d\.ts|js\.map)$/.exec(entry.name);
      if (!match) continue;
      const source = path.join(repoRoot, path.relative(dist, dir), `${match[1]}.ts`);
      if (!fs.existsSync(source)) fs.rmSync(full);
    }
  };
  for (const top of ['src', 'apps', 'scripts']) if (fs.existsSync(path.join(dist, top))) walk(path.join(dist, top));
}

ensureBinding();
if (!args.has('--no-build')) buildTypeScript();
