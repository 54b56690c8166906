import tseslint from 'typescript-eslint';

// shared/ runs in main, renderer, workers and the CLI alike, so it may import nothing platform- or view-specific.
const sharedForbidden = [
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'konva', 'konva/*', 'react-konva', 'zustand', 'zustand/*'], message: 'shared/ is pure: no view code.' },
  { group: ['electron', 'electron/*', 'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'url', 'crypto', 'stream', 'util', 'zlib', 'write-file-atomic'], message: 'shared/ is pure: no Node or Electron imports.' },
  { group: ['**/electron/**', '**/renderer/**', '../electron/*', '../renderer/*'], message: 'Imports go one way: shared <- electron, shared <- renderer.' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/e2e/.artifacts/**', '.tmp-*/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: sharedForbidden }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'require', 'Buffer', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*', 'node:*', 'fs', 'path', 'os', 'child_process'], message: 'The renderer reaches the system only through window.api.' },
        { group: ['**/electron/**', '../electron/*'], message: 'The renderer may not import main-process code.' },
      ] }],
    },
  },
);
