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
};
