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
        // Property tests run hundreds of generated cases (matching: ~1.5 s each on a quiet
        // machine, 4.6 s on a loaded 2-core one): vitest's 5 s default made them a timed test
        // that fails under load. The timeout guards against a hang; benches in bench/ measure speed.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        // Synth with real esbuild bundling takes ~45 s on a quiet 2-core machine and several
        // minutes under load: the timeout guards against a hang, it asserts nothing.
        test: { name: 'cdk', include: ['tests/cdk/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000 },
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
