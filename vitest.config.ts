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
        },
      },
    ],
  },
});
