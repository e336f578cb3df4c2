// ESLint 9 flat config: `npm run lint` (CI runs it). typescript-eslint's recommended rules plus the type-aware
// promise rules, and import cycles as errors. Formatting is Prettier's job (`npm run format:check`), not ESLint's.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', '.cache/', 'coverage/', 'out/', 'models/', 'docs/', 'bench-results/', 'test/fixtures/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads every module it follows with the TypeScript parser (without this it skips .ts files, and
      // no-cycle sees no cycle at all).
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection, or a check that never fails).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // An import cycle makes module order matter (undefined at load time); `import type` is erased, so it may cycle.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The layout (README "Layout"): the parity library (src/) imports no application (apps/), script or test
      // support; the applications import no script or test support.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src',
              from: ['./apps', './scripts', './test'],
              message: 'the library (src/) must not import an application, a script or test support',
            },
            { target: './apps', from: ['./scripts', './test'], message: 'an application (apps/) must not import a script or test support' },
          ],
        },
      ],
    },
  },
  {
    // Each kind's index.ts loads its tfjs.ts with require() only when the layer path asks for it, so that the
    // hand path and the readers never load tfjs (README "Contributing"); no other require() is needed.
    files: ['src/layers/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allow: ['^\\./tfjs$'] }] },
  },
  {
    // Tests build hostile JSON and stub fs/crypto overloads; `any` is the honest type there.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
