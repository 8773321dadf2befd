import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure, no I/O), `cdk` (synth + assertions + cdk-nag) and
 * `integration` (handlers, repositories and workflows against the emulators of the local
 * stack, started once by the global setup on free ports, in memory).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'cdk', include: ['tests/cdk/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 240_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/workflow/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Handlers log at WARN and above in these tests, so their INFO lines do not flood the
          // output. This covers handlers imported by test files (workers); the handlers the
          // local stack runs live in the main process and get the same default from
          // tests/support/global-setup.ts. A level set by whoever runs the tests wins, to see the
          // logs on demand: `POWERTOOLS_LOG_LEVEL=INFO npx vitest run --project integration`
          // (AWS_LAMBDA_LOG_LEVEL, if set, overrides both: Powertools gives it precedence).
          env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL || 'WARN' },
        },
      },
    ],
  },
});
