// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = ['core', 'shared', 'backend', 'main', 'preload', 'server', 'cli', 'renderer'];
/** Import patterns that reach into another src/ layer, for every layer except the allowed ones. */
const layerPatterns = (allowed) =>
  layers.filter((l) => !allowed.includes(l)).flatMap((l) => [`**/${l}/**`, `**/${l}`, `@/${l}/**`]);
const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'url',
  'worker_threads',
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/artifacts/**',
      'resources/**',
      'bench/results/**',
      'bench/promptfoo/node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The engine is pure: no host, no Node, no DOM, no other layer.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: layerPatterns(['core']), message: 'src/core may only import from src/core.' },
            {
              group: [...nodeBuiltins, 'electron', 'react', 'react-dom', 'zustand', 'monaco-editor'],
              message: 'src/core runs everywhere: pass effects in through ports.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer'],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layerPatterns(['core', 'shared']), ...nodeBuiltins, 'electron', 'react'],
              message: 'src/shared holds types, schemas and pure functions only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the backend only through the contract and its transport.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layerPatterns(['core', 'shared', 'renderer']), ...nodeBuiltins, 'electron'],
              message: 'The renderer talks to the backend through src/renderer/src/transport only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/src/transport/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='promptpress']",
          message: 'Only transport/ may touch the preload bridge.',
        },
      ],
    },
  },
  {
    files: ['src/backend/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layerPatterns(['core', 'shared', 'backend']), 'electron'],
              message: 'The backend builds on core and shared; hosts build on it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...layerPatterns(['core', 'shared', 'backend', 'cli', 'server']), 'electron'],
              message: 'Node hosts build on core, shared and backend; never on Electron or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: layerPatterns(['core', 'shared', 'backend', 'main', 'preload']),
              message: 'The Electron shell builds on the backend, never on the renderer, CLI or server.',
            },
          ],
        },
      ],
    },
  },
);
