/**
 * setupFilesAfterEnv of `npm run test:unit`: fails the test file when any code loaded @tensorflow/* (see
 * no-tfjs.ts), even when that code caught the error the import threw (a backend loader falling back, say).
 */
export {};

afterAll(() => {
  const loads = (globalThis as { __tfjsLoadsInUnitTest?: string[] }).__tfjsLoadsInUnitTest ?? [];
  if (loads.length > 0) {
    throw new Error(`expected no @tensorflow/* import in a unit test, got ${loads.length}:\n  ${loads.join('\n  ')}`);
  }
});
