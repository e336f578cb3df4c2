/**
 * The installable package: `npm pack` ships the built library, the command line and the binding setup, and
 * nothing else (no tests, fixtures, studies or sources); installed into an empty project, `npx rnn-parity
 * --seed 42` works on first use (the binding set up by the clone's routes: here the cached one, through
 * RNN_PARITY_CACHE; the download and pip-wheel routes are the clone's own `npm run setup`), and both typed entry
 * points load. Offline, as on this project's machines, the install takes --ignore-scripts, as the clone's .npmrc
 * does: tfjs-node's own install script downloads libtensorflow, and the first run sets it up instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cache', 'libtensorflow');
let dir: string;
let files: string[];
let tarball: string;

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'apps', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build`');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-pack-'));
  const pack = spawnSync('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: ROOT, encoding: 'utf8' });
  expect(pack.status).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((f) => f.path);
  tarball = path.join(dir, packed.filename);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the tarball holds the library, the command line and the setup, and no tests, fixtures, studies or sources', () => {
  for (const needed of [
    'bin/rnn-parity',
    'dist/src/index.js',
    'dist/src/index.d.ts',
    'dist/src/jest/index.js',
    'dist/src/jest/index.d.ts',
    'dist/apps/cli/main.js',
    'scripts/setup.mjs',
    'package.json',
    'README.md',
  ]) {
    expect(files).toContain(needed);
  }
  const unwanted = files.filter(
    (f) =>
      /^(test|models|docs|weights|src|apps)\//.test(f) ||
      /^dist\/(test|scripts)\//.test(f) ||
      (f.startsWith('scripts/') && f !== 'scripts/setup.mjs') ||
      f.endsWith('.map'),
  );
  expect(unwanted).toEqual([]);
});

test('installed into an empty project: npx rnn-parity --seed 42 passes on first use, and the entry points load', () => {
  if (!fs.existsSync(path.join(CACHE, 'tfjs_binding.node'))) throw new Error(`${CACHE} has no cached binding: run \`npm run setup\` first`);
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "empty-project", "version": "1.0.0", "private": true }\n');
  const install = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, encoding: 'utf8' });
  expect(install.status).toBe(0);
  const env = { ...process.env, RNN_PARITY_CACHE: CACHE };
  const run = spawnSync('npx', ['--no-install', 'rnn-parity', '--seed', '42'], { cwd: project, encoding: 'utf8', env });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^rnn-parity: SimpleRNN\(5\) \+ Dense\(2\) on input \[N=1, T=10, D=3\], seed 42\n/);
  expect(run.stdout).toMatch(/\nbackend: tensorflow \(/);
  expect(run.stdout).toMatch(/\nlayer vs hand {2}PASS {2}max\|diff\| 6\.46e-8/);
  const entry = spawnSync(
    process.execPath,
    [
      '-e',
      "const r = require('rnn-parity'); const j = require('rnn-parity/jest'); console.log(typeof r.checkModel, typeof r.forwardGraph, typeof j.parityMatchers.toMatchKeras)",
    ],
    { cwd: project, encoding: 'utf8' },
  );
  expect(entry.stdout.trim()).toBe('function function function');
}, 300000);
