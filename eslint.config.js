import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

/** Only main/connectors/ talks to directories. */
const DIRECTORY_CLIENTS = ['ldapts', '@azure/msal-node', '@googleapis/admin'].map((name) => ({ name, message: 'Only main/connectors/ may talk to directories.' }))

export default tseslint.config(
  { ignores: ['out/', 'dist/', '.tools/', '.tmp/', 'node_modules/', 'test-results/', 'playwright-report/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Named exports only (STYLE.md §4); tool configs are the usual exception below.
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['*.config.ts', '*.config.js', 'test/integration/global-setup.ts', 'test/e2e/global-setup.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Only connector folders talk to directories.
    files: ['main/**/*.ts'],
    ignores: ['main/connectors/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: DIRECTORY_CLIENTS }],
    },
  },
  {
    // The store knows the domain (shared/domain) and the model (main/model), never the engine,
    // the core or the doors (STYLE.md §5, as VS Code's layering rule). A flat-config block replaces
    // the rule above for these files, so it repeats the directory clients.
    files: ['main/store/**/*.ts', 'main/model/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: DIRECTORY_CLIENTS, patterns: [{ group: ['**/sync/**', '**/core/**', '**/cli/**', '**/ipc/**', '**/headless/**', '**/electron/**', '**/migration/**', '**/connectors/**'], message: 'main/store and main/model may import only shared/domain, main/model and main/store: move the type to shared/domain or main/model.' }] }],
    },
  },
  {
    // The renderer reaches the core only through renderer/api/ (preload bridge or browser transport).
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer has no Node and no main-process imports.' }] }],
    },
  },
  {
    files: ['**/*.js', 'bin/**'],
    ...tseslint.configs.disableTypeChecked,
  },
)
