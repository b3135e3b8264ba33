// Lint rules that catch what the compiler does not: promises left floating
// (an unhandled rejection in the agent would reach the host), type-only
// imports written as value imports (they would pull modules into bundles and
// the production process), and `any` (it switches type checking off).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'out/**',
      'protocol/gen/**',
      'test/layering/fixtures/**',
      'test/agent/fixtures/**',
      'test/vscode-host/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test registers tests synchronously; the promise it returns is the runner's to await.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-namespace': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension may import vscode.' }] }],
    },
  },
  {
    // The one composition root allowed to use the VS Code API.
    files: ['src/extension/**/*.ts', 'test/extension/**/*.ts', 'test/vscode-suite/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
