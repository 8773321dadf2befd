// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild keep every zod locale (hundreds of KB per bundle).
const ZOD_NAMED_IMPORT = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'` so bundles tree-shake zod.",
};

// One clock for the whole backend: business code reads "now" through the Clock port, so the
// local stack and the tests can install a virtual clock. `new Date(x)` with arguments is fine.
const CLOCK_MESSAGE = 'Read the time through the `now` port of shared/adapters/clock.ts (use cases take `now` as a dependency), not the system clock.';
const SYSTEM_CLOCK_READS = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MESSAGE },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK_MESSAGE },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local-data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT],
    },
  },
  {
    // The domain is pure: no SDK, no Lambda types, no middy, no CDK.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'aws-lambda', '@middy/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@aws-lambda-powertools/*', 'node:*'] },
      ],
    },
  },
  {
    // Business code never reads the system clock (shared/adapters/clock.ts holds the one read).
    // This list replaces the one above for these files, so it repeats ZOD_NAMED_IMPORT.
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, ...SYSTEM_CLOCK_READS],
    },
  },
);
