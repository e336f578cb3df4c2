/** @type {import('jest').Config} */
module.exports = {
  // Jest's node environment; it also lets a worker exit without the slow V8 heap teardown (see the file).
  testEnvironment: '<rootDir>/test/helpers/quick-exit-environment.ts',
  roots: ['<rootDir>/test'],
  // Worker threads of the hand path run the .ts sources through a transpiling loader (test support, not src/).
  setupFiles: ['<rootDir>/test/helpers/typescript-workers.ts'],
  // Transpile only: tsconfig.json sets isolatedModules, so ts-jest compiles each file on its own with
  // ts.transpileModule instead of type-checking the whole program for every test file (17-20 s per file
  // before). Type errors are `npm run typecheck`'s job (CI runs it before the tests).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // libtensorflow takes about a second to load per worker; parity suites run many specs.
  testTimeout: 120000,
  maxWorkers: 2,
  // A worker that has run many tfjs files holds what they left: dead test contexts not yet collected (each with
  // its own wasm memory), libtensorflow's oneDNN primitive caches, malloc'd memory glibc keeps. None of it is a
  // handle, but freeing it when the worker ends took 0.5-0.9 s on 2 CPUs, past the 500 ms Jest allows ("A worker
  // process has failed to exit gracefully"). Replacing a worker whose heap is over this after a test file keeps
  // that small: on the tfjs-heavy half of the suite, 5 restarts, and the run took no longer.
  workerIdleMemoryLimit: '250MB',
};
