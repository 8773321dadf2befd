// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild keep every zod locale (hundreds of KB per bundle).
const ZOD_NAMED_IMPORT = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'` so bundles tree-shake zod.",
};

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
);
