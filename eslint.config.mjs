// ESLint (type-aware, typescript-eslint). Production code (src, webview) gets the type-checked recommended set;
// tests, benchmarks and scripts the plain recommended set plus the type-aware rules that catch real bugs.
// Formatting is Prettier's job (`npm run format`). src/core ⟂ vscode is also checked by scripts/lint.mjs.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const bugRules = {
  '@typescript-eslint/no-explicit-any': 'error',
  // node:test's test()/describe() return promises the runner itself awaits.
  '@typescript-eslint/no-floating-promises': [
    'error',
    { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
  ],
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  '@typescript-eslint/no-unused-vars': [
    'error',
    { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.e2e/**',
      'test/fixtures/**',
      'bench/.competitors/**',
      'bench/.snapshots/**',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: bugRules,
  },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['src/**/*.ts', 'webview/**/*.ts'] })),
  { files: ['src/**/*.ts', 'webview/**/*.ts'], rules: bugRules },
  { files: ['webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Code that playwright runs inside the page.
  { files: ['test/e2e/**/*.mjs'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core must stay free of the editor API.' }] },
      ],
    },
  },
);
