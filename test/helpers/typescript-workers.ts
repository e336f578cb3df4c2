/**
 * A jest setup file (jest.config.js setupFiles): worker threads of the hand path (src/hand/parallel.ts) start
 * through a loader that transpiles .ts with the project's own TypeScript (type-stripping only, as ts-jest does),
 * since under jest there is no built .js beside the sources. Test support only: the library starts the .js.
 */
import { Worker } from 'node:worker_threads';
import { setWorkerStarter } from '../../src/hand/parallel';

const TYPESCRIPT_LOADER = `
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const ts = require(workerData.typescript);
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
require.extensions['.ts'] = (module, fileName) => {
  const source = fs.readFileSync(fileName, 'utf8');
  module._compile(ts.transpileModule(source, { fileName, compilerOptions }).outputText, fileName);
};
require(workerData.entry);
`;

setWorkerStarter((entry) =>
  entry.endsWith('.ts') ? new Worker(TYPESCRIPT_LOADER, { eval: true, workerData: { entry, typescript: require.resolve('typescript') } }) : new Worker(entry),
);
