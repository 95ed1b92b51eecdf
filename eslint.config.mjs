// Guard rails that review alone does not keep: promises nobody awaits, and workflow code that
// reaches for I/O or non-determinism (the samples-typescript rule). Type-aware, so it reads
// tsconfig.json; `npm run lint` runs it with the dependency rules (.dependency-cruiser.cjs).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'console/dist/**',
      '.cache/**',
      'data/**',
      'coverage/**',
      'db/migrations/**',
      'bin/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['console/*.mts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Input checks match control characters on purpose; spaced regexes read better in tests.
      'no-control-regex': 'off',
      'no-regex-spaces': 'off',
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
    },
  },
  {
    files: ['console/src/**/*.tsx', 'console/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Workflows replay deterministically: no Node built-ins, no I/O modules, no clocks or randomness of their own.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((name) => [
              { name, message: 'Workflow code is deterministic: do I/O in an activity.' },
              { name: `node:${name}`, message: 'Workflow code is deterministic: do I/O in an activity.' },
            ]),
            { name: '@temporalio/activity', message: 'Workflows call activities through proxyActivities.' },
            { name: '@temporalio/client', message: 'Workflows use @temporalio/workflow APIs only.' },
            { name: '@temporalio/worker', message: 'Workflows use @temporalio/workflow APIs only.' },
          ],
          patterns: [
            {
              group: [
                '../db',
                '../db/*',
                '../../db/*',
                '../server/*',
                '../../server/*',
                'drizzle-orm',
                'drizzle-orm/*',
                'pg',
                'pino',
                'express',
              ],
              message: 'Workflow code is deterministic: do I/O in an activity.',
            },
            {
              group: ['../activities', '../activities/*', '../../activities/*', '../activities/**', '../../activities/**'],
              allowTypeImports: true,
              message: 'Import activities as types only (proxyActivities<typeof …>).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Use the workflow API (uuid4, or a seed from input): Math.random is replaced, but say so explicitly.',
        },
      ],
    },
  },
  {
    // Tests and scripts may do anything; their unawaited promises still hide failures.
    files: ['tests/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
