/**
 * What `npm run test:unit` (jest.unit.config.js) gives a test in place of any @tensorflow/* module: the unit
 * tier runs only tests that load no tfjs backend, so loading one is a mistake in the list, and it fails the
 * test file loudly (here, at the import; and in no-tfjs-setup.ts, even when the code caught this error).
 * Move the file from UNIT_TESTS to the full suite (`npm test`), or make it stop loading tfjs.
 */
export {};

const limit = Error.stackTraceLimit;
Error.stackTraceLimit = 50;
const stack = new Error().stack ?? '';
Error.stackTraceLimit = limit;
const importer =
  stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find((line) => !line.includes('node_modules') && !line.includes('no-tfjs') && /\/(src|test|scripts)\//.test(line)) ?? '(importer not found)';
const loads: string[] = ((globalThis as { __tfjsLoadsInUnitTest?: string[] }).__tfjsLoadsInUnitTest ??= []);
loads.push(importer);
throw new Error(
  `a unit test loaded @tensorflow/* (${importer}): expected no tfjs under npm run test:unit; ` +
    'remove the test from UNIT_TESTS in jest.unit.config.js, or make it stop loading tfjs',
);
